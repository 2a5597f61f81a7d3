package s3api

import (
	"encoding/xml"
	"errors"
	"strconv"

	"github.com/imgcdn/imgcdn/internal/httprange"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// partNumber reads UploadPart's required partNumber, 1 to 10,000.
func partNumber(rq *request) (int, error) {
	v := rq.query.Get("partNumber")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > objstore.MaxPartNumber {
		return 0, invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", v)
	}
	return n, nil
}

// uploadPart implements UploadPart
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html). The upload is
// looked up before the body is read, so a wrong upload id costs no transfer; a part of an
// upload created with a checksum algorithm gets that checksum, verified when the client sent
// it and computed otherwise.
func (s *Server) uploadPart(rq *request) (*response, error) {
	h := rq.r.Header
	n, err := partNumber(rq)
	if err != nil {
		return nil, err
	}
	md5sum, err := contentMD5(h)
	if err != nil {
		return nil, err
	}
	uploadID := rq.query.Get("uploadId")
	u, err := s.cfg.Store.GetUpload(rq.ctx(), rq.bucket, rq.key, uploadID)
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
	rd, sum, err := checkedBody(h, body, u.ChecksumAlgorithm)
	if err != nil {
		return nil, err
	}
	p, err := s.cfg.Store.UploadPart(rq.ctx(), objstore.UploadPartInput{
		Bucket: rq.bucket, Key: rq.key, UploadID: uploadID, PartNumber: n,
		Body: rd, Size: size, ContentMD5: md5sum, Checksum: sum,
	})
	if err != nil {
		return nil, err
	}
	resp := &response{}
	resp.set("Etag", quoteETag(p.ETag))
	if c := p.Checksum; c != nil && c.Value != "" {
		resp.set("X-Amz-Checksum-"+checksumHeaderSuffix(c.Algorithm), c.Value)
	}
	setEncryptionHeader(resp, u.Encryption)
	return resp, nil
}

// copyPartResult is UploadPartCopy's answer.
type copyPartResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	xmlChecksums
}

// uploadPartCopy implements UploadPartCopy
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html): a part made of
// the source object or of the x-amz-copy-source-range bytes=first-last of it.
func (s *Server) uploadPartCopy(rq *request) (*response, error) {
	h := rq.r.Header
	n, err := partNumber(rq)
	if err != nil {
		return nil, err
	}
	if h.Get("X-Amz-Copy-Source-Server-Side-Encryption-Customer-Algorithm") != "" {
		return nil, notImplemented("Server-side encryption with customer-provided keys (SSE-C)")
	}
	uploadID := rq.query.Get("uploadId")
	u, err := s.cfg.Store.GetUpload(rq.ctx(), rq.bucket, rq.key, uploadID)
	if err != nil {
		return nil, err
	}
	obj, err := s.openCopySource(rq)
	if err != nil {
		return nil, err
	}
	defer obj.Close()
	info := obj.Info()
	rg := httprange.Range{Start: 0, Length: info.Size}
	if v := h.Get("X-Amz-Copy-Source-Range"); v != "" {
		if rg, err = httprange.ParseCopySourceRange(v, info.Size); err != nil {
			if errors.Is(err, httprange.ErrCopyRangeOutOfBounds) {
				return nil, invalidArgument("Range specified is not valid for source object of size: "+itoa(info.Size), "x-amz-copy-source-range", v)
			}
			return nil, err
		}
	}
	if err := s.tooLargeToCopy(rg.Length); err != nil {
		return nil, err
	}
	body, err := obj.NewReader(rg.Start, rg.Length)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	rd, sum := computingReader(body, u.ChecksumAlgorithm)
	p, err := s.cfg.Store.UploadPart(rq.ctx(), objstore.UploadPartInput{
		Bucket: rq.bucket, Key: rq.key, UploadID: uploadID, PartNumber: n,
		Body: rd, Size: rg.Length, Checksum: sum,
	})
	if err != nil {
		return nil, err
	}
	resp := &response{xml: &copyPartResult{
		ETag: quoteETag(p.ETag), LastModified: isoTime(p.LastModified), xmlChecksums: checksumElements(p.Checksum),
	}}
	s.setVersionHeaderIn(rq, rq.copySource.Bucket, resp, "X-Amz-Copy-Source-Version-Id", info.VersionID)
	setEncryptionHeader(resp, u.Encryption)
	return resp, nil
}
