package s3api

import (
	"context"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// AuthzRequest is everything an Authorizer needs to decide one request.
type AuthzRequest struct {
	// Auth is the verified identity; Auth.Anonymous is true for unsigned requests.
	Auth *sigv4.Auth
	// Op is the classified operation and Action its IAM action (Op.Action()).
	Op     Op
	Action string
	// Bucket and Key are the addressed resource; Key is empty for bucket operations, both are
	// empty for ListBuckets.
	Bucket, Key string
	// VersionID is the versionId query parameter, when given.
	VersionID string
	// CopySource is the source of CopyObject and UploadPartCopy, which also needs
	// s3:GetObject (s3:GetObjectVersion with a version) on it; nil otherwise.
	CopySource *CopySource
	// Request is the HTTP request, for condition keys (aws:SourceIp, aws:SecureTransport,
	// s3:prefix...). Authorizers must not read its body.
	Request *http.Request
}

// CopySource is the object named by x-amz-copy-source.
type CopySource struct {
	Bucket, Key, VersionID string
}

// Authorizer decides whether a request may proceed. It returns nil to allow it,
// ErrAccessDenied (or an *Error) to refuse it.
type Authorizer interface {
	Authorize(ctx context.Context, req AuthzRequest) error
}

// AuthorizerFunc adapts a function to the Authorizer interface.
type AuthorizerFunc func(ctx context.Context, req AuthzRequest) error

// Authorize calls f.
func (f AuthorizerFunc) Authorize(ctx context.Context, req AuthzRequest) error { return f(ctx, req) }

var _ Authorizer = AuthorizerFunc(nil)

// AllowSigned is the default authorization rule: it allows every request signed with a known
// key (the Verifier has already rejected unknown keys and bad signatures) and refuses anonymous
// ones, because until bucket policies and ACLs exist nothing could grant anonymous access.
// Config.Authorizer defaults to AuthorizerFunc(AllowSigned).
func AllowSigned(_ context.Context, req AuthzRequest) error {
	if req.Auth == nil || req.Auth.Anonymous {
		return ErrAccessDenied
	}
	return nil
}
