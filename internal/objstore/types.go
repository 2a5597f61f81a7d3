package objstore

import "time"

// Limits that AWS S3 documents and every implementation enforces.
const (
	MaxKeyLength    = 1024        // bytes of UTF-8
	MaxPartNumber   = 10000       // UploadPart partNumber range is 1..10000
	MinPartSize     = 5 << 20     // every part but the last of a multipart upload
	MaxPartSize     = 5 << 30     // one part, and one single PUT
	MaxObjectSize   = 5 << 40     // a completed multipart object
	MaxUserMetaSize = 2 << 10     // x-amz-meta-* names and values together
	NullVersionID   = "null"      // the version id of objects in unversioned buckets
	DefaultRegion   = "us-east-1" // where a bucket without LocationConstraint lives
	MaxListKeys     = 1000        // the most keys one list page returns
)

// Bucket is a bucket's identity and creation facts.
type Bucket struct {
	Name    string
	Region  string // "us-east-1" when created without a LocationConstraint
	Created time.Time
}

// Metadata is what a client sets on an object and gets back on GET/HEAD.
type Metadata struct {
	ContentType        string
	CacheControl       string
	ContentDisposition string
	ContentEncoding    string
	ContentLanguage    string
	Expires            string // kept verbatim: S3 returns what was sent
	// User holds x-amz-meta-* entries keyed by the lower-cased name without the prefix.
	User map[string]string
	// StorageClass is echoed back; imgcdn stores every class the same way.
	StorageClass string
}

// Checksum is an additional checksum (x-amz-checksum-*) recorded for an object or a part.
// Value is the base64 text S3 puts on the wire. Type is "FULL_OBJECT" or "COMPOSITE" (a
// checksum of part checksums, written "<value>-<N>" by S3 for multipart objects).
type Checksum struct {
	Algorithm string // CRC32, CRC32C, CRC64NVME, SHA1, SHA256
	Value     string
	Type      string
}

// ObjectInfo describes one stored object version.
type ObjectInfo struct {
	Bucket       string
	Key          string
	VersionID    string // NullVersionID in unversioned buckets
	IsLatest     bool
	DeleteMarker bool
	Size         int64
	// ETag is the entity tag without quotes: hex MD5 of the body for single PUTs and copies,
	// hex MD5 of the concatenated binary part MD5s plus "-<parts>" for multipart objects.
	ETag         string
	LastModified time.Time
	Meta         Metadata
	Checksum     *Checksum
	// PartsCount is the number of parts of a multipart object, 0 otherwise.
	PartsCount int
	// PartSizes lists the size of each part of a multipart object (for partNumber reads).
	PartSizes []int64
}

// PartInfo describes one uploaded part.
type PartInfo struct {
	PartNumber   int
	ETag         string // hex MD5 without quotes
	Size         int64
	LastModified time.Time
	Checksum     *Checksum
}

// UploadInfo describes one multipart upload in progress.
type UploadInfo struct {
	Bucket    string
	Key       string
	UploadID  string
	Initiated time.Time
	Meta      Metadata
	// ChecksumAlgorithm and ChecksumType are what CreateMultipartUpload asked for, if anything.
	ChecksumAlgorithm string
	ChecksumType      string
}

// CompletePart is one entry of a CompleteMultipartUpload request.
type CompletePart struct {
	PartNumber int
	ETag       string // without quotes
	// Checksum is the value the client claims for this part, when it sent one.
	Checksum *Checksum
}
