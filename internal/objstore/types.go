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

// Bucket is a bucket's identity, creation facts and versioning state.
type Bucket struct {
	Name    string
	Region  string // "us-east-1" when created without a LocationConstraint
	Created time.Time
	// Versioning is the bucket's versioning state: VersioningUnversioned until
	// SetBucketVersioning first enables it. CreateBucket records what it is given.
	Versioning VersioningState
}

// VersioningState is a bucket's versioning state. The values are the Status strings of S3's
// VersioningConfiguration; a bucket that was never versioned has none ("").
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
type VersioningState string

const (
	// VersioningUnversioned: versioning was never enabled. Every object has the single version
	// "null"; an overwrite replaces it and a delete removes it. A bucket cannot return to this
	// state once versioning has been enabled.
	VersioningUnversioned VersioningState = ""
	// VersioningEnabled: every write adds a version with a new id; a delete without a version
	// id adds a delete marker; nothing is removed unless a version id is named.
	VersioningEnabled VersioningState = "Enabled"
	// VersioningSuspended: writes and deletes without a version id create or replace the
	// "null" version (an object or a delete marker); versions made while versioning was
	// enabled are kept.
	VersioningSuspended VersioningState = "Suspended"
)

// EncryptionAES256 is the one server-side encryption algorithm stores implement: SSE-S3,
// AES-256-GCM under a per-object data key wrapped by the store's master key. The value is the
// x-amz-server-side-encryption header's.
const EncryptionAES256 = "AES256"

// Limits of per-bucket configuration documents (see BucketConfigs).
const (
	MaxBucketConfigName = 64        // bytes of [a-z0-9-]
	MaxBucketConfigSize = 256 << 10 // bytes of one value; AWS's largest (lifecycle) is smaller
)

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
	// Encryption is EncryptionAES256 when the body is encrypted at rest, "" otherwise.
	Encryption string
	// ACL is the canned ACL recorded with this version (PutInput.ACL, UploadInfo.ACL or
	// SetObjectACL), kept verbatim; "" when none was given. Listings leave it empty.
	ACL string
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
	// Encryption, "" or EncryptionAES256, makes every part be encrypted at rest as it is
	// uploaded, and so the completed object.
	Encryption string
	// ACL is the canned ACL the completed object gets, kept verbatim.
	ACL string
}

// CompletePart is one entry of a CompleteMultipartUpload request.
type CompletePart struct {
	PartNumber int
	ETag       string // without quotes
	// Checksum is the value the client claims for this part, when it sent one.
	Checksum *Checksum
}
