package s3api

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
)

// publicAccessBlock is a bucket's Block Public Access configuration, the document of
// PutPublicAccessBlock and GetPublicAccessBlock. What each flag does
// ("Blocking public access to your Amazon S3 storage",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html):
//
//   - BlockPublicAcls: PutBucketAcl, PutObjectAcl, and PutObject (CopyObject,
//     CreateMultipartUpload) with a public ACL fail with 403 AccessDenied;
//   - IgnorePublicAcls: public ACLs on the bucket and its objects grant nothing;
//   - BlockPublicPolicy: PutBucketPolicy with a public policy fails with 403 AccessDenied;
//   - RestrictPublicBuckets: while the bucket's policy is public, the policy grants access
//     only to principals of the bucket owner's account and to AWS service principals.
type publicAccessBlock struct {
	XMLName               xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PublicAccessBlockConfiguration"`
	BlockPublicAcls       bool     `xml:"BlockPublicAcls"`
	IgnorePublicAcls      bool     `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     bool     `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets"`
}

// publicAccessBlockRequest is the request body; the namespace is optional on input.
type publicAccessBlockRequest struct {
	XMLName               xml.Name `xml:"PublicAccessBlockConfiguration"`
	BlockPublicAcls       bool     `xml:"BlockPublicAcls"`
	IgnorePublicAcls      bool     `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     bool     `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets"`
}

func parsePublicAccessBlock(raw []byte, _ string) (any, error) {
	var r publicAccessBlockRequest
	if err := xml.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	return &publicAccessBlock{
		BlockPublicAcls: r.BlockPublicAcls, IgnorePublicAcls: r.IgnorePublicAcls,
		BlockPublicPolicy: r.BlockPublicPolicy, RestrictPublicBuckets: r.RestrictPublicBuckets,
	}, nil
}

// noPublicAccessBlock is the configuration of a bucket without one: nothing blocked.
var noPublicAccessBlock = &publicAccessBlock{}

// publicAccess returns the bucket's Block Public Access configuration (all false when unset)
// and whether one is set.
func (s *Server) publicAccess(ctx context.Context, bucket string) (*publicAccessBlock, bool, error) {
	v, found, err := s.configs.get(ctx, s.cfg.Store, bucket, configPublicAccess, parsePublicAccessBlock)
	if err != nil || !found {
		return noPublicAccessBlock, false, err
	}
	return v.(*publicAccessBlock), true, nil
}

// putPublicAccessBlock implements PutPublicAccessBlock
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html).
func (s *Server) putPublicAccessBlock(rq *request) (*response, error) {
	var req publicAccessBlockRequest
	empty, err := s.readXML(rq, &req, false, true)
	if err != nil {
		return nil, err
	}
	if empty {
		return nil, newError(codeMissingRequestBodyError)
	}
	doc := &publicAccessBlock{
		BlockPublicAcls: req.BlockPublicAcls, IgnorePublicAcls: req.IgnorePublicAcls,
		BlockPublicPolicy: req.BlockPublicPolicy, RestrictPublicBuckets: req.RestrictPublicBuckets,
	}
	if err := s.putConfigDocument(rq, configPublicAccess, doc, doc); err != nil {
		return nil, err
	}
	return &response{}, nil
}

// getPublicAccessBlock implements GetPublicAccessBlock: 404
// NoSuchPublicAccessBlockConfiguration when none is set.
func (s *Server) getPublicAccessBlock(rq *request) (*response, error) {
	pab, found, err := s.publicAccess(rq.ctx(), rq.bucket)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, newError(codeNoSuchPublicAccessBlockConfiguration).with("BucketName", rq.bucket)
	}
	return &response{xml: pab}, nil
}

// deletePublicAccessBlock implements DeletePublicAccessBlock: 204 whether or not one was set.
func (s *Server) deletePublicAccessBlock(rq *request) (*response, error) {
	if err := s.cfg.Store.DeleteBucketConfig(rq.ctx(), rq.bucket, configPublicAccess); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

// putConfigDocument stores doc, rendered as the XML document its Get operation answers, as
// the bucket setting name, and primes the parsed-settings cache with parsed, which must be
// what the setting's parseFunc makes of the document.
func (s *Server) putConfigDocument(rq *request, name string, doc, parsed any) error {
	var buf bytes.Buffer
	if err := encodeXML(&buf, doc); err != nil {
		return err
	}
	raw := buf.Bytes()
	if err := s.cfg.Store.PutBucketConfig(rq.ctx(), rq.bucket, name, raw); err != nil {
		return err
	}
	s.configs.prime(rq.ctx(), s.cfg.Store, rq.bucket, name, raw, parsed)
	return nil
}
