package s3api

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// AuthzRequest is everything an Authorizer needs to decide one request.
type AuthzRequest struct {
	// Auth is the verified identity; Auth.Anonymous is true for unsigned requests.
	Auth *sigv4.Auth
	// Principal is who the access key acts for (Config.Principals, or the identity an edge
	// key delegates to); the zero value for anonymous requests.
	Principal auth.Principal
	// SourceARN and SourceAccount are the aws:SourceArn and aws:SourceAccount condition keys:
	// the distribution an edge fetches for with origin access control (auth.HeaderSourceARN);
	// empty otherwise.
	SourceARN, SourceAccount string
	// Op is the classified operation. Action is the IAM action to authorize: Op.Action(), or
	// its version-specific form when VersionID is set (ActionFor).
	Op     Op
	Action string
	// Bucket and Key are the addressed resource; Key is empty for bucket operations, both are
	// empty for ListBuckets. DeleteObjects is authorized once for the request (Key empty) and
	// then once per key it names, with Action s3:DeleteObject or s3:DeleteObjectVersion.
	Bucket, Key string
	// VersionID is the versionId query parameter (or the DeleteObjects entry's), when given.
	VersionID string
	// CopySource is the source of CopyObject and UploadPartCopy, which also needs
	// s3:GetObject (s3:GetObjectVersion with a version) on it; nil otherwise.
	CopySource *CopySource
	// Request is the HTTP request and Query its parsed query, for condition keys
	// (aws:SourceIp, aws:SecureTransport, s3:prefix...). Authorizers must not read the body.
	Request *http.Request
	Query   url.Values
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

// versionActions are the IAM actions that authorize an operation on one specific version
// (a versionId parameter), from "Actions, resources, and condition keys for Amazon S3"
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html):
// GetObject with versionId needs s3:GetObjectVersion, and so on.
var versionActions = map[Op]string{
	OpGetObject:           "s3:GetObjectVersion",
	OpHeadObject:          "s3:GetObjectVersion",
	OpDeleteObject:        "s3:DeleteObjectVersion",
	OpDeleteObjects:       "s3:DeleteObjectVersion",
	OpGetObjectAcl:        "s3:GetObjectVersionAcl",
	OpPutObjectAcl:        "s3:PutObjectVersionAcl",
	OpGetObjectTagging:    "s3:GetObjectVersionTagging",
	OpPutObjectTagging:    "s3:PutObjectVersionTagging",
	OpDeleteObjectTagging: "s3:DeleteObjectVersionTagging",
	OpGetObjectAttributes: "s3:GetObjectVersionAttributes",
	OpGetObjectTorrent:    "s3:GetObjectVersionTorrent",
}

// ActionFor is the IAM action that authorizes op on versionID ("" for the latest version).
func ActionFor(op Op, versionID string) string {
	if versionID != "" {
		if a, ok := versionActions[op]; ok {
			return a
		}
	}
	return op.Action()
}

// authzRequest builds the AuthzRequest of rq for one resource.
func (rq *request) authzRequest(op Op, bucket, key, versionID string) AuthzRequest {
	return AuthzRequest{
		Auth: rq.auth, Principal: rq.principal, SourceARN: rq.sourceARN, SourceAccount: rq.sourceAccount,
		Op: op, Action: ActionFor(op, versionID),
		Bucket: bucket, Key: key, VersionID: versionID, CopySource: rq.copySource,
		Request: rq.r, Query: rq.query,
	}
}

// authorize is the gate every request passes before its handler runs: it asks the
// Authorizer about the classified operation on the addressed bucket or object (and, for
// copies, the source). Nothing has been read from the body or the store on the request's
// behalf yet, so a refused request has no effect.
func (s *Server) authorize(rq *request) error {
	return s.ask(rq, rq.authzRequest(rq.op, rq.bucket, rq.key, rq.query.Get("versionId")))
}

// ask runs the Authorizer and maps ErrAccessDenied to S3's AccessDenied.
func (s *Server) ask(rq *request, req AuthzRequest) error {
	err := s.cfg.Authorizer.Authorize(rq.ctx(), req)
	if errors.Is(err, ErrAccessDenied) {
		return newError(codeAccessDenied)
	}
	return err
}

// authorizeKey authorizes one key of a DeleteObjects request.
func (s *Server) authorizeKey(rq *request, key, versionID string) error {
	req := rq.authzRequest(OpDeleteObjects, rq.bucket, key, versionID)
	req.CopySource = nil
	return s.ask(rq, req)
}

// hideMissing applies S3's rule for reads of objects that do not exist: "If you have the
// s3:ListBucket permission on the bucket, Amazon S3 returns an HTTP status code 404 Not Found
// error. If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status
// code 403 Access Denied error" (GetObject, HeadObject API reference, "Permissions"), so that
// a caller allowed to read some keys cannot probe for others. The account root may list
// every bucket.
func (s *Server) hideMissing(rq *request, err error) error {
	if rq.principal.Root || (rq.op != OpGetObject && rq.op != OpHeadObject) || !isMissingObject(err) {
		return err
	}
	req := rq.authzRequest(OpListObjects, rq.bucket, "", "")
	req.CopySource = nil
	if s.ask(rq, req) != nil {
		return newError(codeAccessDenied)
	}
	return err
}
