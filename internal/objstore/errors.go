package objstore

import "errors"

// Sentinel errors. Implementations wrap them with fmt.Errorf("...: %w", ErrX) when they have
// more to say; callers test with errors.Is.
var (
	ErrNoSuchBucket        = errors.New("objstore: no such bucket")
	ErrBucketExists        = errors.New("objstore: bucket already exists")
	ErrBucketNotEmpty      = errors.New("objstore: bucket not empty")
	ErrNoSuchKey           = errors.New("objstore: no such key")
	ErrNoSuchVersion       = errors.New("objstore: no such version")
	ErrNoSuchUpload        = errors.New("objstore: no such multipart upload")
	ErrInvalidPart         = errors.New("objstore: invalid part")
	ErrInvalidPartOrder    = errors.New("objstore: parts not in ascending order")
	ErrEntityTooSmall      = errors.New("objstore: part smaller than the minimum allowed size")
	ErrEntityTooLarge      = errors.New("objstore: entity larger than the maximum allowed size")
	ErrIncompleteBody      = errors.New("objstore: body shorter than the declared size")
	ErrBadDigest           = errors.New("objstore: Content-MD5 does not match the body")
	ErrPreconditionFailed  = errors.New("objstore: precondition failed")
	ErrKeyTooLong          = errors.New("objstore: key too long")
	ErrInvalidKey          = errors.New("objstore: invalid key")
	ErrInvalidBucketName   = errors.New("objstore: invalid bucket name")
	ErrInvalidRange        = errors.New("objstore: range not satisfiable")
	ErrClosed              = errors.New("objstore: store closed")
	ErrConditionalConflict = errors.New("objstore: conflicting concurrent conditional write")
	// ErrInvalidPartNumber is a part number outside 1..MaxPartNumber (S3: InvalidArgument).
	ErrInvalidPartNumber = errors.New("objstore: part number must be between 1 and 10000")

	// ErrInvalidVersionID: a version id that no store could have issued. Reads of such an id
	// fail with an error that is both ErrNoSuchVersion and ErrInvalidVersionID (S3 answers
	// 400 InvalidArgument "Invalid version id specified", so test for this one first);
	// ListObjectVersions returns it for a malformed VersionIDMarker.
	ErrInvalidVersionID = errors.New("objstore: invalid version id")
	// ErrDeleteMarker: a read (HeadObject, OpenObject, SetObjectACL) named a delete marker by
	// its version id. S3 answers 405 MethodNotAllowed with x-amz-delete-marker: true; the
	// error is a *DeleteMarkerError carrying the marker.
	ErrDeleteMarker = errors.New("objstore: the version is a delete marker")
	// ErrInvalidVersioningState: SetBucketVersioning was given a state other than Enabled or
	// Suspended, or asked to return a versioned bucket to Unversioned, which S3 never allows.
	ErrInvalidVersioningState = errors.New("objstore: invalid versioning state")

	// ErrCorrupt: stored data failed an integrity check (an encrypted body or a metadata
	// record was modified, truncated, or written under another master key). Never a client
	// error: S3 answers 500 InternalError; the object needs restoring from elsewhere.
	ErrCorrupt = errors.New("objstore: stored data is corrupt")
	// ErrEncryptionNotConfigured: encryption was requested, or an encrypted object read, but
	// the store runs without a master key.
	ErrEncryptionNotConfigured = errors.New("objstore: server-side encryption needs a master key, and none is configured")
	// ErrInvalidEncryption: an encryption algorithm other than "" and EncryptionAES256.
	ErrInvalidEncryption = errors.New("objstore: unsupported server-side encryption algorithm")

	// ErrNoSuchBucketConfig: GetBucketConfig of a name that is not set (S3 answers the
	// document's own NoSuch... code, e.g. NoSuchBucketPolicy).
	ErrNoSuchBucketConfig = errors.New("objstore: bucket configuration not set")
	// ErrInvalidBucketConfig: a configuration name outside [a-z0-9-]{1,64} or a value larger
	// than MaxBucketConfigSize.
	ErrInvalidBucketConfig = errors.New("objstore: invalid bucket configuration")
)

// DeleteMarkerError reports that a read met a delete marker. When the latest version of a key
// is a marker, reads without a version id fail with a DeleteMarkerError whose Err is
// ErrNoSuchKey (S3: 404 NoSuchKey plus x-amz-delete-marker: true and x-amz-version-id); when
// a version id names a marker, Err is ErrDeleteMarker (S3: 405 MethodNotAllowed). errors.Is
// sees Err; errors.As gives the marker.
type DeleteMarkerError struct {
	// Marker describes the delete marker: Key, VersionID, LastModified, IsLatest, and
	// DeleteMarker true.
	Marker ObjectInfo
	Err    error
}

func (e *DeleteMarkerError) Error() string {
	return e.Err.Error() + ": " + e.Marker.Key + " version " + e.Marker.VersionID + " is a delete marker"
}

func (e *DeleteMarkerError) Unwrap() error { return e.Err }
