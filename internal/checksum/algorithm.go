package checksum

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"
)

// Algorithm is an S3 checksum algorithm name as it appears in ChecksumAlgorithm and
// x-amz-sdk-checksum-algorithm (upper case).
type Algorithm string

// The algorithms implemented here. S3 also knows XXHASH64, XXHASH3 and XXHASH128, which
// need code outside the standard library; they are refused with ErrUnsupportedAlgorithm.
const (
	CRC32     Algorithm = "CRC32"     // IEEE 802.3, reflected 0xEDB88320
	CRC32C    Algorithm = "CRC32C"    // Castagnoli, reflected 0x82F63B78
	CRC64NVME Algorithm = "CRC64NVME" // NVM Express, reflected 0x9A6C9329AC4BC9B5
	SHA1      Algorithm = "SHA1"
	SHA256    Algorithm = "SHA256"
	SHA512    Algorithm = "SHA512"
	MD5       Algorithm = "MD5"
)

// Algorithms lists the supported algorithms.
var Algorithms = []Algorithm{CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5}

// Reflected polynomials, as hash/crc32 and hash/crc64 take them. CRC-64/NVME is the CRC
// aws-sdk-go-v2 (service/internal/checksum) and the AWS CRT compute for CRC64NVME:
// width 64, init and xorout all ones, reflected in and out; check("123456789") =
// 0xAE8B14860A799888.
const (
	polyCRC32     = crc32.IEEE
	polyCRC32C    = crc32.Castagnoli
	polyCRC64NVME = 0x9A6C9329AC4BC9B5
)

// The tables are computed once per process by the standard library for crc32; crc64's
// MakeTable builds a fresh 2 KiB table, so keep one (immutable, so not mutable state).
var crc64NVMETable = crc64.MakeTable(polyCRC64NVME)

// ParseAlgorithm matches a name case-insensitively ("crc32", "CRC32C", ...).
func ParseAlgorithm(name string) (Algorithm, error) {
	for _, a := range Algorithms {
		if strings.EqualFold(name, string(a)) {
			return a, nil
		}
	}
	return "", fmt.Errorf("%w (got %q)", ErrUnsupportedAlgorithm, name)
}

// New returns a hash for the algorithm named alg (any case).
func New(alg string) (hash.Hash, error) {
	a, err := ParseAlgorithm(alg)
	if err != nil {
		return nil, err
	}
	return a.New(), nil
}

// New returns a fresh hash; it panics on an Algorithm not in Algorithms (use ParseAlgorithm).
func (a Algorithm) New() hash.Hash {
	switch a {
	case CRC32:
		return crc32.NewIEEE()
	case CRC32C:
		return crc32.New(crc32.MakeTable(polyCRC32C))
	case CRC64NVME:
		return crc64.New(crc64NVMETable)
	case SHA1:
		return sha1.New()
	case SHA256:
		return sha256.New()
	case SHA512:
		return sha512.New()
	case MD5:
		return md5.New()
	}
	panic("checksum: unknown algorithm " + string(a))
}

// Size is the digest size in bytes.
func (a Algorithm) Size() int {
	switch a {
	case CRC32, CRC32C:
		return 4
	case CRC64NVME:
		return 8
	case SHA1:
		return sha1.Size
	case SHA256:
		return sha256.Size
	case SHA512:
		return sha512.Size
	case MD5:
		return md5.Size
	}
	return 0
}

// Header is the header (and trailer) name carrying the value: "x-amz-checksum-crc32".
func (a Algorithm) Header() string { return "x-amz-checksum-" + strings.ToLower(string(a)) }

// IsCRC reports whether the algorithm is a CRC, whose part values can be combined into a
// FULL_OBJECT checksum.
func (a Algorithm) IsCRC() bool { return a == CRC32 || a == CRC32C || a == CRC64NVME }

// Encode is the wire form of a raw digest.
func Encode(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }

// Decode checks that value is the base64 of a digest of the algorithm and returns its bytes.
func (a Algorithm) Decode(value string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(value)
	if err != nil || len(b) != a.Size() {
		return nil, fmt.Errorf("%w: value for %s is invalid", ErrInvalidValue, a.Header())
	}
	return b, nil
}
