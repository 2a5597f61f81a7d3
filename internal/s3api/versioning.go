package s3api

import (
	"encoding/xml"
	"errors"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// versioningConfiguration is GetBucketVersioning's answer: Enabled or Suspended, or an empty
// document for a bucket whose versioning was never set, as S3.
type versioningConfiguration struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ VersioningConfiguration"`
	Status  string   `xml:"Status,omitempty"`
}

// versioningRequest is PutBucketVersioning's body; the namespace is optional on input.
type versioningRequest struct {
	XMLName   xml.Name `xml:"VersioningConfiguration"`
	Status    string   `xml:"Status"`
	MfaDelete string   `xml:"MfaDelete"`
}

// getBucketVersioning implements GetBucketVersioning.
func (s *Server) getBucketVersioning(rq *request) (*response, error) {
	b, err := s.cfg.Store.GetBucket(rq.ctx(), rq.bucket)
	if err != nil {
		return nil, err
	}
	return &response{xml: &versioningConfiguration{Status: string(b.Versioning)}}, nil
}

// putBucketVersioning implements PutBucketVersioning
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html): Status
// Enabled or Suspended. A document without a Status is S3's
// IllegalVersioningConfigurationException, a Status outside the schema's two values
// MalformedXML. MFA delete needs an MFA device imgcdn does not have: MfaDelete Enabled (or
// an x-amz-mfa header) is answered NotImplemented; MfaDelete Disabled, the state every bucket
// is in, is accepted.
func (s *Server) putBucketVersioning(rq *request) (*response, error) {
	var req versioningRequest
	empty, err := s.readXML(rq, &req, false, true)
	if err != nil {
		return nil, err
	}
	if empty {
		return nil, newError(codeMissingRequestBodyError)
	}
	if rq.r.Header.Get("X-Amz-Mfa") != "" || req.MfaDelete == "Enabled" {
		return nil, notImplemented("MFA delete")
	}
	if req.MfaDelete != "" && req.MfaDelete != "Disabled" {
		return nil, newError(codeMalformedXML)
	}
	var state objstore.VersioningState
	switch req.Status {
	case "Enabled":
		state = objstore.VersioningEnabled
	case "Suspended":
		state = objstore.VersioningSuspended
	case "":
		if req.MfaDelete != "" {
			return &response{}, s.bucketExists(rq)
		}
		return nil, newError(codeIllegalVersioningConfigurationException).withMessage("The Versioning element must be specified")
	default:
		return nil, newError(codeMalformedXML)
	}
	if err := s.cfg.Store.SetBucketVersioning(rq.ctx(), rq.bucket, state); err != nil {
		if errors.Is(err, objstore.ErrInvalidVersioningState) {
			return nil, newError(codeIllegalVersioningConfigurationException)
		}
		return nil, err
	}
	return &response{}, nil
}

// bucketExists returns the store's error for a missing bucket, nil otherwise.
func (s *Server) bucketExists(rq *request) error {
	_, err := s.cfg.Store.GetBucket(rq.ctx(), rq.bucket)
	return err
}

// setVersionHeader sets x-amz-version-id. S3 sends it for objects of buckets whose versioning
// was ever set, the "null" version included, and never for buckets that were never
// versioned, where every object is the null version ("Working with objects in a
// versioning-suspended bucket", S3 user guide).
func (s *Server) setVersionHeader(rq *request, resp *response, versionID string) {
	s.setVersionHeaderIn(rq, rq.bucket, resp, "X-Amz-Version-Id", versionID)
}

// setVersionHeaderIn sets header to versionID of an object in bucket, by the same rule.
func (s *Server) setVersionHeaderIn(rq *request, bucket string, resp *response, header, versionID string) {
	if versionID == "" {
		return
	}
	if versionID == objstore.NullVersionID {
		b, err := s.cfg.Store.GetBucket(rq.ctx(), bucket)
		if err != nil || b.Versioning == objstore.VersioningUnversioned {
			return
		}
	}
	resp.set(header, versionID)
}
