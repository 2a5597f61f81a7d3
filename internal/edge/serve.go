package edge

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/httprange"
	"github.com/imgcdn/imgcdn/internal/httpserver"
	"github.com/imgcdn/imgcdn/internal/precond"
)

// serveEntry answers from a cache entry (committed, or still filling: then the body follows
// the fill as it arrives). Viewer conditionals get 304/412 and a single Range gets 206 from
// the entry, as CloudFront does from its cache. It releases e.
func (rq *request) serveEntry(e *edgecache.Entry, xcache string) {
	defer e.Release()
	m := e.Meta()
	if rq.customError(m.Status) {
		return
	}
	hdr := rq.w.Header()
	for k, v := range m.Header {
		hdr[k] = v
	}
	if m.Status >= 400 {
		xcache = "Error"
	}
	rq.edgeHeaders(xcache)
	if xcache != "Miss" {
		age := rq.now().Sub(m.StoredAt) + parseAge(m.Header.Get("Age"))
		hdr["Age"] = rq.number(valAge, int64(max(age, 0)/time.Second))
	}
	size := m.Size
	if e.Filling() {
		size = -1
	}
	status, off, n := m.Status, int64(0), int64(-1)
	if rq.errorPage != 0 {
		status = rq.errorPage
	}
	if status == http.StatusOK {
		switch rq.preconditions(hdr) {
		case precond.NotModified:
			notModified(hdr)
			rq.finishHeaders(hdr, xcache)
			rq.w.WriteHeader(http.StatusNotModified)
			return
		case precond.PreconditionFailed:
			rq.page(http.StatusPreconditionFailed, "Precondition failed", "The object does not match the request's preconditions.")
			return
		}
		if size < 0 {
			size = knownLength(m)
		}
		if spec := rq.r.Header.Get("Range"); spec != "" && size >= 0 && ifRangeHolds(rq.r.Header, hdr) {
			rng, ok, err := httprange.Parse(spec, size)
			switch {
			case err != nil:
				hdr.Set("Content-Range", httprange.UnsatisfiedContentRange(size))
				hdr.Del("Content-Length")
				rq.w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
				return
			case ok:
				status, off, n = http.StatusPartialContent, rng.Start, rng.Length
				hdr.Set("Content-Range", rng.ContentRange(size))
			}
		}
	}
	switch {
	case n >= 0:
		hdr["Content-Length"] = rq.number(valLength, n)
	case size >= 0:
		if v := hdr["Content-Length"]; len(v) != 1 || !isDecimal(v[0], size) {
			hdr["Content-Length"] = rq.number(valLength, size)
		} // else the stored header (shared with the entry, never written to) says it
	default:
		hdr.Del("Content-Length")
	}
	rq.finishHeaders(hdr, xcache)
	rq.w.WriteHeader(status)
	if rq.r.Method == http.MethodHead {
		return
	}
	if b := e.Bytes(); b != nil && off <= int64(len(b)) && off+n <= int64(len(b)) {
		// A memory hit: the body is one slice, written as is (no reader, no copy buffer),
		// and the server may keep referring to it unless it is only borrowed.
		if n < 0 {
			n = int64(len(b)) - off
		}
		var err error
		if e.Borrowed() {
			_, err = rq.w.Write(b[off : off+n])
		} else {
			_, err = httpserver.WriteImmutable(rq.w, b[off:off+n])
		}
		if err != nil {
			rq.h.log.Debug("edge: response cut short", "err", err)
		}
		return
	}
	body, err := e.NewReader(off, n)
	if err != nil {
		rq.h.log.Warn("edge: reading a cache entry", "err", err)
		return
	}
	defer body.Close()
	var dst io.Writer = rq.w
	if e.Filling() && len(hdr["Content-Length"]) > 0 {
		// The bytes of a fill go out as they come from the origin. Without a length (a
		// compression in progress), the server keeps buffering, so that a small body still
		// gets a Content-Length rather than chunks.
		dst = flushingWriter{rq.w}
	}
	if _, err := rq.h.copyBuffered(dst, body); err != nil {
		// The viewer left, or the fill failed mid-way: the connection is closed without the
		// full length, so the viewer sees a truncated transfer, never wrong bytes.
		rq.h.log.Debug("edge: response cut short", "err", err)
	}
}

// isDecimal reports whether s is n written in decimal, as a stored Content-Length is.
func isDecimal(s string, n int64) bool {
	v, err := strconv.ParseInt(s, 10, 64)
	return err == nil && v == n
}

// knownLength is an entry's identity length from its stored Content-Length while it fills.
func knownLength(m edgecache.Meta) int64 {
	if m.Header.Get("Content-Encoding") != "" {
		return -1
	}
	if v := m.Header.Get("Content-Length"); v != "" {
		if n, err := parseInt(v); err == nil {
			return n
		}
	}
	return -1
}

// ifRangeHolds applies If-Range (RFC 9110 §13.1.5): the Range is honoured only when the
// validator still matches (strong comparison for an entity-tag).
func ifRangeHolds(req, resp http.Header) bool {
	v := req.Get("If-Range")
	if v == "" {
		return true
	}
	if t, err := http.ParseTime(v); err == nil {
		lm, err := http.ParseTime(resp.Get("Last-Modified"))
		return err == nil && lm.Equal(t)
	}
	et := resp.Get("ETag")
	return et != "" && len(et) > 2 && et[:2] != "W/" && et == v
}

// notModified keeps only the headers a 304 may carry (RFC 9110 §15.4.5).
func notModified(h http.Header) {
	for k := range h {
		switch k {
		case "Cache-Control", "Content-Location", "Date", "Etag", "Expires", "Vary", "Last-Modified", "Age",
			"X-Cache", "Via", "X-Amz-Cf-Pop", "X-Amz-Cf-Id":
		default:
			delete(h, k)
		}
	}
}

// serveOrigin relays a response that was not stored, streaming its body.
func (rq *request) serveOrigin(ans *originAnswer) {
	if ans.err != nil {
		status, msg := originFailure(ans.err)
		if rq.customError(status) {
			return
		}
		rq.page(status, "Origin unreachable", msg)
		return
	}
	defer ans.discard()
	resp := ans.resp
	if rq.customError(resp.StatusCode) {
		return
	}
	hdr := rq.w.Header()
	for k, v := range resp.Header {
		hdr[k] = v
	}
	for _, k := range hopHeaders {
		hdr.Del(k)
	}
	if rq.behavior.key.Cookies.Behavior == "none" {
		hdr.Del("Set-Cookie")
	}
	xcache := "Miss"
	if resp.StatusCode >= 400 {
		xcache = "Error"
	}
	rq.edgeHeaders(xcache)
	status := resp.StatusCode
	if rq.errorPage != 0 {
		status = rq.errorPage
	}
	rq.finishHeaders(hdr, xcache)
	rq.w.WriteHeader(status)
	if rq.r.Method == http.MethodHead {
		return
	}
	if _, err := rq.h.copyBuffered(rq.w, resp.Body); err != nil {
		rq.h.log.Debug("edge: relaying an origin body", "err", err)
	}
}

// direct fetches for this viewer alone, without storing: for responses the cache may not
// keep.
func (rq *request) direct(enc string) {
	ctx, cancel := context.WithTimeout(rq.r.Context(), rq.h.cfg.OriginTimeout)
	hdr, query := rq.originHeader("")
	ans, err := rq.fetch(ctx, rq.r.Method, hdr, query, nil)
	if err != nil {
		cancel()
		rq.serveOrigin(&originAnswer{err: err})
		return
	}
	ans.cancel = cancel
	rq.serveOrigin(ans)
}

// pass forwards a method the behaviour does not cache (POST, PUT, PATCH, DELETE, and OPTIONS
// unless cached), body and all, and relays the answer.
func (rq *request) pass() {
	ctx, cancel := context.WithTimeout(rq.r.Context(), rq.h.cfg.OriginTimeout)
	hdr, query := rq.originHeader("")
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Md5"} {
		if v := rq.r.Header.Get(k); v != "" {
			hdr.Set(k, v)
		}
	}
	var body = rq.r.Body
	if rq.r.ContentLength == 0 {
		body = nil
	}
	ans, err := rq.fetch(ctx, rq.r.Method, hdr, query, body)
	if err != nil {
		cancel()
		rq.serveOrigin(&originAnswer{err: err})
		return
	}
	ans.cancel = cancel
	rq.serveOrigin(ans)
}

// customError answers status with the distribution's CustomErrorResponse when one names a
// ResponsePagePath: the page is served through the distribution like any other object, with
// ResponseCode as the status (the original status when none is set). It reports whether it
// answered.
func (rq *request) customError(status int) bool {
	if status < 400 || rq.errorPage != 0 || rq.site == nil {
		return false
	}
	ce, ok := rq.site.errors[status]
	if !ok || ce.ResponsePagePath == "" {
		return false
	}
	if rq.decline() {
		return true // the page comes from the cache or the origin
	}
	code := status
	if ce.ResponseCode != "" {
		if n, err := parseInt(ce.ResponseCode); err == nil {
			code = int(n)
		}
	}
	sub := &request{h: rq.h, w: rq.w, r: rq.r.Clone(rq.r.Context()), https: rq.https, id: rq.id, site: rq.site, errorPage: code, start: rq.start}
	sub.r.Method = http.MethodGet
	if rq.r.Method == http.MethodHead {
		sub.r.Method = http.MethodHead
	}
	sub.r.Header.Del("Range")
	sub.r.Header.Del("If-None-Match")
	sub.r.Header.Del("If-Modified-Since")
	sub.r.URL.Path, sub.r.URL.RawPath, sub.r.URL.RawQuery = ce.ResponsePagePath, "", ""
	sub.path = ce.ResponsePagePath
	sub.behavior = rq.site.behaviorFor(ce.ResponsePagePath)
	sub.cached()
	return true
}

// preconditions evaluates the viewer's conditional headers against an answer's validators;
// most requests have none, and then nothing is parsed.
func (rq *request) preconditions(hdr http.Header) precond.Result {
	h := rq.r.Header
	if len(h["If-Match"]) == 0 && len(h["If-None-Match"]) == 0 && len(h["If-Modified-Since"]) == 0 && len(h["If-Unmodified-Since"]) == 0 {
		return precond.Proceed
	}
	var lm time.Time
	if v := hdr.Get("Last-Modified"); v != "" {
		lm, _ = http.ParseTime(v)
	}
	return precond.Evaluate(h, hdr.Get("ETag"), lm)
}

// flushingWriter sends every write at once, so that the first bytes of a miss reach the
// viewer without waiting for the rest (as nginx does), where the server would otherwise hold
// up to 64 KiB of a response back (a small miss's whole body).
type flushingWriter struct{ w http.ResponseWriter }

func (f flushingWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err != nil {
		return n, err
	}
	if err := http.NewResponseController(f.w).Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return n, err
	}
	return n, nil
}
