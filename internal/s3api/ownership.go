package s3api

import (
	"context"
	"encoding/xml"
	"net/http"
)

// Object Ownership settings ("Controlling ownership of objects and disabling ACLs",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html). Every
// object here belongs to the one account whatever the setting, so what it changes is whether
// ACLs are in force: BucketOwnerEnforced disables them; the two others enable them.
const (
	ownershipEnforced  = "BucketOwnerEnforced"
	ownershipPreferred = "BucketOwnerPreferred"
	ownershipWriter    = "ObjectWriter"
)

func validOwnership(v string) bool {
	return v == ownershipEnforced || v == ownershipPreferred || v == ownershipWriter
}

// ownershipControls is the document of Put/GetBucketOwnershipControls. The stored form of a
// deleted setting is this document without a Rule.
type ownershipControls struct {
	XMLName xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ OwnershipControls"`
	Rules   []ownershipRule `xml:"Rule"`
}

// ownershipRequest is the request body; the namespace is optional on input.
type ownershipRequest struct {
	XMLName xml.Name        `xml:"OwnershipControls"`
	Rules   []ownershipRule `xml:"Rule"`
}

type ownershipRule struct {
	ObjectOwnership string `xml:"ObjectOwnership"`
}

// parseOwnership returns the setting's value, "" for a deleted setting.
func parseOwnership(raw []byte, _ string) (any, error) {
	var r ownershipRequest
	if err := xml.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	if len(r.Rules) == 0 {
		return "", nil
	}
	return r.Rules[0].ObjectOwnership, nil
}

// objectOwnership returns the bucket's Object Ownership: BucketOwnerEnforced unless set
// otherwise, the default of every bucket S3 has created since April 2023
// (about-object-ownership.html), and "" once DeleteBucketOwnershipControls removed it, when
// the bucket behaves as ObjectWriter.
func (s *Server) objectOwnership(ctx context.Context, bucket string) (string, error) {
	v, found, err := s.configs.get(ctx, s.cfg.Store, bucket, configOwnership, parseOwnership)
	if err != nil {
		return "", err
	}
	if !found {
		return ownershipEnforced, nil
	}
	return v.(string), nil
}

// putBucketOwnershipControls implements PutBucketOwnershipControls
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html).
// Disabling ACLs is refused while the bucket ACL grants more than the owner's full control,
// as S3 does, so that nobody's access changes silently.
func (s *Server) putBucketOwnershipControls(rq *request) (*response, error) {
	var req ownershipRequest
	empty, err := s.readXML(rq, &req, false, true)
	if err != nil {
		return nil, err
	}
	if empty {
		return nil, newError(codeMissingRequestBodyError)
	}
	if len(req.Rules) != 1 || !validOwnership(req.Rules[0].ObjectOwnership) {
		return nil, newError(codeMalformedXML).withMessage("The XML you provided was not well-formed or did not validate against our published schema: OwnershipControls holds one Rule whose ObjectOwnership is BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter.")
	}
	own := req.Rules[0].ObjectOwnership
	if own == ownershipEnforced {
		acl, err := s.bucketACL(rq.ctx(), rq.bucket)
		if err != nil {
			return nil, err
		}
		if !ownerOnlyACL(acl) {
			return nil, newError(codeInvalidBucketAclWithObjectOwnership)
		}
	}
	if err := s.putConfigDocument(rq, configOwnership, &ownershipControls{Rules: req.Rules}, own); err != nil {
		return nil, err
	}
	return &response{}, nil
}

// getBucketOwnershipControls implements GetBucketOwnershipControls: the setting, the default
// BucketOwnerEnforced when never set, 404 OwnershipControlsNotFoundError once deleted.
func (s *Server) getBucketOwnershipControls(rq *request) (*response, error) {
	own, err := s.objectOwnership(rq.ctx(), rq.bucket)
	if err != nil {
		return nil, err
	}
	if own == "" {
		return nil, newError(codeOwnershipControlsNotFoundError).with("BucketName", rq.bucket)
	}
	return &response{xml: &ownershipControls{Rules: []ownershipRule{{own}}}}, nil
}

// deleteBucketOwnershipControls implements DeleteBucketOwnershipControls: ACLs are enabled
// again (the bucket behaves as ObjectWriter).
func (s *Server) deleteBucketOwnershipControls(rq *request) (*response, error) {
	if err := s.putConfigDocument(rq, configOwnership, &ownershipControls{}, ""); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}
