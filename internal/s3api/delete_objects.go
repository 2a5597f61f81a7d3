package s3api

import (
	"encoding/xml"
	"errors"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// deleteRequest is DeleteObjects' request body.
type deleteRequest struct {
	XMLName xml.Name       `xml:"Delete"`
	Quiet   bool           `xml:"Quiet"`
	Objects []deleteObject `xml:"Object"`
}

type deleteObject struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId"`
	// ETag, LastModifiedTime and Size make a delete conditional (a 2024 addition).
	ETag             string `xml:"ETag"`
	LastModifiedTime string `xml:"LastModifiedTime"`
	Size             string `xml:"Size"`
}

// deleteResult is DeleteObjects' answer.
type deleteResult struct {
	XMLName xml.Name         `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []xmlDeleted     `xml:"Deleted"`
	Errors  []xmlDeleteError `xml:"Error"`
}

type xmlDeleted struct {
	Key                   string `xml:"Key"`
	VersionID             string `xml:"VersionId,omitempty"`
	DeleteMarker          bool   `xml:"DeleteMarker,omitempty"`
	DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
}

type xmlDeleteError struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
}

// deleteObjects implements DeleteObjects
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html). The body must
// carry an integrity check: "The Content-MD5 or x-amz-sdk-checksum-algorithm header is
// required for all Multi-Object Delete requests"; the SDKs send an x-amz-checksum-* header or
// trailer, minio-go sends Content-MD5. Each key is authorized and deleted on its own; per-key
// failures are reported in the answer, which is 200 unless the request as a whole is wrong.
func (s *Server) deleteObjects(rq *request) (*response, error) {
	var req deleteRequest
	empty, err := s.readXML(rq, &req, true, true)
	if err != nil {
		return nil, err
	}
	if empty || len(req.Objects) == 0 || len(req.Objects) > s.cfg.MaxDeleteObjects {
		return nil, newError(codeMalformedXML).withMessage(
			"The XML you provided was not well-formed or did not validate against our published schema: a Delete names 1 to " +
				itoa(s.cfg.MaxDeleteObjects) + " objects.")
	}
	for _, o := range req.Objects {
		if o.ETag != "" || o.LastModifiedTime != "" || o.Size != "" {
			return nil, notImplemented("Conditional deletes (ETag, LastModifiedTime, Size) in DeleteObjects")
		}
	}
	// A missing bucket fails the whole request rather than every key.
	if _, err := s.cfg.Store.GetBucket(rq.ctx(), rq.bucket); err != nil {
		return nil, err
	}
	out := &deleteResult{}
	for _, o := range req.Objects {
		err := objstore.ValidateKey(o.Key)
		if err == nil {
			// Each key is authorized on its own (s3:DeleteObject, or s3:DeleteObjectVersion
			// with a VersionId); a refusal is that key's AccessDenied entry, as S3 reports it.
			err = s.authorizeKey(rq, o.Key, o.VersionID)
		}
		var info objstore.ObjectInfo
		if err == nil {
			info, err = s.cfg.Store.DeleteObject(rq.ctx(), rq.bucket, o.Key, o.VersionID)
		}
		if err != nil {
			if errors.Is(err, objstore.ErrNoSuchBucket) || isClientGone(err) {
				return nil, err
			}
			e := toAPIError(err, &request{bucket: rq.bucket, key: o.Key, query: rq.query})
			if e.Status >= 500 {
				s.logError(rq, e)
			}
			out.Errors = append(out.Errors, xmlDeleteError{Key: o.Key, VersionID: o.VersionID, Code: e.Code, Message: e.Message})
			continue
		}
		if req.Quiet {
			continue
		}
		d := xmlDeleted{Key: o.Key, VersionID: o.VersionID}
		if info.DeleteMarker {
			d.DeleteMarker, d.DeleteMarkerVersionID = true, info.VersionID
		}
		out.Deleted = append(out.Deleted, d)
	}
	return &response{xml: out}, nil
}
