package s3api

import (
	"encoding/xml"
	"net/http"
)

// imgcdn implements S3's canned ACLs ("Canned ACL", Access control list (ACL) overview,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl): a
// bucket or an object version records the name of one, and its grants are derived from the
// name. Every bucket and object belongs to the installation's one account, so the grants that
// matter for authorization are those to the AllUsers and AuthenticatedUsers groups, the
// "public" grants of Block Public Access.
const (
	aclPrivate                = "private"
	aclPublicRead             = "public-read"
	aclPublicReadWrite        = "public-read-write"
	aclAuthenticatedRead      = "authenticated-read"
	aclBucketOwnerRead        = "bucket-owner-read"
	aclBucketOwnerFullControl = "bucket-owner-full-control"
	aclAWSExecRead            = "aws-exec-read"
)

// Group grantee URIs ("Who is a grantee?", acl-overview.html#specifying-grantee).
const (
	groupAllUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	groupAuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

// aclPerm is a set of ACL permissions.
type aclPerm uint8

const (
	permRead aclPerm = 1 << iota
	permWrite
	permReadACP
	permWriteACP
	permFullControl = permRead | permWrite | permReadACP | permWriteACP
)

// cannedGrants are the group grants of each canned ACL; the owner's FULL_CONTROL is implied.
// bucket-owner-read and bucket-owner-full-control name the bucket owner, who here is always
// the object's owner too, so they grant nothing beyond private.
var cannedGrants = map[string]struct{ allUsers, authUsers aclPerm }{
	aclPrivate:                {},
	aclPublicRead:             {allUsers: permRead},
	aclPublicReadWrite:        {allUsers: permRead | permWrite},
	aclAuthenticatedRead:      {authUsers: permRead},
	aclBucketOwnerRead:        {},
	aclBucketOwnerFullControl: {},
}

// bucketCannedACLs are the values x-amz-acl may take on buckets (botocore's BucketCannedACL),
// plus bucket-owner-full-control, which S3 accepts as the owner-only ACL.
var bucketCannedACLs = map[string]bool{
	aclPrivate: true, aclPublicRead: true, aclPublicReadWrite: true, aclAuthenticatedRead: true,
	aclBucketOwnerFullControl: true,
}

// isPublicACL reports whether a canned ACL grants to AllUsers or AuthenticatedUsers, which
// Block Public Access calls public ("The meaning of public", access-control-block-public-access.html).
func isPublicACL(acl string) bool {
	g := cannedGrants[acl]
	return g.allUsers != 0 || g.authUsers != 0
}

// ownerOnlyACL reports whether a canned ACL grants nothing beyond the owner's FULL_CONTROL:
// the ACLs a bucket with ACLs disabled (BucketOwnerEnforced) still accepts.
func ownerOnlyACL(acl string) bool {
	return acl == "" || acl == aclPrivate || acl == aclBucketOwnerFullControl
}

// aclGrants reports the permissions a canned ACL gives a caller who is not the owner.
func aclGrants(acl string, anonymous bool) aclPerm {
	g := cannedGrants[acl]
	if anonymous {
		return g.allUsers
	}
	return g.allUsers | g.authUsers
}

// accessControlPolicy is the answer of GetBucketAcl and GetObjectAcl.
type accessControlPolicy struct {
	XMLName xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AccessControlPolicy"`
	Owner   *xmlOwner  `xml:"Owner"`
	Grants  []xmlGrant `xml:"AccessControlList>Grant"`
}

type xmlGrant struct {
	Grantee    xmlGrantee `xml:"Grantee"`
	Permission string     `xml:"Permission"`
}

type xmlGrantee struct {
	XMLNSXSI    string `xml:"xmlns:xsi,attr"`
	Type        string `xml:"xsi:type,attr"`
	ID          string `xml:"ID,omitempty"`
	DisplayName string `xml:"DisplayName,omitempty"`
	URI         string `xml:"URI,omitempty"`
}

const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

// newAccessControlPolicy renders a canned ACL as S3 lists its grants: the owner's
// FULL_CONTROL first, then the group grants.
func newAccessControlPolicy(owner *xmlOwner, acl string) *accessControlPolicy {
	p := &accessControlPolicy{Owner: owner, Grants: []xmlGrant{{
		Grantee:    xmlGrantee{XMLNSXSI: xsiNS, Type: "CanonicalUser", ID: owner.ID, DisplayName: owner.DisplayName},
		Permission: "FULL_CONTROL",
	}}}
	group := func(uri, perm string) {
		p.Grants = append(p.Grants, xmlGrant{Grantee: xmlGrantee{XMLNSXSI: xsiNS, Type: "Group", URI: uri}, Permission: perm})
	}
	g := cannedGrants[acl]
	if g.allUsers&permRead != 0 {
		group(groupAllUsers, "READ")
	}
	if g.allUsers&permWrite != 0 {
		group(groupAllUsers, "WRITE")
	}
	if g.authUsers&permRead != 0 {
		group(groupAuthenticatedUsers, "READ")
	}
	return p
}

// getBucketACL implements GetBucketAcl. With ACLs disabled (BucketOwnerEnforced) the owner
// alone is listed, as S3 does.
func (s *Server) getBucketACL(rq *request) (*response, error) {
	acl, err := s.bucketACL(rq.ctx(), rq.bucket)
	if err != nil {
		return nil, err
	}
	return &response{xml: newAccessControlPolicy(s.owner(), acl)}, nil
}

// getObjectACL implements GetObjectAcl (of the latest version, or of versionId).
func (s *Server) getObjectACL(rq *request) (*response, error) {
	info, err := s.cfg.Store.HeadObject(rq.ctx(), rq.bucket, rq.key, rq.query.Get("versionId"))
	if err != nil {
		return nil, err
	}
	own, err := s.objectOwnership(rq.ctx(), rq.bucket)
	if err != nil {
		return nil, err
	}
	acl := info.ACL
	if own == ownershipEnforced {
		acl = aclPrivate
	}
	return &response{xml: newAccessControlPolicy(s.owner(), acl)}, nil
}

// grantHeaders are the explicit-grant headers. imgcdn implements canned ACLs only.
var grantHeaders = [...]string{"X-Amz-Grant-Full-Control", "X-Amz-Grant-Read", "X-Amz-Grant-Read-Acp", "X-Amz-Grant-Write", "X-Amz-Grant-Write-Acp"}

func hasGrantHeaders(h http.Header) bool {
	for _, name := range grantHeaders {
		if h.Get(name) != "" {
			return true
		}
	}
	return false
}

// errExplicitGrants answers grants that no canned ACL expresses.
func errExplicitGrants() *Error {
	return notImplemented("ACL grants other than those of a canned ACL (private, public-read, public-read-write, authenticated-read, bucket-owner-read, bucket-owner-full-control)")
}
