package s3api

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/policy"
)

func parsePolicy(raw []byte, bucket string) (any, error) { return policy.Parse(raw, bucket) }

// bucketPolicy returns the bucket's parsed policy, nil when it has none; a missing bucket is
// objstore.ErrNoSuchBucket. This runs on every request: see configCache for its cost.
func (s *Server) bucketPolicy(ctx context.Context, bucket string) (*policy.Policy, error) {
	v, found, err := s.configs.get(ctx, s.cfg.Store, bucket, configPolicy, parsePolicy)
	if err != nil || !found {
		return nil, err
	}
	return v.(*policy.Policy), nil
}

// putBucketPolicy implements PutBucketPolicy
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html). The document
// is parsed and validated before it is stored (MalformedPolicy with the parser's message
// otherwise), and refused with 403 AccessDenied when it is public while the bucket's
// BlockPublicPolicy is on.
func (s *Server) putBucketPolicy(rq *request) (*response, error) {
	doc, err := s.readBody(rq, policy.MaxBodySize, false, true)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Code == errorSpecs[codeMaxMessageLengthExceeded].code {
			return nil, newError(codeMalformedPolicy).withMessage("Policy exceeds the maximum allowed document size.")
		}
		return nil, err
	}
	if _, err := s.cfg.Store.GetBucket(rq.ctx(), rq.bucket); err != nil {
		return nil, err
	}
	p, err := policy.Parse(doc, rq.bucket)
	if err != nil {
		var m *policy.MalformedError
		if errors.As(err, &m) {
			return nil, newError(codeMalformedPolicy).withMessage(m.Msg)
		}
		return nil, err
	}
	if p.IsPublic() {
		pab, _, err := s.publicAccess(rq.ctx(), rq.bucket)
		if err != nil {
			return nil, err
		}
		if pab.BlockPublicPolicy {
			return nil, newError(codeAccessDenied).withMessage("Access Denied: the policy is public and the bucket's Block Public Access settings (BlockPublicPolicy) refuse public policies.")
		}
	}
	if err := s.cfg.Store.PutBucketConfig(rq.ctx(), rq.bucket, configPolicy, p.JSON()); err != nil {
		return nil, err
	}
	s.configs.prime(rq.ctx(), s.cfg.Store, rq.bucket, configPolicy, p.JSON(), p)
	return &response{status: http.StatusNoContent}, nil
}

// getBucketPolicy implements GetBucketPolicy: the document as it was put, or 404
// NoSuchBucketPolicy.
func (s *Server) getBucketPolicy(rq *request) (*response, error) {
	p, err := s.bucketPolicy(rq.ctx(), rq.bucket)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, newError(codeNoSuchBucketPolicy).with("BucketName", rq.bucket)
	}
	resp := &response{raw: p.JSON()}
	resp.set("Content-Type", "application/json")
	return resp, nil
}

// deleteBucketPolicy implements DeleteBucketPolicy: 204 whether or not there was one.
func (s *Server) deleteBucketPolicy(rq *request) (*response, error) {
	if err := s.cfg.Store.DeleteBucketConfig(rq.ctx(), rq.bucket, configPolicy); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

// policyStatus is GetBucketPolicyStatus's answer.
type policyStatus struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PolicyStatus"`
	IsPublic bool     `xml:"IsPublic"`
}

// getBucketPolicyStatus implements GetBucketPolicyStatus
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicyStatus.html): whether
// the policy is public in Block Public Access's sense; NoSuchBucketPolicy without one.
func (s *Server) getBucketPolicyStatus(rq *request) (*response, error) {
	p, err := s.bucketPolicy(rq.ctx(), rq.bucket)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, newError(codeNoSuchBucketPolicy).with("BucketName", rq.bucket)
	}
	return &response{xml: &policyStatus{IsPublic: p.IsPublic()}}, nil
}
