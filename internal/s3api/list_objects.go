package s3api

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// listPage is the part of a listing answer both versions share: one page of objects and
// common prefixes, written as <Contents> and <CommonPrefixes> entries.
type listPage struct {
	objects  []objstore.ObjectInfo
	prefixes []string
	encode   func(string) string // identity, or URL-encoding for encoding-type=url
	owner    *xmlOwner           // set when entries carry <Owner>
}

func (p *listPage) writeEntries(w xmlWriter) {
	for i := range p.objects {
		o := &p.objects[i]
		w.start("Contents")
		w.text("Key", p.encode(o.Key))
		w.time("LastModified", o.LastModified)
		w.etag("ETag", o.ETag)
		if c := o.Checksum; c != nil && c.Algorithm != "" {
			w.text("ChecksumAlgorithm", c.Algorithm)
			w.textIf("ChecksumType", c.Type)
		}
		w.int("Size", o.Size)
		if p.owner != nil {
			w.owner("Owner", p.owner)
		}
		w.text("StorageClass", storageClassOf(o.Meta))
		w.end("Contents")
	}
	for _, cp := range p.prefixes {
		w.start("CommonPrefixes")
		w.text("Prefix", p.encode(cp))
		w.end("CommonPrefixes")
	}
}

// listBucketResultV2 is ListObjectsV2's answer (element order as in the API reference's
// example; botocore's parser does not depend on it).
type listBucketResultV2 struct {
	Name, Prefix, Delimiter, StartAfter      string // not yet URL-encoded
	ContinuationToken, NextContinuationToken string
	EncodingType                             string
	MaxKeys                                  int
	IsTruncated                              bool
	listPage
}

func (r *listBucketResultV2) writeXML(w xmlWriter) {
	w.startNS("ListBucketResult")
	w.text("Name", r.Name)
	w.text("Prefix", r.encode(r.Prefix))
	w.textIf("ContinuationToken", r.ContinuationToken)
	w.textIf("NextContinuationToken", r.NextContinuationToken)
	w.textIf("StartAfter", r.encode(r.StartAfter))
	w.int("KeyCount", int64(len(r.objects)+len(r.prefixes)))
	w.int("MaxKeys", int64(r.MaxKeys))
	w.textIf("Delimiter", r.encode(r.Delimiter))
	w.textIf("EncodingType", r.EncodingType)
	w.bool("IsTruncated", r.IsTruncated)
	r.writeEntries(w)
	w.end("ListBucketResult")
}

// listBucketResultV1 is ListObjects' answer.
type listBucketResultV1 struct {
	Name, Prefix, Delimiter, Marker, NextMarker string // not yet URL-encoded
	EncodingType                                string
	MaxKeys                                     int
	IsTruncated                                 bool
	listPage
}

func (r *listBucketResultV1) writeXML(w xmlWriter) {
	w.startNS("ListBucketResult")
	w.text("Name", r.Name)
	w.text("Prefix", r.encode(r.Prefix))
	w.text("Marker", r.encode(r.Marker))
	w.textIf("NextMarker", r.encode(r.NextMarker))
	w.int("MaxKeys", int64(r.MaxKeys))
	w.textIf("Delimiter", r.encode(r.Delimiter))
	w.textIf("EncodingType", r.EncodingType)
	w.bool("IsTruncated", r.IsTruncated)
	r.writeEntries(w)
	w.end("ListBucketResult")
}

// listParams are the options ListObjects, ListObjectsV2 and ListMultipartUploads share.
type listParams struct {
	prefix, delimiter string
	maxKeys           int
	encode            func(string) string
	encodingType      string
}

func parseListParams(q url.Values) (listParams, error) {
	p := listParams{prefix: q.Get("prefix"), delimiter: q.Get("delimiter"), maxKeys: objstore.MaxListKeys, encode: identity}
	if v, ok := q["max-keys"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 0 {
			return p, invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", v[0])
		}
		p.maxKeys = min(n, objstore.MaxListKeys)
	}
	switch et := q.Get("encoding-type"); {
	case et == "":
	case strings.EqualFold(et, "url"):
		p.encode, p.encodingType = s3URLEncode, "url"
	default:
		return p, invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", et)
	}
	return p, nil
}

func identity(s string) string { return s }

// s3URLEncode encodes a key for encoding-type=url answers: every byte but the unreserved
// ones percent-encoded, a space as %20 and a '+' as %2B. That decodes to the key under both
// form rules (botocore's unquote_plus, Go's QueryUnescape) and path rules (PathUnescape,
// decodeURIComponent), and carries the control characters XML 1.0 cannot, which is why the
// option exists. (url.QueryEscape leaves only spaces as '+', which is replaced.)
func s3URLEncode(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// page lists one page for ListObjects or ListObjectsV2.
func (s *Server) page(rq *request, p listParams, after string, owner bool) (objstore.ListResult, listPage, error) {
	res, err := s.cfg.Store.ListObjects(rq.ctx(), rq.bucket, objstore.ListInput{
		Prefix: p.prefix, Delimiter: p.delimiter, After: after, MaxKeys: p.maxKeys,
	})
	if err != nil {
		return res, listPage{}, err
	}
	lp := listPage{objects: res.Objects, prefixes: res.CommonPrefixes, encode: p.encode}
	if owner {
		lp.owner = s.owner()
	}
	return res, lp, nil
}

// listObjectsV2 implements ListObjectsV2
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html). The
// continuation token is opaque to clients: the base64 of the last key or common prefix of
// the previous page. With a token, start-after no longer positions the page but is echoed.
func (s *Server) listObjectsV2(rq *request) (*response, error) {
	q := rq.query
	p, err := parseListParams(q)
	if err != nil {
		return nil, err
	}
	startAfter := q.Get("start-after")
	after := startAfter
	token, hasToken := q["continuation-token"]
	if hasToken {
		b, err := base64.StdEncoding.DecodeString(token[0])
		if err != nil || token[0] == "" {
			return nil, invalidArgument("The continuation token provided is incorrect", "continuation-token", token[0])
		}
		after = string(b)
	}
	res, lp, err := s.page(rq, p, after, q.Get("fetch-owner") == "true")
	if err != nil {
		return nil, err
	}
	out := &listBucketResultV2{
		Name: rq.bucket, Prefix: p.prefix, Delimiter: p.delimiter, StartAfter: startAfter,
		EncodingType: p.encodingType, MaxKeys: p.maxKeys, IsTruncated: res.IsTruncated, listPage: lp,
	}
	if hasToken {
		out.ContinuationToken = token[0]
	}
	if res.IsTruncated {
		out.NextContinuationToken = base64.StdEncoding.EncodeToString([]byte(res.Next))
	}
	return &response{xml: out}, nil
}

// listObjects implements ListObjects (version 1)
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html): marker-based
// paging, Owner on every entry, and NextMarker only when a delimiter was given (without
// one, clients continue from the last key).
func (s *Server) listObjects(rq *request) (*response, error) {
	q := rq.query
	p, err := parseListParams(q)
	if err != nil {
		return nil, err
	}
	marker := q.Get("marker")
	res, lp, err := s.page(rq, p, marker, true)
	if err != nil {
		return nil, err
	}
	out := &listBucketResultV1{
		Name: rq.bucket, Prefix: p.prefix, Delimiter: p.delimiter, Marker: marker,
		EncodingType: p.encodingType, MaxKeys: p.maxKeys, IsTruncated: res.IsTruncated, listPage: lp,
	}
	if res.IsTruncated && p.delimiter != "" {
		out.NextMarker = res.Next
	}
	return &response{xml: out}, nil
}
