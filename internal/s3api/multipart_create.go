package s3api

import (
	"encoding/xml"
	"strings"

	"github.com/imgcdn/imgcdn/internal/checksum"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// initiateMultipartUploadResult is CreateMultipartUpload's answer.
type initiateMultipartUploadResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

// createMultipartUpload implements CreateMultipartUpload
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html),
// recording the metadata and the checksum algorithm and type the parts will use.
func (s *Server) createMultipartUpload(rq *request) (*response, error) {
	h := rq.r.Header
	if err := refuseUnsupportedObjectHeaders(h); err != nil {
		return nil, err
	}
	meta, err := metadataFromHeaders(h)
	if err != nil {
		return nil, err
	}
	alg, typ, err := multipartChecksum(h.Get("X-Amz-Checksum-Algorithm"), h.Get("X-Amz-Checksum-Type"))
	if err != nil {
		return nil, err
	}
	w, err := s.objectWrite(rq)
	if err != nil {
		return nil, err
	}
	u, err := s.cfg.Store.CreateMultipartUpload(rq.ctx(), objstore.UploadInfo{
		Bucket: rq.bucket, Key: rq.key, Initiated: s.cfg.Now(), Meta: meta,
		ChecksumAlgorithm: alg, ChecksumType: typ, Encryption: w.encryption, ACL: w.acl,
	})
	if err != nil {
		return nil, err
	}
	resp := &response{xml: &initiateMultipartUploadResult{Bucket: rq.bucket, Key: rq.key, UploadID: u.UploadID}}
	if alg != "" {
		resp.set("X-Amz-Checksum-Algorithm", alg)
		resp.set("X-Amz-Checksum-Type", typ)
	}
	setEncryptionHeader(resp, u.Encryption)
	return resp, nil
}

// multipartChecksum validates x-amz-checksum-algorithm and x-amz-checksum-type of
// CreateMultipartUpload ("Checking object integrity", S3 user guide): full-object checksums
// exist only for the CRC algorithms, composite ones not for CRC64NVME, and a type without an
// algorithm is meaningless. The default type is FULL_OBJECT for CRC64NVME and COMPOSITE for
// the others, as S3.
func multipartChecksum(alg, typ string) (string, string, error) {
	if alg == "" {
		if typ != "" {
			return "", "", newError(codeInvalidRequest).withMessage("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
		}
		return "", "", nil
	}
	a, err := checksum.ParseAlgorithm(alg)
	if err != nil {
		return "", "", err
	}
	t, err := checksum.ParseType(strings.ToUpper(typ), a)
	if err != nil {
		return "", "", newError(codeInvalidRequest).withMessage(detail(err))
	}
	return string(a), string(t), nil
}
