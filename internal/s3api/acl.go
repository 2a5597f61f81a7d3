package s3api

import "encoding/xml"

// accessControlPolicy is the answer of GetBucketAcl and GetObjectAcl. imgcdn has no ACLs:
// like an AWS bucket with Object Ownership "bucket owner enforced" (the default since April
// 2023), every bucket and object grants FULL_CONTROL to the owner and nothing else.
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
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

func newAccessControlPolicy(owner *xmlOwner) *accessControlPolicy {
	return &accessControlPolicy{
		Owner: owner,
		Grants: []xmlGrant{{
			Grantee: xmlGrantee{
				XMLNSXSI: "http://www.w3.org/2001/XMLSchema-instance", Type: "CanonicalUser",
				ID: owner.ID, DisplayName: owner.DisplayName,
			},
			Permission: "FULL_CONTROL",
		}},
	}
}

// getBucketACL implements GetBucketAcl.
func (s *Server) getBucketACL(rq *request) (*response, error) {
	if _, err := s.cfg.Store.GetBucket(rq.ctx(), rq.bucket); err != nil {
		return nil, err
	}
	return &response{xml: newAccessControlPolicy(s.owner())}, nil
}

// getObjectACL implements GetObjectAcl.
func (s *Server) getObjectACL(rq *request) (*response, error) {
	if _, err := s.cfg.Store.HeadObject(rq.ctx(), rq.bucket, rq.key, rq.query.Get("versionId")); err != nil {
		return nil, err
	}
	return &response{xml: newAccessControlPolicy(s.owner())}, nil
}
