package s3api

import (
	"net/http"
	"strconv"

	"github.com/imgcdn/imgcdn/internal/httprange"
	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/precond"
)

// responseOverrides are GetObject's response-* query parameters and the headers they set.
var responseOverrides = [...]struct{ param, header string }{
	{"response-content-type", "Content-Type"},
	{"response-content-language", "Content-Language"},
	{"response-expires", "Expires"},
	{"response-cache-control", "Cache-Control"},
	{"response-content-disposition", "Content-Disposition"},
	{"response-content-encoding", "Content-Encoding"},
}

// getObject implements GetObject and HeadObject
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html): conditional
// headers, a single Range or a partNumber, response-* overrides, and the body streamed from
// the store without buffering.
func (s *Server) getObject(rq *request) (*response, error) {
	r, q := rq.r, rq.query
	head := r.Method == http.MethodHead
	hasOverrides := false
	for _, o := range responseOverrides {
		if _, ok := q[o.param]; ok {
			hasOverrides = true
			break
		}
	}
	if hasOverrides && rq.auth.Anonymous {
		return nil, newError(codeInvalidRequest).withMessage("Request specific response headers cannot be used for anonymous GET requests.")
	}
	part := 0
	if v, ok := q["partNumber"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > objstore.MaxPartNumber {
			return nil, invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", v[0])
		}
		if r.Header.Get("Range") != "" {
			return nil, newError(codeInvalidRequest).withMessage("Cannot specify both Range header and partNumber query parameter")
		}
		part = n
	}
	versionID := q.Get("versionId")

	// HEAD needs only the metadata; GET opens a consistent view whose body stays readable
	// even if the key is overwritten while it streams.
	var (
		info objstore.ObjectInfo
		obj  objstore.Object
		err  error
	)
	if head {
		info, err = s.cfg.Store.HeadObject(rq.ctx(), rq.bucket, rq.key, versionID)
	} else {
		obj, err = s.cfg.Store.OpenObject(rq.ctx(), rq.bucket, rq.key, versionID)
		if err == nil {
			info = obj.Info()
		}
	}
	if err != nil {
		return nil, err
	}
	resp, offset, length, err := s.objectResponse(rq, &info, part)
	if err != nil || head || resp.status == http.StatusNotModified {
		if obj != nil {
			obj.Close()
		}
		return resp, err
	}
	body, err := obj.NewReader(offset, length)
	if err != nil {
		obj.Close()
		return nil, err
	}
	resp.body, resp.closer = body, obj
	return resp, nil
}

// objectResponse evaluates the preconditions, range and part of a GET/HEAD and returns the
// answer's status and headers and the byte span to send.
func (s *Server) objectResponse(rq *request, info *objstore.ObjectInfo, part int) (*response, int64, int64, error) {
	r := rq.r
	resp := &response{}
	// Conditions first, in RFC 9110 §13.2.2 order (precond documents S3's combinations).
	switch precond.Evaluate(r.Header, info.ETag, info.LastModified) {
	case precond.NotModified:
		resp.set("Etag", quoteETag(info.ETag))
		resp.set("Last-Modified", httpTime(info.LastModified))
		resp.status = http.StatusNotModified
		return resp, 0, 0, nil
	case precond.PreconditionFailed:
		cond := "If-Match"
		if r.Header.Get("If-Match") == "" {
			cond = "If-Unmodified-Since"
		}
		return nil, 0, 0, newError(codePreconditionFailed).with("Condition", cond)
	}

	setObjectHeaders(resp, info)
	s.setVersionHeader(rq, resp, info.VersionID)
	offset, length := int64(0), info.Size
	switch {
	case part > 0:
		start, n, count, err := partSpan(info, part)
		if err != nil {
			return nil, 0, 0, err
		}
		offset, length = start, n
		if n > 0 { // an empty object's only part has no byte range to describe
			resp.status = http.StatusPartialContent
			resp.set("Content-Range", httprange.Range{Start: start, Length: n}.ContentRange(info.Size))
		}
		if count > 0 {
			resp.set("X-Amz-Mp-Parts-Count", strconv.Itoa(count))
		}
	case r.Header.Get("Range") != "":
		rg, ok, err := httprange.Parse(r.Header.Get("Range"), info.Size)
		if err != nil {
			return nil, 0, 0, newError(codeInvalidRange).
				with("RangeRequested", r.Header.Get("Range")).
				with("ActualObjectSize", strconv.FormatInt(info.Size, 10))
		}
		if ok {
			offset, length = rg.Start, rg.Length
			resp.status = http.StatusPartialContent
			resp.set("Content-Range", rg.ContentRange(info.Size))
		}
	default:
		// A full-object checksum describes the whole body only: S3 returns it on full reads.
		if r.Header.Get("X-Amz-Checksum-Mode") == "ENABLED" {
			setChecksumHeaders(resp, info.Checksum)
		}
	}
	resp.set("Content-Length", strconv.FormatInt(length, 10))
	for _, o := range responseOverrides {
		if v, ok := rq.query[o.param]; ok {
			resp.set(o.header, v[0])
		}
	}
	return resp, offset, length, nil
}

// partSpan returns the byte span of part n (1-based) and the part count (0 for an object
// that was not uploaded in parts, whose only part is the whole object).
func partSpan(info *objstore.ObjectInfo, n int) (start, length int64, count int, err error) {
	if info.PartsCount == 0 || len(info.PartSizes) == 0 {
		if n != 1 {
			return 0, 0, 0, newError(codeInvalidPartNumber).with("PartNumberRequested", strconv.Itoa(n)).
				with("ActualPartCount", "1")
		}
		return 0, info.Size, 0, nil
	}
	if n > len(info.PartSizes) {
		return 0, 0, 0, newError(codeInvalidPartNumber).with("PartNumberRequested", strconv.Itoa(n)).
			with("ActualPartCount", strconv.Itoa(len(info.PartSizes)))
	}
	for _, size := range info.PartSizes[:n-1] {
		start += size
	}
	return start, info.PartSizes[n-1], len(info.PartSizes), nil
}
