package s3api

import (
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// defaultContentType is what S3 records for an object uploaded without Content-Type.
const defaultContentType = "binary/octet-stream"

const metaPrefix = "X-Amz-Meta-" // canonical form, as net/http stores incoming header names

// storageClasses are the values x-amz-storage-class may take (botocore's StorageClass enum).
// imgcdn stores every class alike and echoes the name back.
var storageClasses = map[string]bool{
	"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true, "ONEZONE_IA": true,
	"INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "OUTPOSTS": true,
	"GLACIER_IR": true, "SNOW": true, "EXPRESS_ONEZONE": true, "FSX_OPENZFS": true, "FSX_ONTAP": true,
}

// metadataFromHeaders reads the metadata a PUT, CopyObject (REPLACE) or
// CreateMultipartUpload sets: the standard representation headers, x-amz-meta-* and
// x-amz-storage-class. User metadata is limited to 2 KB, counting the UTF-8 bytes of every
// name and value ("Working with object metadata", S3 user guide); repeated values of one name
// are joined with commas, as S3 does.
func metadataFromHeaders(h http.Header) (objstore.Metadata, error) {
	m := objstore.Metadata{
		ContentType:        h.Get("Content-Type"),
		CacheControl:       h.Get("Cache-Control"),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentEncoding:    sigv4.ContentEncoding(h), // without aws-chunked, the upload framing
		ContentLanguage:    h.Get("Content-Language"),
		Expires:            h.Get("Expires"),
		StorageClass:       h.Get("X-Amz-Storage-Class"),
	}
	if m.ContentType == "" {
		m.ContentType = defaultContentType
	}
	if m.StorageClass != "" && !storageClasses[m.StorageClass] {
		return m, newError(codeInvalidStorageClass).with("StorageClassRequested", m.StorageClass)
	}
	size := 0
	for k, v := range h {
		if len(k) <= len(metaPrefix) || !strings.EqualFold(k[:len(metaPrefix)], metaPrefix) {
			continue
		}
		if m.User == nil {
			m.User = make(map[string]string)
		}
		name, value := strings.ToLower(k[len(metaPrefix):]), strings.Join(v, ",")
		m.User[name] = value
		size += len(name) + len(value)
	}
	if size > objstore.MaxUserMetaSize {
		return m, newError(codeMetadataTooLarge).
			with("Size", itoa(size)).with("MaxSizeAllowed", itoa(objstore.MaxUserMetaSize))
	}
	return m, nil
}

// setObjectHeaders writes the headers GET and HEAD return for an object (GetObject
// reference, "Response Syntax"): the entity tag in quotes, Last-Modified as an HTTP-date,
// the stored representation headers, x-amz-meta-* (lower case, as S3 sends them) and the
// storage class unless it is STANDARD, which S3 leaves out.
func setObjectHeaders(resp *response, info *objstore.ObjectInfo) {
	resp.set("Etag", quoteETag(info.ETag))
	resp.set("Last-Modified", httpTime(info.LastModified))
	resp.set("Accept-Ranges", "bytes")
	m := &info.Meta
	ct := m.ContentType
	if ct == "" {
		ct = defaultContentType
	}
	resp.set("Content-Type", ct)
	resp.setIf("Cache-Control", m.CacheControl)
	resp.setIf("Content-Disposition", m.ContentDisposition)
	resp.setIf("Content-Encoding", m.ContentEncoding)
	resp.setIf("Content-Language", m.ContentLanguage)
	resp.setIf("Expires", m.Expires)
	if m.StorageClass != "" && m.StorageClass != "STANDARD" {
		resp.set("X-Amz-Storage-Class", m.StorageClass)
	}
	for name, value := range m.User {
		resp.set("x-amz-meta-"+name, value)
	}
	setEncryptionHeader(resp, info.Encryption)
}

// setEncryptionHeader sets x-amz-server-side-encryption for objects encrypted at rest.
func setEncryptionHeader(resp *response, encryption string) {
	resp.setIf("X-Amz-Server-Side-Encryption", encryption)
}

// setChecksumHeaders sets x-amz-checksum-<algorithm> and x-amz-checksum-type.
func setChecksumHeaders(resp *response, c *objstore.Checksum) {
	if c == nil || c.Value == "" {
		return
	}
	resp.set("X-Amz-Checksum-"+checksumHeaderSuffix(c.Algorithm), c.Value)
	resp.setIf("X-Amz-Checksum-Type", c.Type)
}

// checksumHeaderSuffix turns an algorithm name into the canonical header name suffix:
// CRC32 -> "Crc32", CRC64NVME -> "Crc64nvme", SHA256 -> "Sha256".
func checksumHeaderSuffix(alg string) string {
	if alg == "" {
		return ""
	}
	return alg[:1] + strings.ToLower(alg[1:])
}

// refuseUnsupportedObjectHeaders answers NotImplemented for object features a client would
// be wrong to assume were applied: customer-provided or KMS encryption, Object Lock, tags,
// website redirects. SSE-S3 ("AES256") is passed to the store, which encrypts or refuses.
func refuseUnsupportedObjectHeaders(h http.Header) error {
	switch {
	case h.Get("X-Amz-Server-Side-Encryption-Customer-Algorithm") != "":
		return notImplemented("Server-side encryption with customer-provided keys (SSE-C)")
	case h.Get("X-Amz-Server-Side-Encryption") != "" && h.Get("X-Amz-Server-Side-Encryption") != "AES256":
		return notImplemented("Server-side encryption with " + h.Get("X-Amz-Server-Side-Encryption"))
	case h.Get("X-Amz-Object-Lock-Mode") != "" || h.Get("X-Amz-Object-Lock-Legal-Hold") != "":
		return notImplemented("Object Lock")
	case h.Get("X-Amz-Tagging") != "":
		return notImplemented("Object tagging")
	case h.Get("X-Amz-Website-Redirect-Location") != "":
		return notImplemented("Website redirects")
	}
	return nil
}

// objectWrite is what PutObject, CopyObject and CreateMultipartUpload apply to the object
// they make beyond its metadata: its encryption (the request's or the bucket's default) and
// its canned ACL.
type objectWrite struct {
	encryption, acl string
}

func (s *Server) objectWrite(rq *request) (objectWrite, error) {
	h := rq.r.Header
	acl, err := s.writeACL(rq.ctx(), rq.bucket, h)
	if err != nil {
		return objectWrite{}, err
	}
	enc, err := s.writeEncryption(rq.ctx(), rq.bucket, h)
	if err != nil {
		return objectWrite{}, err
	}
	return objectWrite{encryption: enc, acl: acl}, nil
}
