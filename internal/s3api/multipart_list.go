package s3api

import (
	"encoding/xml"
	"net/http"
	"strconv"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// listPartsResult is ListParts' answer.
type listPartsResult struct {
	XMLName              xml.Name  `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
	Bucket               string    `xml:"Bucket"`
	Key                  string    `xml:"Key"`
	UploadID             string    `xml:"UploadId"`
	Initiator            *xmlOwner `xml:"Initiator"`
	Owner                *xmlOwner `xml:"Owner"`
	StorageClass         string    `xml:"StorageClass"`
	PartNumberMarker     int       `xml:"PartNumberMarker"`
	NextPartNumberMarker int       `xml:"NextPartNumberMarker"`
	MaxParts             int       `xml:"MaxParts"`
	IsTruncated          bool      `xml:"IsTruncated"`
	Parts                []xmlPart `xml:"Part"`
	ChecksumAlgorithm    string    `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType         string    `xml:"ChecksumType,omitempty"`
}

type xmlPart struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	xmlChecksums
}

// maxParts is the largest page of ListParts and ListMultipartUploads.
const maxParts = 1000

// intParam parses an optional non-negative integer query parameter.
func intParam(q map[string][]string, name string, def, max int) (int, error) {
	v, ok := q[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < 0 {
		return 0, invalidArgument("Argument "+name+" must be an integer between 0 and 2147483647", name, v[0])
	}
	return min(n, max), nil
}

// listParts implements ListParts
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html).
func (s *Server) listParts(rq *request) (*response, error) {
	q := rq.query
	uploadID := q.Get("uploadId")
	marker, err := intParam(q, "part-number-marker", 0, objstore.MaxPartNumber)
	if err != nil {
		return nil, err
	}
	limit, err := intParam(q, "max-parts", maxParts, maxParts)
	if err != nil {
		return nil, err
	}
	u, err := s.cfg.Store.GetUpload(rq.ctx(), rq.bucket, rq.key, uploadID)
	if err != nil {
		return nil, err
	}
	parts, truncated, err := s.cfg.Store.ListParts(rq.ctx(), rq.bucket, rq.key, uploadID, marker, limit)
	if err != nil {
		return nil, err
	}
	out := &listPartsResult{
		Bucket: rq.bucket, Key: rq.key, UploadID: uploadID,
		Initiator: s.owner(), Owner: s.owner(), StorageClass: storageClassOf(u.Meta),
		PartNumberMarker: marker, MaxParts: limit, IsTruncated: truncated,
		ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType,
	}
	for _, p := range parts {
		out.Parts = append(out.Parts, xmlPart{
			PartNumber: p.PartNumber, LastModified: isoTime(p.LastModified), ETag: quoteETag(p.ETag),
			Size: p.Size, xmlChecksums: checksumElements(p.Checksum),
		})
	}
	if len(parts) > 0 {
		out.NextPartNumberMarker = parts[len(parts)-1].PartNumber
	}
	return &response{xml: out}, nil
}

func storageClassOf(m objstore.Metadata) string {
	if m.StorageClass == "" {
		return "STANDARD"
	}
	return m.StorageClass
}

// listMultipartUploadsResult is ListMultipartUploads' answer.
type listMultipartUploadsResult struct {
	XMLName            xml.Name          `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
	Bucket             string            `xml:"Bucket"`
	KeyMarker          string            `xml:"KeyMarker"`
	UploadIDMarker     string            `xml:"UploadIdMarker"`
	NextKeyMarker      string            `xml:"NextKeyMarker"`
	NextUploadIDMarker string            `xml:"NextUploadIdMarker"`
	Delimiter          string            `xml:"Delimiter,omitempty"`
	Prefix             string            `xml:"Prefix"`
	MaxUploads         int               `xml:"MaxUploads"`
	IsTruncated        bool              `xml:"IsTruncated"`
	Uploads            []xmlUpload       `xml:"Upload"`
	CommonPrefixes     []xmlCommonPrefix `xml:"CommonPrefixes"`
	EncodingType       string            `xml:"EncodingType,omitempty"`
}

type xmlUpload struct {
	Key               string    `xml:"Key"`
	UploadID          string    `xml:"UploadId"`
	Initiator         *xmlOwner `xml:"Initiator"`
	Owner             *xmlOwner `xml:"Owner"`
	StorageClass      string    `xml:"StorageClass"`
	Initiated         string    `xml:"Initiated"`
	ChecksumAlgorithm string    `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string    `xml:"ChecksumType,omitempty"`
}

// listMultipartUploads implements ListMultipartUploads
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html).
func (s *Server) listMultipartUploads(rq *request) (*response, error) {
	q := rq.query
	p, err := parseListParams(q)
	if err != nil {
		return nil, err
	}
	limit, err := intParam(q, "max-uploads", maxParts, maxParts)
	if err != nil {
		return nil, err
	}
	in := objstore.ListUploadsInput{
		Prefix: p.prefix, Delimiter: p.delimiter, KeyMarker: q.Get("key-marker"),
		UploadIDMarker: q.Get("upload-id-marker"), MaxUploads: limit,
	}
	res, err := s.cfg.Store.ListMultipartUploads(rq.ctx(), rq.bucket, in)
	if err != nil {
		return nil, err
	}
	out := &listMultipartUploadsResult{
		Bucket: rq.bucket, KeyMarker: p.encode(in.KeyMarker), UploadIDMarker: in.UploadIDMarker,
		Delimiter: p.encode(p.delimiter), Prefix: p.encode(p.prefix), MaxUploads: limit,
		IsTruncated: res.IsTruncated, EncodingType: p.encodingType,
	}
	if res.IsTruncated {
		out.NextKeyMarker, out.NextUploadIDMarker = p.encode(res.NextKeyMarker), res.NextUploadIDMarker
	}
	for _, u := range res.Uploads {
		out.Uploads = append(out.Uploads, xmlUpload{
			Key: p.encode(u.Key), UploadID: u.UploadID, Initiator: s.owner(), Owner: s.owner(),
			StorageClass: storageClassOf(u.Meta), Initiated: isoTime(u.Initiated),
			ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType,
		})
	}
	for _, cp := range res.CommonPrefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, xmlCommonPrefix{Prefix: p.encode(cp)})
	}
	return &response{xml: out}, nil
}

// abortMultipartUpload implements AbortMultipartUpload: 204, or NoSuchUpload.
func (s *Server) abortMultipartUpload(rq *request) (*response, error) {
	if err := s.cfg.Store.AbortMultipartUpload(rq.ctx(), rq.bucket, rq.key, rq.query.Get("uploadId")); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}
