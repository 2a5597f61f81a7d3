package s3api

import (
	"encoding/base64"
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// listBucketResultV2 is ListObjectsV2's answer.
type listBucketResultV2 struct {
	XMLName               xml.Name          `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string            `xml:"Name"`
	Prefix                string            `xml:"Prefix"`
	ContinuationToken     string            `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string            `xml:"NextContinuationToken,omitempty"`
	StartAfter            string            `xml:"StartAfter,omitempty"`
	KeyCount              int               `xml:"KeyCount"`
	MaxKeys               int               `xml:"MaxKeys"`
	Delimiter             string            `xml:"Delimiter,omitempty"`
	EncodingType          string            `xml:"EncodingType,omitempty"`
	IsTruncated           bool              `xml:"IsTruncated"`
	Contents              []xmlObject       `xml:"Contents"`
	CommonPrefixes        []xmlCommonPrefix `xml:"CommonPrefixes"`
}

// listBucketResultV1 is ListObjects' answer.
type listBucketResultV1 struct {
	XMLName        xml.Name          `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name           string            `xml:"Name"`
	Prefix         string            `xml:"Prefix"`
	Marker         string            `xml:"Marker"`
	NextMarker     string            `xml:"NextMarker,omitempty"`
	MaxKeys        int               `xml:"MaxKeys"`
	Delimiter      string            `xml:"Delimiter,omitempty"`
	EncodingType   string            `xml:"EncodingType,omitempty"`
	IsTruncated    bool              `xml:"IsTruncated"`
	Contents       []xmlObject       `xml:"Contents"`
	CommonPrefixes []xmlCommonPrefix `xml:"CommonPrefixes"`
}

// xmlObject is one <Contents> entry.
type xmlObject struct {
	Key               string    `xml:"Key"`
	LastModified      string    `xml:"LastModified"`
	ETag              string    `xml:"ETag"`
	ChecksumAlgorithm string    `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string    `xml:"ChecksumType,omitempty"`
	Size              int64     `xml:"Size"`
	Owner             *xmlOwner `xml:"Owner,omitempty"`
	StorageClass      string    `xml:"StorageClass"`
}

// listParams are the options ListObjects and ListObjectsV2 share.
type listParams struct {
	prefix, delimiter string
	maxKeys           int
	encode            func(string) string // identity, or URL-encoding for encoding-type=url
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

// s3URLEncode encodes a key for encoding-type=url answers. Clients decode with
// application/x-www-form-urlencoded rules (botocore's unquote_plus, Go's QueryUnescape), so
// a space may be '+' and a literal '+' must be %2B; url.QueryEscape does exactly that and
// also escapes the control characters XML 1.0 cannot carry, which is why the option exists.
func s3URLEncode(s string) string { return url.QueryEscape(s) }

// list runs one page of a listing and converts the objects.
func (s *Server) list(rq *request, p listParams, after string, owner bool) (objstore.ListResult, []xmlObject, []xmlCommonPrefix, error) {
	res, err := s.cfg.Store.ListObjects(rq.ctx(), rq.bucket, objstore.ListInput{
		Prefix: p.prefix, Delimiter: p.delimiter, After: after, MaxKeys: p.maxKeys,
	})
	if err != nil {
		return res, nil, nil, err
	}
	var o *xmlOwner
	if owner {
		o = s.owner()
	}
	objs := make([]xmlObject, len(res.Objects))
	for i := range res.Objects {
		info := &res.Objects[i]
		objs[i] = xmlObject{
			Key:          p.encode(info.Key),
			LastModified: isoTime(info.LastModified),
			ETag:         quoteETag(info.ETag),
			Size:         info.Size,
			Owner:        o,
			StorageClass: info.Meta.StorageClass,
		}
		if objs[i].StorageClass == "" {
			objs[i].StorageClass = "STANDARD"
		}
		if c := info.Checksum; c != nil {
			objs[i].ChecksumAlgorithm, objs[i].ChecksumType = c.Algorithm, c.Type
		}
	}
	var prefixes []xmlCommonPrefix
	if len(res.CommonPrefixes) > 0 {
		prefixes = make([]xmlCommonPrefix, len(res.CommonPrefixes))
		for i, cp := range res.CommonPrefixes {
			prefixes[i].Prefix = p.encode(cp)
		}
	}
	return res, objs, prefixes, nil
}

// listObjectsV2 implements ListObjectsV2
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html). The
// continuation token is opaque to clients: the base64 of the last key or common prefix of
// the previous page.
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
	res, objs, prefixes, err := s.list(rq, p, after, q.Get("fetch-owner") == "true")
	if err != nil {
		return nil, err
	}
	out := &listBucketResultV2{
		Name:           rq.bucket,
		Prefix:         p.encode(p.prefix),
		StartAfter:     p.encode(startAfter),
		KeyCount:       len(objs) + len(prefixes),
		MaxKeys:        p.maxKeys,
		Delimiter:      p.encode(p.delimiter),
		EncodingType:   p.encodingType,
		IsTruncated:    res.IsTruncated,
		Contents:       objs,
		CommonPrefixes: prefixes,
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
	res, objs, prefixes, err := s.list(rq, p, marker, true)
	if err != nil {
		return nil, err
	}
	out := &listBucketResultV1{
		Name:           rq.bucket,
		Prefix:         p.encode(p.prefix),
		Marker:         p.encode(marker),
		MaxKeys:        p.maxKeys,
		Delimiter:      p.encode(p.delimiter),
		EncodingType:   p.encodingType,
		IsTruncated:    res.IsTruncated,
		Contents:       objs,
		CommonPrefixes: prefixes,
	}
	if res.IsTruncated && p.delimiter != "" {
		out.NextMarker = p.encode(res.Next)
	}
	return &response{xml: out}, nil
}
