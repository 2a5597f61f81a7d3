package s3api

import (
	"context"
	"encoding/xml"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// encryptionConfiguration is a bucket's default encryption, the document of
// PutBucketEncryption and GetBucketEncryption
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html). imgcdn
// implements SSE-S3 (AES256) only: every object written to the bucket without its own
// x-amz-server-side-encryption header is encrypted at rest.
type encryptionConfiguration struct {
	XMLName xml.Name         `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ServerSideEncryptionConfiguration"`
	Rules   []encryptionRule `xml:"Rule"`
}

// encryptionRequest is the request body; the namespace is optional on input.
type encryptionRequest struct {
	XMLName xml.Name         `xml:"ServerSideEncryptionConfiguration"`
	Rules   []encryptionRule `xml:"Rule"`
}

type encryptionRule struct {
	Default *encryptionByDefault `xml:"ApplyServerSideEncryptionByDefault"`
	// BucketKeyEnabled is stored and echoed: S3 Bucket Keys reduce KMS calls, and SSE-S3
	// has none to reduce, so it changes nothing here (as on AWS for AES256).
	BucketKeyEnabled bool                    `xml:"BucketKeyEnabled"`
	Blocked          *blockedEncryptionTypes `xml:"BlockedEncryptionTypes"`
}

type encryptionByDefault struct {
	SSEAlgorithm   string `xml:"SSEAlgorithm"`
	KMSMasterKeyID string `xml:"KMSMasterKeyID,omitempty"`
}

// blockedEncryptionTypes lists encryption types the bucket refuses on writes: "SSE-C" (which
// imgcdn refuses everywhere anyway) or "NONE".
type blockedEncryptionTypes struct {
	EncryptionType []string `xml:"EncryptionType"`
}

func parseEncryption(raw []byte, _ string) (any, error) {
	var r encryptionRequest
	if err := xml.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	return &encryptionConfiguration{Rules: r.Rules}, nil
}

// validateEncryption checks a PutBucketEncryption document. S3 accepts one rule. KMS is the
// one algorithm family imgcdn cannot serve: there is no key service to hold the keys. A
// client asking for aws:kms or aws:kms:dsse is answered 501 NotImplemented, as this server
// answers every feature it lacks (and as it answers the x-amz-server-side-encryption: aws:kms
// header), rather than getting a bucket that silently encrypts differently from what it
// asked.
func validateEncryption(c *encryptionRequest) error {
	malformed := func(why string) error {
		return newError(codeMalformedXML).withMessage("The XML you provided was not well-formed or did not validate against our published schema: " + why)
	}
	if len(c.Rules) != 1 {
		return malformed("a ServerSideEncryptionConfiguration holds exactly one Rule.")
	}
	r := &c.Rules[0]
	if r.Default == nil {
		return malformed("the Rule needs ApplyServerSideEncryptionByDefault.")
	}
	switch alg := r.Default.SSEAlgorithm; alg {
	case objstore.EncryptionAES256:
		if r.Default.KMSMasterKeyID != "" {
			return invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
				"ApplyServerSideEncryptionByDefault", "")
		}
	case "aws:kms", "aws:kms:dsse", "aws:fsx":
		return newError(codeNotImplemented).withMessage("Default encryption with " + alg +
			" is not implemented by imgcdn, which has no key management service; use SSEAlgorithm AES256 (SSE-S3).")
	default:
		return malformed("SSEAlgorithm must be AES256, aws:kms, aws:kms:dsse or aws:fsx.")
	}
	if r.Blocked != nil {
		for _, t := range r.Blocked.EncryptionType {
			if t != "NONE" && t != "SSE-C" {
				return malformed("EncryptionType must be NONE or SSE-C.")
			}
		}
	}
	return nil
}

// putBucketEncryption implements PutBucketEncryption.
func (s *Server) putBucketEncryption(rq *request) (*response, error) {
	var req encryptionRequest
	empty, err := s.readXML(rq, &req, false, true)
	if err != nil {
		return nil, err
	}
	if empty {
		return nil, newError(codeMissingRequestBodyError)
	}
	if err := validateEncryption(&req); err != nil {
		return nil, err
	}
	doc := &encryptionConfiguration{Rules: req.Rules}
	if err := s.putConfigDocument(rq, configEncryption, doc, doc); err != nil {
		return nil, err
	}
	return &response{}, nil
}

// getBucketEncryption implements GetBucketEncryption: 404
// ServerSideEncryptionConfigurationNotFoundError when the bucket has none. (Buckets AWS
// creates since January 2023 start with SSE-S3; imgcdn's start without, because encryption
// at rest needs the master key an installation may not have.)
func (s *Server) getBucketEncryption(rq *request) (*response, error) {
	v, found, err := s.configs.get(rq.ctx(), s.cfg.Store, rq.bucket, configEncryption, parseEncryption)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, newError(codeServerSideEncryptionConfigurationNotFoundError).with("BucketName", rq.bucket)
	}
	return &response{xml: v.(*encryptionConfiguration)}, nil
}

// deleteBucketEncryption implements DeleteBucketEncryption: 204; objects already encrypted
// stay encrypted.
func (s *Server) deleteBucketEncryption(rq *request) (*response, error) {
	if err := s.cfg.Store.DeleteBucketConfig(rq.ctx(), rq.bucket, configEncryption); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

// writeEncryption is the encryption of a new object (PutObject, CopyObject,
// CreateMultipartUpload): what x-amz-server-side-encryption asks for, else the bucket's
// default ("Setting default server-side encryption behavior for Amazon S3 buckets",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html).
func (s *Server) writeEncryption(ctx context.Context, bucket string, h http.Header) (string, error) {
	if v := h.Get("X-Amz-Server-Side-Encryption"); v != "" {
		return v, nil
	}
	v, found, err := s.configs.get(ctx, s.cfg.Store, bucket, configEncryption, parseEncryption)
	if err != nil || !found {
		return "", err
	}
	if c := v.(*encryptionConfiguration); len(c.Rules) > 0 && c.Rules[0].Default != nil {
		return c.Rules[0].Default.SSEAlgorithm, nil
	}
	return "", nil
}
