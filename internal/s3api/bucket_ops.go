package s3api

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// headBucket implements HeadBucket: 200 with the bucket's region, or 404 without a body.
func (s *Server) headBucket(rq *request) (*response, error) {
	b, err := s.cfg.Store.GetBucket(rq.ctx(), rq.bucket)
	if err != nil {
		return nil, err
	}
	resp := &response{}
	resp.set("X-Amz-Bucket-Region", b.Region)
	resp.set("X-Amz-Access-Point-Alias", "false")
	return resp, nil
}

// deleteBucket implements DeleteBucket: 204, or BucketNotEmpty while objects or uploads
// remain.
func (s *Server) deleteBucket(rq *request) (*response, error) {
	if err := s.cfg.Store.DeleteBucket(rq.ctx(), rq.bucket); err != nil {
		return nil, err
	}
	s.configs.forget(rq.bucket)
	return &response{status: http.StatusNoContent}, nil
}

// locationConstraint is GetBucketLocation's answer.
type locationConstraint struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
	Region  string   `xml:",chardata"`
}

// getBucketLocation implements GetBucketLocation. Buckets in us-east-1 have an empty
// LocationConstraint, as on AWS (the API predates regions).
func (s *Server) getBucketLocation(rq *request) (*response, error) {
	b, err := s.cfg.Store.GetBucket(rq.ctx(), rq.bucket)
	if err != nil {
		return nil, err
	}
	lc := &locationConstraint{Region: b.Region}
	if b.Region == objstore.DefaultRegion {
		lc.Region = ""
	}
	return &response{xml: lc}, nil
}

// listAllMyBucketsResult is ListBuckets' answer.
type listAllMyBucketsResult struct {
	XMLName           xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
	Buckets           xmlBuckets `xml:"Buckets"`
	Owner             *xmlOwner  `xml:"Owner"`
	ContinuationToken string     `xml:"ContinuationToken,omitempty"`
	Prefix            string     `xml:"Prefix,omitempty"`
}

// xmlBuckets is written even when empty: S3 sends <Buckets></Buckets> for an account
// without buckets.
type xmlBuckets struct {
	Bucket []xmlBucket `xml:"Bucket"`
}

type xmlBucket struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion"`
}

// maxBuckets is ListBuckets' largest max-buckets (and the page size when it is absent and a
// continuation token is used).
const maxBuckets = 10000

// listBuckets implements ListBuckets, with the newer prefix, bucket-region, max-buckets and
// continuation-token parameters (the token is the last name of the page, base64url-encoded).
func (s *Server) listBuckets(rq *request) (*response, error) {
	q := rq.query
	limit := maxBuckets
	if v := q.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxBuckets {
			return nil, invalidArgument("Argument max-buckets must be an integer between 1 and 10000.", "max-buckets", v)
		}
		limit = n
	}
	after := ""
	if v := q.Get("continuation-token"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil {
			return nil, invalidArgument("The continuation token provided is incorrect", "continuation-token", v)
		}
		after = string(b)
	}
	prefix, region := q.Get("prefix"), q.Get("bucket-region")
	all, err := s.cfg.Store.ListBuckets(rq.ctx())
	if err != nil {
		return nil, err
	}
	out := &listAllMyBucketsResult{Owner: s.owner(), Prefix: prefix}
	for _, b := range all {
		if b.Name <= after || !strings.HasPrefix(b.Name, prefix) || (region != "" && b.Region != region) {
			continue
		}
		if len(out.Buckets.Bucket) == limit {
			out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.Buckets.Bucket[limit-1].Name))
			break
		}
		out.Buckets.Bucket = append(out.Buckets.Bucket, xmlBucket{Name: b.Name, CreationDate: isoTime(b.Created), BucketRegion: b.Region})
	}
	return &response{xml: out}, nil
}
