package s3api

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/policy"
)

// policyAuthorizer is the default Authorizer. It decides as S3 does for a bucket owned by the
// installation's one account ("How Amazon S3 authorizes a request",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html,
// and IAM's "Policy evaluation logic"), in this order:
//
//  1. ListBuckets (no bucket): an account-level action that no bucket policy can grant, so
//     the account root alone may list.
//  2. A bucket that does not exist: the root goes on to the handler (NoSuchBucket); anyone
//     else is refused with AccessDenied, so that names are not revealed.
//  3. An explicit Deny in the bucket policy refuses the request, even for the root, except
//     that the root may always get, put and delete the bucket policy ("the root principal
//     of the bucket owner's account can perform the GetBucketPolicy, PutBucketPolicy, and
//     DeleteBucketPolicy API actions, even if their bucket policy explicitly denies the root
//     principal's access", PutBucketPolicy API reference), so it cannot lock itself out.
//  4. The root (the account owner) is allowed.
//  5. An Allow in the bucket policy allows, unless the policy is public and the bucket's
//     RestrictPublicBuckets is on: then only principals of the account and AWS service
//     principals get anything from the policy ("public and cross-account access within any
//     public bucket policy, including non-public delegation to specific accounts, is
//     blocked", access-control-block-public-access.html).
//  6. A canned ACL of the bucket or the object grants the action to AllUsers or, for signed
//     requests, AuthenticatedUsers, unless ACLs are disabled (BucketOwnerEnforced) or the
//     bucket's IgnorePublicAcls is on (every grant a canned ACL gives a non-owner is public).
//  7. Otherwise: AccessDenied (the implicit deny).
//
// CopyObject and UploadPartCopy are decided for the destination, then for the source with
// s3:GetObject (s3:GetObjectVersion). DeleteObjects passes the gate when its bucket exists
// and is then decided key by key.
//
// Allocation: parsed policies are cached (configCache); the request context a policy is
// evaluated against is built only when the bucket has a policy, into pooled storage.
type policyAuthorizer struct {
	s     *Server
	evals sync.Pool // *evalState
	clock atomic.Pointer[clockStrings]
}

var _ Authorizer = (*policyAuthorizer)(nil)

func newPolicyAuthorizer(s *Server) *policyAuthorizer {
	a := &policyAuthorizer{s: s}
	a.evals.New = func() any { return &evalState{req: policy.Request{Context: make(map[string][]string, maxContextKeys)}} }
	return a
}

// Authorize implements Authorizer.
func (a *policyAuthorizer) Authorize(ctx context.Context, req AuthzRequest) error {
	anonymous := req.Auth == nil || req.Auth.Anonymous
	root := !anonymous && req.Principal.Root
	if req.Bucket == "" {
		if root {
			return nil
		}
		return ErrAccessDenied
	}
	var st *evalState
	defer func() {
		if st != nil {
			a.release(st)
		}
	}()
	if req.Op == OpDeleteObjects && req.Key == "" {
		_, err := a.s.bucketPolicy(ctx, req.Bucket)
		return a.missingBucket(err, root)
	}
	if err := a.check(ctx, &req, &st, req.Action, req.Bucket, req.Key, req.VersionID); err != nil {
		return err
	}
	if src := req.CopySource; src != nil {
		action := "s3:GetObject"
		if src.VersionID != "" {
			action = "s3:GetObjectVersion"
		}
		return a.check(ctx, &req, &st, action, src.Bucket, src.Key, src.VersionID)
	}
	return nil
}

// missingBucket applies rule 2 to the error of a bucket lookup.
func (a *policyAuthorizer) missingBucket(err error, root bool) error {
	if errors.Is(err, objstore.ErrNoSuchBucket) {
		if root {
			return nil
		}
		return ErrAccessDenied
	}
	return err
}

// policyAdmin reports the actions the root may perform whatever the policy says (rule 3).
func policyAdmin(action string) bool {
	return action == "s3:GetBucketPolicy" || action == "s3:PutBucketPolicy" || action == "s3:DeleteBucketPolicy"
}

// check decides one action on one resource (rules 2 to 7). st is the request's evaluation
// state, built on first use.
func (a *policyAuthorizer) check(ctx context.Context, req *AuthzRequest, st **evalState, action, bucket, key, versionID string) error {
	s := a.s
	anonymous := req.Auth == nil || req.Auth.Anonymous
	root := !anonymous && req.Principal.Root
	pol, err := s.bucketPolicy(ctx, bucket)
	if err != nil {
		return a.missingBucket(err, root)
	}
	if root && policyAdmin(action) {
		return nil
	}
	decision := policy.NoMatch
	if pol != nil {
		if *st == nil {
			*st = a.acquire(req)
		}
		decision = (*st).evaluate(pol, action, bucket, key)
		if decision == policy.Deny {
			return ErrAccessDenied
		}
	}
	if root {
		return nil
	}
	if decision == policy.Allow {
		p := &req.Principal
		if !pol.IsPublic() || (!anonymous && (p.Account == s.cfg.Owner.AccountID || p.Service != "")) {
			return nil
		}
		pab, _, err := s.publicAccess(ctx, bucket)
		if err != nil {
			return err
		}
		if !pab.RestrictPublicBuckets {
			return nil
		}
	}
	ok, err := a.aclAllows(ctx, anonymous, action, bucket, key, versionID)
	if err != nil || ok {
		return err
	}
	return ErrAccessDenied
}

// aclPermFor maps an action to the ACL permission that grants it and whether that permission
// is looked up on the object (else on the bucket), from "Mapping of ACL permissions and
// access policy permissions" (acl-overview.html#acl-access-policy-permission-mapping).
func aclPermFor(action string) (aclPerm, bool) {
	switch action {
	case "s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads":
		return permRead, false
	case "s3:PutObject", "s3:DeleteObject":
		return permWrite, false
	case "s3:GetBucketAcl":
		return permReadACP, false
	case "s3:PutBucketAcl":
		return permWriteACP, false
	case "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent", "s3:GetObjectVersionTorrent":
		return permRead, true
	case "s3:GetObjectAcl", "s3:GetObjectVersionAcl":
		return permReadACP, true
	case "s3:PutObjectAcl", "s3:PutObjectVersionAcl":
		return permWriteACP, true
	}
	return 0, false
}

// aclAllows applies rule 6.
func (a *policyAuthorizer) aclAllows(ctx context.Context, anonymous bool, action, bucket, key, versionID string) (bool, error) {
	perm, onObject := aclPermFor(action)
	if perm == 0 {
		return false, nil
	}
	s := a.s
	own, err := s.objectOwnership(ctx, bucket)
	if err != nil || own == ownershipEnforced {
		return false, err
	}
	pab, _, err := s.publicAccess(ctx, bucket)
	if err != nil || pab.IgnorePublicAcls {
		return false, err
	}
	if !onObject {
		v, found, err := s.configs.get(ctx, s.cfg.Store, bucket, configACL, parseBucketACL)
		if err != nil || !found {
			return false, err
		}
		return aclGrants(v.(string), anonymous)&perm != 0, nil
	}
	info, err := s.cfg.Store.HeadObject(ctx, bucket, key, versionID)
	if err != nil {
		if isMissingObject(err) {
			// The handler will answer 404 to a caller who may list the bucket, as S3.
			return a.aclAllows(ctx, anonymous, "s3:ListBucket", bucket, "", "")
		}
		return false, nil
	}
	return aclGrants(info.ACL, anonymous)&perm != 0, nil
}

// isMissingObject reports a read of a key or version that does not exist (a malformed
// version id is a client error, not a missing object).
func isMissingObject(err error) bool {
	return errors.Is(err, objstore.ErrNoSuchKey) ||
		(errors.Is(err, objstore.ErrNoSuchVersion) && !errors.Is(err, objstore.ErrInvalidVersionID))
}
