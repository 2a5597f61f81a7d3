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
	Close() error
}

// Buckets creates, finds, lists and removes buckets.
type Buckets interface {
	// CreateBucket returns ErrBucketExists when the name is taken.
	CreateBucket(ctx context.Context, b Bucket) error
	// GetBucket returns ErrNoSuchBucket when absent.
	GetBucket(ctx context.Context, name string) (Bucket, error)
	// DeleteBucket returns ErrBucketNotEmpty while any object or multipart upload remains.
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

// Objects reads and writes objects.
type Objects interface {
	PutObject(ctx context.Context, in PutInput) (ObjectInfo, error)
	// HeadObject returns ErrNoSuchBucket or ErrNoSuchKey; versionID "" means the latest.
	HeadObject(ctx context.Context, bucket, key, versionID string) (ObjectInfo, error)
	// OpenObject returns an Object the caller must Close.
	OpenObject(ctx context.Context, bucket, key, versionID string) (Object, error)
	// DeleteObject removes the key; deleting an absent key is not an error (as S3).
	DeleteObject(ctx context.Context, bucket, key, versionID string) (ObjectInfo, error)
	ListObjects(ctx context.Context, bucket string, in ListInput) (ListResult, error)
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
	CreateMultipartUpload(ctx context.Context, u UploadInfo) (UploadInfo, error)
	UploadPart(ctx context.Context, in UploadPartInput) (PartInfo, error)
	// CompleteMultipartUpload checks the list (ascending part numbers: ErrInvalidPartOrder;
	// every part uploaded with a matching ETag: ErrInvalidPart; every part but the last at
	// least MinPartSize: ErrEntityTooSmall) and commits the object atomically. in.Meta and the
	// data come from the upload.
	CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []CompletePart, cond WriteConditions) (ObjectInfo, error)
	AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error
	// GetUpload returns the upload's facts, or ErrNoSuchUpload.
	GetUpload(ctx context.Context, bucket, key, uploadID string) (UploadInfo, error)
	// ListParts returns parts with numbers greater than marker, at most max of them, and
	// whether more remain.
	ListParts(ctx context.Context, bucket, key, uploadID string, marker, max int) ([]PartInfo, bool, error)
	ListMultipartUploads(ctx context.Context, bucket string, in ListUploadsInput) (ListUploadsResult, error)
}
