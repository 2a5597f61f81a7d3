package distrib

import (
	"errors"
	"fmt"
)

// Sentinel errors. Each names the CloudFront error code cfapi answers with.
var (
	// ErrNoSuchOAI: 404 NoSuchCloudFrontOriginAccessIdentity.
	ErrNoSuchOAI = errors.New("distrib: the specified origin access identity does not exist")
	// ErrOAIAlreadyExists: a CallerReference reused with another config
	// (409 CloudFrontOriginAccessIdentityAlreadyExists).
	ErrOAIAlreadyExists = errors.New("distrib: the caller reference is already used by an origin access identity with a different configuration")
	// ErrTooManyOAIs: 400 TooManyCloudFrontOriginAccessIdentities.
	ErrTooManyOAIs = errors.New("distrib: the maximum number of origin access identities is reached; delete unused ones")
	// ErrOAIInUse: a distribution still names the identity (409 CloudFrontOriginAccessIdentityInUse).
	ErrOAIInUse = errors.New("distrib: the origin access identity is used by a distribution; remove it from the distribution first")
	// ErrNoSuchOAC: 404 NoSuchOriginAccessControl.
	ErrNoSuchOAC = errors.New("distrib: the specified origin access control does not exist")
	// ErrOACAlreadyExists: the name is taken (409 OriginAccessControlAlreadyExists).
	ErrOACAlreadyExists = errors.New("distrib: an origin access control with this name already exists")
	// ErrTooManyOACs: 400 TooManyOriginAccessControls.
	ErrTooManyOACs = errors.New("distrib: the maximum number of origin access controls is reached; delete unused ones")
	// ErrOACInUse: a distribution still names the control (409 OriginAccessControlInUse).
	ErrOACInUse = errors.New("distrib: the origin access control is used by a distribution; remove it from the distribution first")
	// ErrMissingIfMatch: an update or delete without If-Match (400 InvalidIfMatchVersion).
	ErrMissingIfMatch = errors.New("distrib: the If-Match header is required; send the ETag of the last Get")
	// ErrPreconditionFailed: If-Match is not the current ETag (412 PreconditionFailed).
	ErrPreconditionFailed = errors.New("distrib: the If-Match version is missing or not valid; get the resource again and retry with its ETag")
	// ErrIllegalUpdate: an update changes what cannot change, e.g. CallerReference
	// (400 IllegalUpdate).
	ErrIllegalUpdate = errors.New("distrib: the update changes a field that cannot be changed")
	// ErrInvalidArgument: a field is missing or invalid; returned as *InvalidArgumentError
	// (400 InvalidArgument).
	ErrInvalidArgument = errors.New("distrib: invalid argument")
)

// InvalidArgumentError names the offending field so that users know what to fix.
type InvalidArgumentError struct {
	Field  string
	Reason string
}

// InvalidArgument returns an *InvalidArgumentError for field.
func InvalidArgument(field, reason string) error {
	return &InvalidArgumentError{Field: field, Reason: reason}
}

func (e *InvalidArgumentError) Error() string {
	return fmt.Sprintf("%s %s", e.Field, e.Reason)
}

// Is reports ErrInvalidArgument.
func (e *InvalidArgumentError) Is(target error) bool { return target == ErrInvalidArgument }
