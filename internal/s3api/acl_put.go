package s3api

import (
	"context"
	"encoding/xml"
	"net/http"
)

func parseBucketACL(raw []byte, _ string) (any, error) { return string(raw), nil }

// bucketACL returns the bucket's canned ACL: private unless set, and private whatever is
// stored while ACLs are disabled (BucketOwnerEnforced).
func (s *Server) bucketACL(ctx context.Context, bucket string) (string, error) {
	own, err := s.objectOwnership(ctx, bucket)
	if err != nil || own == ownershipEnforced {
		return aclPrivate, err
	}
	v, found, err := s.configs.get(ctx, s.cfg.Store, bucket, configACL, parseBucketACL)
	if err != nil || !found {
		return aclPrivate, err
	}
	return v.(string), nil
}

// aclRequest is the AccessControlPolicy body of PutBucketAcl and PutObjectAcl.
type aclRequest struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	Owner   *struct {
		ID string `xml:"ID"`
	} `xml:"Owner"`
	Grants []struct {
		Grantee struct {
			Attrs []xml.Attr `xml:",any,attr"`
			ID    string     `xml:"ID"`
			URI   string     `xml:"URI"`
			Email string     `xml:"EmailAddress"`
		} `xml:"Grantee"`
		Permission string `xml:"Permission"`
	} `xml:"AccessControlList>Grant"`
}

// cannedFromPolicy finds the canned ACL an AccessControlPolicy document is equivalent to.
// Grants to the owner are implied by every canned ACL; the group grants must be exactly
// those of one canned ACL. Anything else (grants to other accounts, by e-mail, to the
// log-delivery group) is answered NotImplemented: imgcdn has one account and canned ACLs.
func (s *Server) cannedFromPolicy(doc *aclRequest) (string, error) {
	malformed := newError(codeMalformedACLError)
	if doc.Owner != nil && doc.Owner.ID != "" && doc.Owner.ID != s.cfg.Owner.CanonicalID {
		return "", invalidArgument("Invalid id: the Owner of an ACL must be the bucket owner's canonical user id", "CanonicalUser/ID", doc.Owner.ID)
	}
	var all, auth aclPerm
	for _, g := range doc.Grants {
		var perm aclPerm
		switch g.Permission {
		case "READ":
			perm = permRead
		case "WRITE":
			perm = permWrite
		case "READ_ACP":
			perm = permReadACP
		case "WRITE_ACP":
			perm = permWriteACP
		case "FULL_CONTROL":
			perm = permFullControl
		default:
			return "", malformed
		}
		typ := ""
		for _, a := range g.Grantee.Attrs {
			if a.Name.Local == "type" {
				typ = a.Value
			}
		}
		switch {
		case typ == "CanonicalUser" && g.Grantee.ID == s.cfg.Owner.CanonicalID:
			// The owner's own grant: implied.
		case typ == "Group" && g.Grantee.URI == groupAllUsers:
			all |= perm
		case typ == "Group" && g.Grantee.URI == groupAuthenticatedUsers:
			auth |= perm
		case typ == "CanonicalUser" || typ == "Group" || typ == "AmazonCustomerByEmail":
			return "", errExplicitGrants()
		default:
			return "", malformed
		}
	}
	for _, name := range []string{aclPrivate, aclPublicRead, aclPublicReadWrite, aclAuthenticatedRead} {
		if g := cannedGrants[name]; g.allUsers == all && g.authUsers == auth {
			return name, nil
		}
	}
	return "", errExplicitGrants()
}

// requestACL reads the ACL of PutBucketAcl or PutObjectAcl: x-amz-acl, or an
// AccessControlPolicy body equivalent to a canned ACL, never both.
func (s *Server) requestACL(rq *request, valid func(string) bool) (string, error) {
	h := rq.r.Header
	if hasGrantHeaders(h) {
		return "", errExplicitGrants()
	}
	var doc aclRequest
	empty, err := s.readXML(rq, &doc, false, true)
	if err != nil {
		if e, ok := err.(*Error); ok && e.Code == errorSpecs[codeMalformedXML].code {
			return "", newError(codeMalformedACLError)
		}
		return "", err
	}
	acl := h.Get("X-Amz-Acl")
	switch {
	case acl != "" && !empty:
		return "", newError(codeUnexpectedContent).withMessage("This request does not support content: set the ACL either with x-amz-acl or in the body, not both.")
	case acl == aclAWSExecRead:
		return "", notImplemented("The canned ACL aws-exec-read")
	case acl != "":
		if !valid(acl) {
			return "", invalidArgument("The canned ACL "+acl+" is not valid here.", "x-amz-acl", acl)
		}
		return acl, nil
	case empty:
		return "", newError(codeMissingSecurityHeader).withMessage("Your request was missing a required header: x-amz-acl, or an AccessControlPolicy body.").
			with("MissingHeaderName", "x-amz-acl")
	}
	return s.cannedFromPolicy(&doc)
}

// checkACLChange applies Object Ownership and BlockPublicAcls to a new ACL: with ACLs
// disabled only the owner-only ACLs are accepted (AccessControlListNotSupported otherwise,
// as S3), and a public ACL on a bucket that blocks them is 403 AccessDenied. It returns the
// ACL to record: none at all while ACLs are disabled.
func (s *Server) checkACLChange(ctx context.Context, bucket, acl string) (string, error) {
	own, err := s.objectOwnership(ctx, bucket)
	if err != nil {
		return "", err
	}
	if own == ownershipEnforced {
		if !ownerOnlyACL(acl) {
			return "", newError(codeAccessControlListNotSupported)
		}
		return "", nil
	}
	if isPublicACL(acl) {
		pab, _, err := s.publicAccess(ctx, bucket)
		if err != nil {
			return "", err
		}
		if pab.BlockPublicAcls {
			return "", newError(codeAccessDenied).withMessage("Access Denied: the bucket's Block Public Access settings (BlockPublicAcls) refuse public ACLs.")
		}
	}
	return acl, nil
}

// putBucketACL implements PutBucketAcl
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html).
func (s *Server) putBucketACL(rq *request) (*response, error) {
	acl, err := s.requestACL(rq, func(v string) bool { return bucketCannedACLs[v] })
	if err != nil {
		return nil, err
	}
	if _, err := s.cfg.Store.GetBucket(rq.ctx(), rq.bucket); err != nil {
		return nil, err
	}
	rec, err := s.checkACLChange(rq.ctx(), rq.bucket, acl)
	if err != nil {
		return nil, err
	}
	if rec != "" {
		if err := s.cfg.Store.PutBucketConfig(rq.ctx(), rq.bucket, configACL, []byte(rec)); err != nil {
			return nil, err
		}
	}
	return &response{}, nil
}

// putObjectACL implements PutObjectAcl
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html) on the latest
// version or on versionId; no new version is made.
func (s *Server) putObjectACL(rq *request) (*response, error) {
	acl, err := s.requestACL(rq, validObjectACL)
	if err != nil {
		return nil, err
	}
	versionID := rq.query.Get("versionId")
	info, err := s.cfg.Store.HeadObject(rq.ctx(), rq.bucket, rq.key, versionID)
	if err != nil {
		return nil, err
	}
	rec, err := s.checkACLChange(rq.ctx(), rq.bucket, acl)
	if err != nil {
		return nil, err
	}
	if rec != "" {
		if err := s.cfg.Store.SetObjectACL(rq.ctx(), rq.bucket, rq.key, info.VersionID, rec); err != nil {
			return nil, err
		}
	}
	return &response{}, nil
}

// validObjectACL reports an x-amz-acl value imgcdn records on objects (botocore's
// ObjectCannedACL but aws-exec-read, which grants Amazon EC2 and is answered NotImplemented).
func validObjectACL(v string) bool {
	_, ok := cannedGrants[v]
	return ok
}

// writeACL is the ACL a new object gets from x-amz-acl on PutObject, CopyObject and
// CreateMultipartUpload, checked as PutObjectAcl checks it; "" when there is none to record.
func (s *Server) writeACL(ctx context.Context, bucket string, h http.Header) (string, error) {
	acl := h.Get("X-Amz-Acl")
	grants := hasGrantHeaders(h)
	if acl == "" && !grants {
		return "", nil
	}
	if acl == aclAWSExecRead {
		return "", notImplemented("The canned ACL aws-exec-read")
	}
	if acl != "" && !validObjectACL(acl) {
		return "", invalidArgument("The canned ACL "+acl+" is not valid.", "x-amz-acl", acl)
	}
	if grants {
		own, err := s.objectOwnership(ctx, bucket)
		if err != nil {
			return "", err
		}
		if own == ownershipEnforced {
			return "", newError(codeAccessControlListNotSupported)
		}
		return "", errExplicitGrants()
	}
	return s.checkACLChange(ctx, bucket, acl)
}
