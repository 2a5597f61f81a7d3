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
)
