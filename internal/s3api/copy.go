package s3api

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"

	"github.com/imgcdn/imgcdn/internal/checksum"
	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/precond"
)

// copyObjectResult is CopyObject's answer.
type copyObjectResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	ChecksumType string   `xml:"ChecksumType,omitempty"`
	xmlChecksums
}

// openCopySource opens the object x-amz-copy-source names and applies the
// x-amz-copy-source-if-* conditions to it (every failure is 412, see precond). Errors name
// the source, not the destination: a missing source is NoSuchKey for the source key.
func (s *Server) openCopySource(rq *request) (objstore.Object, error) {
	src := rq.copySource
	obj, err := s.cfg.Store.OpenObject(rq.ctx(), src.Bucket, src.Key, src.VersionID)
	if err != nil {
		return nil, toAPIError(err, &request{bucket: src.Bucket, key: src.Key, query: url.Values{"versionId": {src.VersionID}}})
	}
	info := obj.Info()
	if precond.EvaluateCopySource(rq.r.Header, info.ETag, info.LastModified) != precond.Proceed {
		obj.Close()
		return nil, newError(codePreconditionFailed).with("Condition", failedCopyCondition(rq.r.Header))
	}
	return obj, nil
}

// failedCopyCondition names the copy-source header that failed, for the Condition element.
func failedCopyCondition(h http.Header) string {
	for _, name := range []string{"x-amz-copy-source-If-Match", "x-amz-copy-source-If-Unmodified-Since", "x-amz-copy-source-If-None-Match"} {
		if h.Get(name) != "" {
			return name
		}
	}
	return "x-amz-copy-source-If-Modified-Since"
}

// tooLargeToCopy is S3's answer for a copy source over 5 GiB: such objects are copied with
// UploadPartCopy.
func (s *Server) tooLargeToCopy(size int64) error {
	if size <= s.cfg.MaxObjectSize {
		return nil
	}
	return newError(codeInvalidRequest).withMessage("The specified copy source is larger than the maximum allowable size for a copy source: " + itoa(s.cfg.MaxObjectSize))
}

// copyObject implements CopyObject
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html): the source is read
// from a consistent snapshot and written as a new object; metadata is the source's (COPY,
// the default) or the request's (REPLACE); the checksum is recomputed, with the algorithm
// asked for or else the source's.
func (s *Server) copyObject(rq *request) (*response, error) {
	h := rq.r.Header
	if err := refuseUnsupportedObjectHeaders(h); err != nil {
		return nil, err
	}
	if h.Get("X-Amz-Copy-Source-Server-Side-Encryption-Customer-Algorithm") != "" {
		return nil, notImplemented("Server-side encryption with customer-provided keys (SSE-C)")
	}
	directive := strings.ToUpper(h.Get("X-Amz-Metadata-Directive"))
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return nil, invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", h.Get("X-Amz-Metadata-Directive"))
	}
	alg := h.Get("X-Amz-Checksum-Algorithm")
	if alg != "" {
		a, err := checksum.ParseAlgorithm(alg)
		if err != nil {
			return nil, err
		}
		alg = string(a)
	}
	cond, err := writeConditions(h)
	if err != nil {
		return nil, err
	}
	w, err := s.objectWrite(rq)
	if err != nil {
		return nil, err
	}
	obj, err := s.openCopySource(rq)
	if err != nil {
		return nil, err
	}
	defer obj.Close()
	info := obj.Info()
	if err := s.tooLargeToCopy(info.Size); err != nil {
		return nil, err
	}
	meta := info.Meta
	if directive == "REPLACE" {
		if meta, err = metadataFromHeaders(h); err != nil {
			return nil, err
		}
	} else if sc := h.Get("X-Amz-Storage-Class"); sc != "" {
		if !storageClasses[sc] {
			return nil, newError(codeInvalidStorageClass).with("StorageClassRequested", sc)
		}
		meta.StorageClass = sc
	}
	// Copying a key onto itself changes nothing unless something is replaced, and S3 refuses
	// it; copying an older version onto its key is how a version is restored ("Restoring
	// previous versions", S3 user guide), and is allowed.
	src := rq.copySource
	if src.Bucket == rq.bucket && src.Key == rq.key && src.VersionID == "" && directive != "REPLACE" &&
		h.Get("X-Amz-Storage-Class") == "" && alg == "" {
		return nil, newError(codeInvalidRequest).withMessage("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	if alg == "" && info.Checksum != nil {
		alg = info.Checksum.Algorithm
	}
	body, err := obj.NewReader(0, -1)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	rd, sum := computingReader(body, alg)
	out, err := s.cfg.Store.PutObject(rq.ctx(), objstore.PutInput{
		Bucket: rq.bucket, Key: rq.key, Meta: meta, Body: rd, Size: info.Size, Checksum: sum, Cond: cond,
		Encryption: w.encryption, ACL: w.acl,
	})
	if err != nil {
		return nil, err
	}
	result := &copyObjectResult{ETag: quoteETag(out.ETag), LastModified: isoTime(out.LastModified), xmlChecksums: checksumElements(out.Checksum)}
	if out.Checksum != nil {
		result.ChecksumType = out.Checksum.Type
	}
	resp := &response{xml: result}
	s.setVersionHeaderIn(rq, src.Bucket, resp, "X-Amz-Copy-Source-Version-Id", info.VersionID)
	s.setVersionHeader(rq, resp, out.VersionID)
	setEncryptionHeader(resp, out.Encryption)
	return resp, nil
}
