package edge

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/imaging"
)

// sourceRequest is the request for a transform's source: the viewer's, for the source path and
// query, under the source's behaviour. It asks for the identity encoding (the source is cached
// as the entry a client without Accept-Encoding gets) and carries no conditionals or Range:
// those apply to the variant, not to the bytes the edge transforms.
func (rq *request) sourceRequest(img *imageReq) *request {
	r := rq.r.Clone(rq.r.Context())
	r.Method = http.MethodGet
	for _, k := range []string{"Accept-Encoding", "Range", "If-Range", "If-Match", "If-None-Match",
		"If-Modified-Since", "If-Unmodified-Since"} {
		r.Header.Del(k)
	}
	r.URL.Path, r.URL.RawPath, r.URL.RawQuery = img.source, "", img.sourceQuery
	return &request{h: rq.h, w: rq.w, r: r, https: rq.https, id: rq.id, site: rq.site,
		behavior: img.behavior, path: img.source}
}

// relay is the source request as the viewer's own: it serves the source's answer to the
// viewer, with the viewer's conditionals, Range and Accept-Encoding.
func (src *request) relay(viewer *http.Request) *request {
	r := viewer.Clone(viewer.Context())
	r.URL.Path, r.URL.RawPath, r.URL.RawQuery = src.r.URL.Path, "", src.r.URL.RawQuery
	rel := *src
	rel.r = r
	return &rel
}

// source is a transform's source: its cache entry, or the origin's answer when it was not
// stored. Exactly one of e and ans is set; release frees it.
type source struct {
	e      *edgecache.Entry
	ans    *originAnswer
	meta   edgecache.Meta // Status and Header always; StoredAt and TTL for an entry
	xcache string         // how the entry was found, for relaying it
}

func (s *source) release() {
	if s.e != nil {
		s.e.Release()
	}
	if s.ans != nil {
		s.ans.discard()
	}
}

// openSource finds the source through the normal cached path: a fresh (or filling) entry is
// reused, a missing one is fetched and stored as itself through the edge's flights, so that
// viewers of the source and of its variants share one origin request. A source that may not be
// stored is fetched for this request alone. The error is the origin's failure (502/504).
func (src *request) openSource() (*source, error) {
	h := src.h
	c := h.cfg.Cache
	key := src.cacheKey("")
	if e := c.Lookup(key); e != nil {
		if e.Filling() || h.fresh(e.Meta()) {
			return &source{e: e, meta: e.Meta(), xcache: "Hit"}, nil
		}
		e.Release()
	}
	var own *originAnswer
	res, leader := h.flight.do(key, func() fillResult {
		res, ans := src.fetchAndStore(key, "")
		own = ans
		return res
	})
	switch {
	case leader && own != nil:
		if own.err != nil {
			return nil, own.err
		}
		return answerSource(src, own), nil
	case res.stored:
		if e := c.Lookup(key); e != nil {
			xcache := "Hit"
			if leader {
				xcache = "Miss"
			}
			return &source{e: e, meta: e.Meta(), xcache: xcache}, nil
		}
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(src.r.Context()), h.cfg.OriginTimeout)
	hdr, query := src.originHeader("")
	ans, err := src.fetch(ctx, http.MethodGet, hdr, query, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	ans.cancel = cancel
	return answerSource(src, ans), nil
}

func answerSource(src *request, ans *originAnswer) *source {
	return &source{ans: ans, meta: edgecache.Meta{Status: ans.resp.StatusCode, Header: src.storedHeader(ans.resp.Header)}}
}

// read returns the whole source body, refusing one larger than limit before reading past it:
// by its declared length when known, else after limit+1 bytes.
func (s *source) read(limit int64) ([]byte, error) {
	size := s.meta.Size
	if s.e == nil || s.e.Filling() || size < 0 {
		size = -1
		if v := s.meta.Header.Get("Content-Length"); v != "" && s.meta.Header.Get("Content-Encoding") == "" {
			if n, err := parseInt(v); err == nil {
				size = n
			}
		}
	}
	if size > limit {
		return nil, fmt.Errorf("%w: the source is %d bytes, the limit is %d", imaging.ErrTooLarge, size, limit)
	}
	var body io.Reader
	if s.e != nil {
		rc, err := s.e.NewReader(0, -1)
		if err != nil {
			return nil, fmt.Errorf("edge: reading the source from the cache: %w", err)
		}
		defer rc.Close()
		body = rc
	} else {
		body = s.ans.resp.Body
	}
	b, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("edge: reading the source: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: the source is more than %d bytes", imaging.ErrTooLarge, limit)
	}
	return b, nil
}

// stillCached reports whether the source entry read for a variant is still the cached one. A
// variant fill begun after an invalidation of its source path would escape it (Invalidate
// detaches only the fills already running), so the fill is begun first and then this is
// checked: an invalidation before Begin shows here, one after it fails the Commit.
func (src *request) stillCached(key string, m edgecache.Meta) bool {
	e := src.h.cfg.Cache.Lookup(key)
	if e == nil {
		return false
	}
	defer e.Release()
	now := e.Meta()
	return now.StoredAt.Equal(m.StoredAt) && now.Header.Get("ETag") == m.Header.Get("ETag")
}
