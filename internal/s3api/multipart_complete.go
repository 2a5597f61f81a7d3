package s3api

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/internal/checksum"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// completeMultipartUpload is CompleteMultipartUpload's request body.
type completeMultipartUpload struct {
	XMLName xml.Name        `xml:"CompleteMultipartUpload"`
	Parts   []completedPart `xml:"Part"`
}

type completedPart struct {
	PartNumber int    `xml:"PartNumber"`
	ETag       string `xml:"ETag"`
	xmlChecksums
}

// completeMultipartUploadResult is CompleteMultipartUpload's answer.
type completeMultipartUploadResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
	xmlChecksums
	ChecksumType string `xml:"ChecksumType,omitempty"`
}

// completeMultipartUpload implements CompleteMultipartUpload
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html). The
// store checks the part list (order, ETags, sizes) and commits; this handler parses the list,
// requires each part's checksum when the upload has an algorithm, and computes the object's
// checksum from the stored part checksums: COMPOSITE (checksum of checksums, "-N") or
// FULL_OBJECT (the CRCs combined), verifying a whole-object value the client sent. Every
// check runs before the commit, so S3's "200 with an error body" late failure never arises.
func (s *Server) completeMultipartUpload(rq *request) (*response, error) {
	h := rq.r.Header
	uploadID := rq.query.Get("uploadId")
	var req completeMultipartUpload
	empty, err := s.readXML(rq, &req, false, false)
	if err != nil {
		return nil, err
	}
	if empty || len(req.Parts) == 0 {
		return nil, newError(codeMalformedXML).withMessage("The XML you provided was not well-formed or did not validate against our published schema: it names no part.")
	}
	if len(req.Parts) > objstore.MaxPartNumber {
		return nil, newError(codeMalformedXML).withMessage("The XML you provided was not well-formed or did not validate against our published schema: more than 10000 parts.")
	}
	cond, err := writeConditions(h)
	if err != nil {
		return nil, err
	}
	u, err := s.cfg.Store.GetUpload(rq.ctx(), rq.bucket, rq.key, uploadID)
	if err != nil {
		return nil, err
	}
	parts := make([]objstore.CompletePart, len(req.Parts))
	for i := range req.Parts {
		p := &req.Parts[i]
		parts[i] = objstore.CompletePart{PartNumber: p.PartNumber, ETag: unquoteETag(p.ETag)}
		if i > 0 && p.PartNumber <= req.Parts[i-1].PartNumber {
			return nil, newError(codeInvalidPartOrder)
		}
		if u.ChecksumAlgorithm == "" {
			continue
		}
		v := p.value(u.ChecksumAlgorithm)
		if v == "" {
			return nil, newError(codeInvalidRequest).withMessage("The upload was created using a " + lowerASCII(u.ChecksumAlgorithm) +
				" checksum. The complete request must include the checksum for each part. It was missing for part " +
				strconv.Itoa(p.PartNumber) + " in the request.")
		}
		parts[i].Checksum = &objstore.Checksum{Algorithm: u.ChecksumAlgorithm, Value: v}
	}
	if cond.Checksum, err = s.objectChecksum(rq, u, parts); err != nil {
		return nil, err
	}
	info, err := s.cfg.Store.CompleteMultipartUpload(rq.ctx(), rq.bucket, rq.key, uploadID, parts, cond)
	if err != nil {
		return nil, err
	}
	out := &completeMultipartUploadResult{
		Location: s.objectURL(rq), Bucket: rq.bucket, Key: rq.key, ETag: quoteETag(info.ETag),
		xmlChecksums: checksumElements(info.Checksum),
	}
	if info.Checksum != nil {
		out.ChecksumType = info.Checksum.Type
	}
	resp := &response{xml: out}
	s.setVersionHeader(rq, resp, info.VersionID)
	setEncryptionHeader(resp, info.Encryption)
	return resp, nil
}

// objectChecksum computes the checksum a completed upload records, from the checksums its
// parts were stored with, and checks the whole-object value and size the client may have
// sent (x-amz-checksum-<algorithm>, x-amz-mp-object-size).
func (s *Server) objectChecksum(rq *request, u objstore.UploadInfo, parts []objstore.CompletePart) (*objstore.Checksum, error) {
	h := rq.r.Header
	wantSize := h.Get("X-Amz-Mp-Object-Size")
	if u.ChecksumAlgorithm == "" && wantSize == "" {
		return nil, nil
	}
	stored, err := s.allParts(rq, u.UploadID)
	if err != nil {
		return nil, err
	}
	sums := make([]checksum.Part, len(parts))
	var total int64
	for i, cp := range parts {
		p, ok := stored[cp.PartNumber]
		if !ok {
			return nil, newError(codeInvalidPart).with("PartNumber", strconv.Itoa(cp.PartNumber))
		}
		total += p.Size
		if u.ChecksumAlgorithm == "" {
			continue
		}
		if p.Checksum == nil || p.Checksum.Algorithm != u.ChecksumAlgorithm {
			return nil, newError(codeInvalidPart).withMessage("Part " + strconv.Itoa(cp.PartNumber) + " was stored without a " + u.ChecksumAlgorithm + " checksum.")
		}
		sums[i] = checksum.Part{Checksum: p.Checksum.Value, Size: p.Size}
	}
	if wantSize != "" && wantSize != strconv.FormatInt(total, 10) {
		return nil, newError(codeInvalidRequest).withMessage("The provided 'x-amz-mp-object-size' header value " + wantSize +
			" does not match what was computed: " + strconv.FormatInt(total, 10))
	}
	if u.ChecksumAlgorithm == "" {
		return nil, nil
	}
	c := &objstore.Checksum{Algorithm: u.ChecksumAlgorithm, Type: u.ChecksumType}
	if u.ChecksumType == string(checksum.FullObject) {
		c.Value, err = checksum.FullObjectSum(u.ChecksumAlgorithm, sums)
	} else {
		c.Type = string(checksum.Composite)
		c.Value, err = checksum.CompositeSum(u.ChecksumAlgorithm, sums)
	}
	if err != nil {
		return nil, err
	}
	if typ := h.Get("X-Amz-Checksum-Type"); typ != "" && !strings.EqualFold(typ, c.Type) {
		return nil, newError(codeInvalidRequest).withMessage("The upload was created using the " + c.Type +
			" checksum mode. The complete request must use the same checksum mode.")
	}
	// A whole-object value the client computed must match. For COMPOSITE, clients differ in
	// whether they append the part count (minio-go does not), so both forms are accepted.
	if sent := h.Get("X-Amz-Checksum-" + checksumHeaderSuffix(u.ChecksumAlgorithm)); sent != "" &&
		sent != c.Value && !(c.Type == string(checksum.Composite) && sent+"-"+strconv.Itoa(len(parts)) == c.Value) {
		return nil, newError(codeBadDigest).withMessage("The " + u.ChecksumAlgorithm + " you specified did not match the calculated checksum.")
	}
	return c, nil
}

// allParts returns every stored part of an upload by number (at most 10,000, read in pages).
func (s *Server) allParts(rq *request, uploadID string) (map[int]objstore.PartInfo, error) {
	out := make(map[int]objstore.PartInfo)
	marker := 0
	for {
		page, more, err := s.cfg.Store.ListParts(rq.ctx(), rq.bucket, rq.key, uploadID, marker, maxParts)
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			out[p.PartNumber] = p
		}
		if !more || len(page) == 0 {
			return out, nil
		}
		marker = page[len(page)-1].PartNumber
	}
}

// objectURL is the object's address as CompleteMultipartUpload's Location reports it, in the
// addressing style the request used.
func (s *Server) objectURL(rq *request) string {
	base := scheme(rq.r) + "://" + rq.r.Host + "/"
	if !rq.virtualHost {
		base += rq.bucket + "/"
	}
	return base + escapePath(rq.key)
}

// escapePath percent-encodes a key for a URL path: everything but RFC 3986 unreserved
// characters and '/'.
func escapePath(key string) string {
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, 0, len(key)+16)
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return string(b)
}

// lowerASCII lower-cases an algorithm name for S3's messages ("crc32").
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
