package edge

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imgcdn/imgcdn/internal/cachekey"
	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/ttl"
)

// hopHeaders are never stored nor relayed (RFC 9110 §7.6.1), with the S3 request ids, which
// name one origin request rather than the object (CloudFront's answers in the seed carry none).
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
	"X-Amz-Request-Id", "X-Amz-Id-2"}

// storable decides whether an origin response goes into the cache, and with what Meta.
// Because only keyed headers reach the origin, every request with one key looks the same to
// it, so a Vary naming request headers is honoured by construction; only "Vary: *" (the
// answer depends on something no header names) is not stored.
func (rq *request) storable(resp *http.Response, enc string) (m edgecache.Meta, compress, ok bool) {
	h := rq.h
	hdr := rq.storedHeader(resp.Header)
	now := h.now()
	var life ttl.Decision
	if resp.StatusCode >= 400 {
		var minTTL *time.Duration
		if e, ok := rq.site.errors[resp.StatusCode]; ok && e.ErrorCachingMinTTL != nil {
			d := time.Duration(*e.ErrorCachingMinTTL) * time.Second
			minTTL = &d
		}
		life = ttl.DecideError(resp.StatusCode, resp.Header, minTTL)
	} else {
		life = ttl.Decide(rq.behavior.ttl, resp.StatusCode, resp.Header, now)
	}
	if !life.Cacheable || life.TTL <= 0 || hasVaryStar(resp.Header) || resp.ContentLength > h.cfg.MaxCacheableBytes {
		return m, false, false
	}
	size := resp.ContentLength
	ct := hdr.Get("Content-Type")
	eligible := rq.behavior.compress && resp.StatusCode == http.StatusOK && hdr.Get("Content-Encoding") == "" &&
		cachekey.Compressible(ct, resp.ContentLength)
	if eligible {
		addVary(hdr, "Accept-Encoding")
		if enc != "" {
			compress = true
			hdr.Set("Content-Encoding", enc)
			hdr.Del("Content-Length")
			if et := hdr.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
				// A compressed representation is not byte-identical: its validator is weak
				// (RFC 9110 §8.8.1), as nginx's gzip makes it.
				hdr.Set("ETag", "W/"+et)
			}
			size = -1
		}
	}
	return edgecache.Meta{
		Dist:     rq.site.id,
		Path:     rq.path,
		Status:   resp.StatusCode,
		Header:   hdr,
		StoredAt: now,
		TTL:      life.TTL,
		Stale:    max(life.StaleIfError, life.StaleWhileRevalidate, h.cfg.KeepStale),
		Size:     size,
	}, compress, true
}

// refreshed is a stale entry's Meta after a 304: the 304's headers update the stored ones
// (RFC 9111 §4.3.4) and the lifetime is decided again from them.
// The 304 goes through the same filter as a stored response (its S3 request ids and, when
// cookies are not forwarded, its Set-Cookie are not kept), and cannot undo what the edge did
// to a body it compressed: the weak ETag and Vary: Accept-Encoding stay.
func (h *Handler) refreshed(rq *request, m edgecache.Meta, fresh http.Header) edgecache.Meta {
	hdr := m.Header.Clone()
	for k, v := range rq.storedHeader(fresh) {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Content-Encoding", "Content-Type":
			continue
		case "Etag":
			if old := hdr.Get("ETag"); len(v) == 1 && old == "W/"+v[0] {
				continue
			}
		}
		hdr[k] = v
	}
	if varies(m.Header, "Accept-Encoding") {
		addVary(hdr, "Accept-Encoding")
	}
	life := ttl.Decide(rq.behavior.ttl, m.Status, hdr, h.now())
	m.Header, m.StoredAt, m.TTL = hdr, h.now(), life.TTL
	m.Stale = max(life.StaleIfError, life.StaleWhileRevalidate, h.cfg.KeepStale)
	return m
}

// copyFill streams an origin body into the cache, compressing when asked. It runs apart from
// any viewer: viewers read the entry as it fills, and one leaving does not cut the fill short
// for the others. A body shorter than its Content-Length is aborted, never stored.
func (h *Handler) copyFill(ans *originAnswer, f *edgecache.Fill, enc string, compress bool) {
	defer ans.discard()
	cw := &countingWriter{w: f}
	var dst io.Writer = cw
	var zw io.WriteCloser
	if compress {
		zw = newEncoder(enc, cw)
		dst = zw
	}
	n, err := h.copyBuffered(dst, ans.resp.Body)
	if err == nil && zw != nil {
		err = zw.Close()
	}
	if err == nil && ans.resp.ContentLength >= 0 && n != ans.resp.ContentLength {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		f.Abort()
		h.log.Warn("edge: origin body cut short; not stored", "err", err, "got", n, "want", ans.resp.ContentLength)
		return
	}
	if err := f.Commit(cw.n); err != nil {
		h.log.Info("edge: fill not committed", "err", err)
	}
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func hasVaryStar(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(f) == "*" {
				return true
			}
		}
	}
	return false
}

// storedHeader is what of an origin response's header the edge keeps and replays.
func (rq *request) storedHeader(resp http.Header) http.Header {
	hdr := resp.Clone()
	for _, k := range hopHeaders {
		hdr.Del(k)
	}
	if rq.behavior.key.Cookies.Behavior == "none" {
		// CloudFront removes Set-Cookie when the behaviour forwards no cookies.
		hdr.Del("Set-Cookie")
	}
	return hdr
}

// addVary adds name to the Vary header unless it is already listed.
func addVary(h http.Header, name string) {
	if !varies(h, name) {
		// Clipped: on a hit h's values are the cache entry's own slices, shared by every
		// viewer of it, and an append with spare capacity would write into them.
		h["Vary"] = append(slices.Clip(h["Vary"]), name)
	}
}

// varies reports whether the Vary header lists name.
func varies(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) {
				return true
			}
		}
	}
	return false
}

func parseInt(v string) (int64, error) { return strconv.ParseInt(strings.TrimSpace(v), 10, 64) }

func parseAge(v string) time.Duration {
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}
