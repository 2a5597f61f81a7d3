package s3api

import (
	"net/http"

	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// putObject implements PutObject
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). The body streams
// to the store through the signature check (payload hash, aws-chunked signatures) and the
// additional-checksum check; the store verifies Content-MD5 and the length, and makes the
// object visible only once everything passed and the data is durable.
func (s *Server) putObject(rq *request) (*response, error) {
	h := rq.r.Header
	if err := refuseUnsupportedObjectHeaders(h); err != nil {
		return nil, err
	}
	meta, err := metadataFromHeaders(h)
	if err != nil {
		return nil, err
	}
	md5sum, err := contentMD5(h)
	if err != nil {
		return nil, err
	}
	cond, err := writeConditions(h)
	if err != nil {
		return nil, err
	}
	w, err := s.objectWrite(rq)
	if err != nil {
		return nil, err
	}
	body, err := rq.body()
	if err != nil {
		return nil, err
	}
	size, err := s.uploadSize(body)
	if err != nil {
		return nil, err
	}
	rd, sum, err := checkedBody(h, body, "")
	if err != nil {
		return nil, err
	}
	info, err := s.cfg.Store.PutObject(rq.ctx(), objstore.PutInput{
		Bucket: rq.bucket, Key: rq.key, Meta: meta, Body: rd, Size: size,
		ContentMD5: md5sum, Checksum: sum, Cond: cond, Encryption: w.encryption, ACL: w.acl,
	})
	if err != nil {
		return nil, err
	}
	resp := &response{}
	resp.set("Etag", quoteETag(info.ETag))
	s.setVersionHeader(rq, resp, info.VersionID)
	setChecksumHeaders(resp, info.Checksum)
	setEncryptionHeader(resp, info.Encryption)
	return resp, nil
}

// uploadSize is the payload length of a PutObject or UploadPart: x-amz-decoded-content-length
// for aws-chunked bodies, Content-Length otherwise. S3 requires one (MissingContentLength,
// 411) and refuses more than 5 GiB in one request (EntityTooLarge) before reading anything.
func (s *Server) uploadSize(body *sigv4.Body) (int64, error) {
	n := body.Length()
	switch {
	case n < 0:
		return 0, newError(codeMissingContentLength)
	case n > s.cfg.MaxObjectSize:
		return 0, newError(codeEntityTooLarge).
			with("ProposedSize", itoa(n)).with("MaxSizeAllowed", itoa(s.cfg.MaxObjectSize))
	}
	return n, nil
}

// writeConditions reads the conditional-write headers of PutObject, CopyObject and
// CompleteMultipartUpload ("How to prevent object overwrites with conditional writes"):
// If-None-Match accepts only "*" (S3 answers anything else 501), If-Match an entity tag or
// "*".
func writeConditions(h http.Header) (objstore.WriteConditions, error) {
	var c objstore.WriteConditions
	if v := h.Get("If-None-Match"); v != "" {
		if v != "*" {
			return c, notImplemented("If-None-Match with an entity tag on writes (only * is supported)")
		}
		c.IfNoneMatch = "*"
	}
	if v := h.Get("If-Match"); v != "" {
		c.IfMatch = unquoteETag(v)
	}
	return c, nil
}
