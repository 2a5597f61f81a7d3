package checksum

import (
	"errors"
	"fmt"
)

// Sentinel errors; the comments name what S3 answers.
var (
	// ErrMismatch: the body does not match the checksum the client gave; returned as a
	// *MismatchError (S3: 400 BadDigest "The CRC32 you specified did not match the
	// calculated checksum.").
	ErrMismatch = errors.New("checksum: the checksum you specified did not match the calculated checksum")
	// ErrUnsupportedAlgorithm: an algorithm this server does not implement (S3: 400
	// InvalidRequest "Checksum algorithm provided is unsupported.").
	ErrUnsupportedAlgorithm = errors.New("checksum: checksum algorithm provided is unsupported; use CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512 or MD5")
	// ErrMultipleChecksums: more than one x-amz-checksum-* value (S3: 400 InvalidRequest
	// "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.").
	ErrMultipleChecksums = errors.New("checksum: expecting a single x-amz-checksum- header; multiple checksum types are not allowed")
	// ErrInvalidValue: a checksum value that is not the base64 of the algorithm's digest
	// size (S3: 400 InvalidRequest "Value for x-amz-checksum-crc32 header is invalid.").
	ErrInvalidValue = errors.New("checksum: invalid checksum value")
	// ErrAlgorithmConflict: x-amz-sdk-checksum-algorithm names another algorithm than the
	// x-amz-checksum-* header or trailer sent (S3: 400 InvalidRequest).
	ErrAlgorithmConflict = errors.New("checksum: x-amz-sdk-checksum-algorithm does not match the checksum sent")
	// ErrMissingValue: x-amz-sdk-checksum-algorithm without a x-amz-checksum-* header or
	// trailer, or a trailer that never came (S3: 400 InvalidRequest "x-amz-sdk-checksum-algorithm
	// specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.").
	ErrMissingValue = errors.New("checksum: x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found")
	// ErrInvalidType: a checksum type unknown or not available for the algorithm, e.g.
	// FULL_OBJECT with SHA256 or COMPOSITE with CRC64NVME (S3: 400 InvalidRequest).
	ErrInvalidType = errors.New("checksum: checksum type not supported for this algorithm")
)

// MismatchError is ErrMismatch with the algorithm and both values (base64).
type MismatchError struct {
	Algorithm          Algorithm
	Expected, Computed string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("The %s you specified did not match the calculated checksum.", e.Algorithm)
}

// Is makes errors.Is(err, ErrMismatch) true.
func (e *MismatchError) Is(target error) bool { return target == ErrMismatch }
