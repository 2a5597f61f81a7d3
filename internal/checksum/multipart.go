package checksum

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// Type is S3's ChecksumType (x-amz-checksum-type).
type Type string

const (
	// Composite: the checksum of the concatenated raw part checksums, with "-<parts>"
	// appended. Available for every algorithm except CRC64NVME.
	Composite Type = "COMPOSITE"
	// FullObject: the checksum of the whole object, as if uploaded in one piece. Only for
	// CRCs, which can be combined from the parts.
	FullObject Type = "FULL_OBJECT"
)

// ParseType reads x-amz-checksum-type; "" yields the algorithm's default.
func ParseType(v string, alg Algorithm) (Type, error) {
	t := Type(v)
	if v == "" {
		t = DefaultType(alg)
	}
	if t != Composite && t != FullObject {
		return "", fmt.Errorf("%w: unknown checksum type %q", ErrInvalidType, v)
	}
	if !alg.Supports(t) {
		return "", fmt.Errorf("%w: the %s checksum type cannot be used with the %s checksum algorithm", ErrInvalidType, t, alg)
	}
	return t, nil
}

// DefaultType is what S3 uses for a multipart upload created without x-amz-checksum-type:
// FULL_OBJECT for CRC64NVME (its only type), COMPOSITE otherwise.
func DefaultType(alg Algorithm) Type {
	if alg == CRC64NVME {
		return FullObject
	}
	return Composite
}

// Supports reports whether the algorithm has the checksum type: FULL_OBJECT for the CRCs,
// COMPOSITE for all but CRC64NVME.
func (a Algorithm) Supports(t Type) bool {
	switch t {
	case FullObject:
		return a.IsCRC()
	case Composite:
		return a != CRC64NVME && a.Size() > 0
	}
	return false
}

// Part is one part of a multipart upload as the checksum functions need it: its checksum
// (base64) and, for FULL_OBJECT, its size in bytes.
type Part struct {
	Checksum string
	Size     int64
}

// CompositeSum returns alg(concat(raw part checksums)) encoded, followed by "-N"
// ("Checking object integrity", "Using part-level checksums for multipart uploads"), the
// value S3 reports for a COMPOSITE multipart object. It is what the aws CLI (s3transfer, which
// sends ChecksumAlgorithm CRC32 and no ChecksumType) gets back.
func CompositeSum(alg string, parts []Part) (string, error) {
	a, err := ParseAlgorithm(alg)
	if err != nil {
		return "", err
	}
	if !a.Supports(Composite) {
		return "", fmt.Errorf("%w: the COMPOSITE checksum type cannot be used with the %s checksum algorithm", ErrInvalidType, a)
	}
	h := a.New()
	for i, p := range parts {
		raw, err := a.Decode(p.Checksum)
		if err != nil {
			return "", fmt.Errorf("part %d: %w", i+1, err)
		}
		h.Write(raw)
	}
	return Encode(h.Sum(nil)) + "-" + strconv.Itoa(len(parts)), nil
}

// FullObjectSum returns the CRC of the whole object from the part CRCs and sizes, the value
// S3 reports for a FULL_OBJECT multipart object (and checks against the x-amz-checksum-*
// header of CompleteMultipartUpload). aws-sdk-go-v2 and s3transfer request FULL_OBJECT when
// the caller supplies a whole-object checksum; CRC64NVME is always FULL_OBJECT.
func FullObjectSum(alg string, parts []Part) (string, error) {
	a, err := ParseAlgorithm(alg)
	if err != nil {
		return "", err
	}
	var spec crcSpec
	switch a {
	case CRC32:
		spec = specCRC32
	case CRC32C:
		spec = specCRC32C
	case CRC64NVME:
		spec = specCRC64NVME
	default:
		return "", fmt.Errorf("%w: the FULL_OBJECT checksum type cannot be used with the %s checksum algorithm", ErrInvalidType, a)
	}
	var crc uint64
	for i, p := range parts {
		raw, err := a.Decode(p.Checksum)
		if err != nil {
			return "", fmt.Errorf("part %d: %w", i+1, err)
		}
		if p.Size < 0 {
			return "", fmt.Errorf("%w: part %d has a negative size", ErrInvalidValue, i+1)
		}
		crc = spec.combine(crc, fromBigEndian(raw), p.Size)
	}
	return Encode(toBigEndian(crc, a.Size())), nil
}

// CRCs travel big-endian (hash/crc32 and hash/crc64 Sum append them so).
func fromBigEndian(b []byte) uint64 {
	if len(b) == 4 {
		return uint64(binary.BigEndian.Uint32(b))
	}
	return binary.BigEndian.Uint64(b)
}

func toBigEndian(v uint64, size int) []byte {
	if size == 4 {
		return binary.BigEndian.AppendUint32(nil, uint32(v))
	}
	return binary.BigEndian.AppendUint64(nil, v)
}
