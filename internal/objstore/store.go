package objstore

import (
	"context"
	"io"
)

// Store is everything an S3 front end needs. It is the union of small interfaces so that
// consumers can ask for just the part they use.
type Store interface {
	Buckets
	Objects
	Multipart
	Versions
	BucketConfigs
	ObjectACLs
	Close() error
}

// Buckets creates, finds, lists and removes buckets.
type Buckets interface {
	// CreateBucket returns ErrBucketExists when the name is taken.
	CreateBucket(ctx context.Context, b Bucket) error
	// GetBucket returns ErrNoSuchBucket when absent.
	GetBucket(ctx context.Context, name string) (Bucket, error)
	// DeleteBucket returns ErrBucketNotEmpty while any object version, delete marker or
	// multipart upload remains. The bucket's configurations go with it.
	DeleteBucket(ctx context.Context, name string) error
	// ListBuckets returns every bucket, sorted by name.
	ListBuckets(ctx context.Context) ([]Bucket, error)
}

// PutInput is one object write. The body is streamed to durable storage; nothing becomes
// visible until Body has returned io.EOF, the size and digests check out and the write has been
// made durable (fsynced). Any error from Body aborts the write and leaves the previous version
// untouched.
type PutInput struct {
	Bucket string
	Key    string
	Meta   Metadata
	Body   io.Reader
	// Size is the declared length, or -1 when unknown (then Body is read to EOF). A body that
	// ends early fails with ErrIncompleteBody; one that runs long fails with ErrEntityTooLarge.
	Size int64
	// ContentMD5, when set, must equal the MD5 of the body or the write fails with ErrBadDigest.
	ContentMD5 []byte
	// Checksum is called once after Body has returned io.EOF; what it returns is recorded with
	// the object. Verifying a client-supplied checksum is the caller's job: its reader returns an
	// error instead of io.EOF on a mismatch.
	Checksum func() *Checksum
	Cond     WriteConditions
	// Encryption is "" (stored as is) or EncryptionAES256 (encrypted at rest; ETag and Size
	// still describe the plaintext). Anything else fails with ErrInvalidEncryption, and
	// EncryptionAES256 on a store without a master key with ErrEncryptionNotConfigured. The
	// caller applies the bucket's default encryption.
	Encryption string
	// ACL is the canned ACL to record with the new version, kept verbatim (the API layer
	// validates it).
	ACL string
}

// WriteConditions are S3's conditional writes. IfNoneMatch "*" fails the write with
// ErrPreconditionFailed when the key exists; IfMatch, an ETag without quotes (or "*"), fails it
// with ErrPreconditionFailed unless the current object has that ETag, and with ErrNoSuchKey when
// there is no current object (AWS answers 404 there, see "How to prevent object overwrites with
// conditional writes" in the S3 user guide). Both are checked atomically with the commit.
type WriteConditions struct {
	IfNoneMatch string
	IfMatch     string
	// Checksum is used by CompleteMultipartUpload only: the whole-object checksum the caller
	// computed from the part checksums (FULL_OBJECT or COMPOSITE, see UploadInfo.ChecksumType),
	// recorded with the object as is. PutObject ignores it; its checksum comes from
	// PutInput.Checksum.
	Checksum *Checksum
}

// Object is an open, consistent view of one object version: its Info and data stay readable
// even if the key is overwritten or deleted after Open returned.
type Object interface {
	Info() ObjectInfo
	// NewReader streams length bytes starting at offset; length -1 means to the end.
	NewReader(offset, length int64) (io.ReadCloser, error)
	Close() error
}

// ListInput selects one page of a bucket listing, in UTF-8 binary key order.
type ListInput struct {
	Prefix    string
	Delimiter string
	// After lists keys (and common prefixes) strictly greater than it: the marker of ListObjects,
	// the start-after or decoded continuation token of ListObjectsV2.
	After   string
	MaxKeys int // 0 means an empty page; callers clamp to MaxListKeys
}

// ListResult is one page. Objects and CommonPrefixes are each sorted; together they hold at most
// MaxKeys entries. When IsTruncated, Next is the greatest key or common prefix returned, which
// the caller passes back as After to get the next page.
type ListResult struct {
	Objects        []ObjectInfo
	CommonPrefixes []string
	IsTruncated    bool
	Next           string
}

// Objects reads and writes objects. Versioning follows the S3 user guide's "Working with
// objects in a versioning-enabled bucket", "Working with objects in a versioning-suspended
// bucket" and "Deleting object versions".
type Objects interface {
	// PutObject adds a version (VersioningEnabled: a new version id) or creates or replaces
	// the "null" version (Unversioned, Suspended), which becomes the latest. The returned
	// info has the new VersionID.
	PutObject(ctx context.Context, in PutInput) (ObjectInfo, error)
	// HeadObject returns the latest version (versionID "") or the named one. Errors:
	// ErrNoSuchBucket; ErrNoSuchKey when the key has no version, or a *DeleteMarkerError
	// wrapping ErrNoSuchKey when its latest version is a delete marker; ErrNoSuchVersion for
	// an unknown version id (also ErrInvalidVersionID when it is malformed); a
	// *DeleteMarkerError wrapping ErrDeleteMarker when versionID names a delete marker.
	HeadObject(ctx context.Context, bucket, key, versionID string) (ObjectInfo, error)
	// OpenObject returns an Object the caller must Close; it fails as HeadObject does.
	OpenObject(ctx context.Context, bucket, key, versionID string) (Object, error)
	// DeleteObject without a version id removes the null version of an unversioned bucket
	// and returns it; in a versioning-enabled bucket it adds a delete marker with a new
	// version id, in a suspended one a delete marker with version id "null" that replaces the
	// null version, and returns the marker (DeleteMarker true, IsLatest true). With a version
	// id it removes that version for good and returns it (DeleteMarker true if it was a
	// marker); when it was the latest, the next newest becomes current, so deleting a delete
	// marker restores the object. Deleting an absent key or version is not an error (as S3):
	// the result then holds only Bucket and Key.
	DeleteObject(ctx context.Context, bucket, key, versionID string) (ObjectInfo, error)
	// ListObjects lists the latest version of each key whose latest version is not a delete
	// marker.
	ListObjects(ctx context.Context, bucket string, in ListInput) (ListResult, error)
}

// ListVersionsInput selects one page of ListObjectVersions
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html).
type ListVersionsInput struct {
	Prefix    string
	Delimiter string
	// KeyMarker alone starts after every version of KeyMarker. With VersionIDMarker it starts
	// after that version of KeyMarker (then with the older versions of the same key).
	// VersionIDMarker is ignored without KeyMarker (S3 refuses that combination).
	KeyMarker       string
	VersionIDMarker string
	MaxKeys         int // 0 means an empty page; callers clamp to MaxListKeys
}

// ListVersionsResult is one page: versions and delete markers (DeleteMarker true) sorted by key,
// then newest first, each with IsLatest set, and the common prefixes. Together they hold at
// most MaxKeys entries. When IsTruncated, NextKeyMarker and NextVersionIDMarker name the last
// entry returned (a common prefix has no version id) and are passed back as the markers.
type ListVersionsResult struct {
	Versions            []ObjectInfo
	CommonPrefixes      []string
	IsTruncated         bool
	NextKeyMarker       string
	NextVersionIDMarker string
}

// Versions manages bucket versioning and lists object versions.
type Versions interface {
	// SetBucketVersioning sets VersioningEnabled or VersioningSuspended. VersioningUnversioned
	// is accepted only for a bucket that was never versioned (a no-op); any other state gives
	// ErrInvalidVersioningState.
	SetBucketVersioning(ctx context.Context, bucket string, state VersioningState) error
	// ListObjectVersions returns one page of versions and delete markers.
	ListObjectVersions(ctx context.Context, bucket string, in ListVersionsInput) (ListVersionsResult, error)
}

// BucketConfigs keeps per-bucket configuration documents ("policy", "encryption",
// "public-access-block", "acl", "ownership-controls", ...) as opaque bytes whose format the API
// layer owns. Writes are durable when they return; reads are served from memory, cheaply
// enough to run on every request.
type BucketConfigs interface {
	// PutBucketConfig sets name to a copy of value. Names are 1..MaxBucketConfigName bytes of
	// [a-z0-9-]; values at most MaxBucketConfigSize bytes (else ErrInvalidBucketConfig).
	PutBucketConfig(ctx context.Context, bucket, name string, value []byte) error
	// GetBucketConfig returns the value, or ErrNoSuchBucketConfig. The slice is shared with
	// the store and every other caller: it must not be modified.
	GetBucketConfig(ctx context.Context, bucket, name string) ([]byte, error)
	// DeleteBucketConfig removes name; removing an unset name is not an error.
	DeleteBucketConfig(ctx context.Context, bucket, name string) error
}

// ObjectACLs changes the ACL recorded with an object version.
type ObjectACLs interface {
	// SetObjectACL records acl (verbatim) on the latest version (versionID "") or the named
	// one, without changing anything else. It fails as HeadObject does.
	SetObjectACL(ctx context.Context, bucket, key, versionID, acl string) error
}

// UploadPartInput is one part write; the same durability rules as PutInput apply.
type UploadPartInput struct {
	Bucket     string
	Key        string
	UploadID   string
	PartNumber int
	Body       io.Reader
	Size       int64
	ContentMD5 []byte
	Checksum   func() *Checksum
}

// ListUploadsInput selects a page of ListMultipartUploads.
type ListUploadsInput struct {
	Prefix         string
	Delimiter      string
	KeyMarker      string
	UploadIDMarker string
	MaxUploads     int
}

// ListUploadsResult is one page of uploads, sorted by key then initiation time.
type ListUploadsResult struct {
	Uploads            []UploadInfo
	CommonPrefixes     []string
	IsTruncated        bool
	NextKeyMarker      string
	NextUploadIDMarker string
}

// Multipart runs multipart uploads. A completed upload becomes an ordinary object without its
// data being copied.
type Multipart interface {
	// CreateMultipartUpload validates u.Encryption as PutObject does PutInput.Encryption.
	CreateMultipartUpload(ctx context.Context, u UploadInfo) (UploadInfo, error)
	UploadPart(ctx context.Context, in UploadPartInput) (PartInfo, error)
	// CompleteMultipartUpload checks the list (ascending part numbers: ErrInvalidPartOrder;
	// every part uploaded with a matching ETag: ErrInvalidPart; every part but the last at
	// least MinPartSize: ErrEntityTooSmall) and commits the object atomically, as a new version
	// exactly as PutObject would. Meta, ACL, encryption and the data come from the upload.
	CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []CompletePart, cond WriteConditions) (ObjectInfo, error)
	AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error
	// GetUpload returns the upload's facts, or ErrNoSuchUpload.
	GetUpload(ctx context.Context, bucket, key, uploadID string) (UploadInfo, error)
	// ListParts returns parts with numbers greater than marker, at most max of them, and
	// whether more remain.
	ListParts(ctx context.Context, bucket, key, uploadID string, marker, max int) ([]PartInfo, bool, error)
	ListMultipartUploads(ctx context.Context, bucket string, in ListUploadsInput) (ListUploadsResult, error)
}
