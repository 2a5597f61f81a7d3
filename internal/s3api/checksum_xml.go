package s3api

import (
	"github.com/imgcdn/imgcdn/internal/checksum"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// xmlChecksums are the Checksum<Algorithm> elements of Part, CopyObjectResult,
// CopyPartResult and CompleteMultipartUploadResult, of which at most one is set. Embedded,
// its fields are written inline.
type xmlChecksums struct {
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
	ChecksumSHA512    string `xml:"ChecksumSHA512,omitempty"`
	ChecksumMD5       string `xml:"ChecksumMD5,omitempty"`
}

func checksumElements(c *objstore.Checksum) xmlChecksums {
	var x xmlChecksums
	if c == nil {
		return x
	}
	switch c.Algorithm {
	case "CRC32":
		x.ChecksumCRC32 = c.Value
	case "CRC32C":
		x.ChecksumCRC32C = c.Value
	case "CRC64NVME":
		x.ChecksumCRC64NVME = c.Value
	case "SHA1":
		x.ChecksumSHA1 = c.Value
	case "SHA256":
		x.ChecksumSHA256 = c.Value
	case "SHA512":
		x.ChecksumSHA512 = c.Value
	case "MD5":
		x.ChecksumMD5 = c.Value
	}
	return x
}

// value returns the element for alg.
func (x *xmlChecksums) value(alg string) string {
	switch alg {
	case "CRC32":
		return x.ChecksumCRC32
	case "CRC32C":
		return x.ChecksumCRC32C
	case "CRC64NVME":
		return x.ChecksumCRC64NVME
	case "SHA1":
		return x.ChecksumSHA1
	case "SHA256":
		return x.ChecksumSHA256
	case "SHA512":
		return x.ChecksumSHA512
	case "MD5":
		return x.ChecksumMD5
	}
	return ""
}

// any reports whether some element is set, and which.
func (x *xmlChecksums) any() (alg string, ok bool) {
	for _, a := range checksum.Algorithms {
		if x.value(string(a)) != "" {
			return string(a), true
		}
	}
	return "", false
}
