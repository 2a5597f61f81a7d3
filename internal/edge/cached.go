package edge

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/imgcdn/imgcdn/internal/cachekey"
	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/precond"
	"github.com/imgcdn/imgcdn/internal/ttl"
)

// cached serves a request whose method the behaviour caches: from the cache when the entry
// is fresh (or being filled right now), after revalidation when it is stale, from the origin
// through one collapsed fill when it is missing.
func (rq *request) cached() {
	enc := ""
	if rq.behavior.compress {
		enc = cachekey.Encoding(rq.behavior.key, rq.r.Header.Get("Accept-Encoding"))
	}
	// The lookup borrows the key from the stack (Lookup keeps no reference to it): a hit
	// allocates no key. What may keep it (a fill, a flight, a revalidation) gets a copy.
	var kb [keyBufSize]byte
	kbytes := rq.appendKey(kb[:0], enc)
	e := rq.h.cfg.Cache.Lookup(unsafe.String(unsafe.SliceData(kbytes), len(kbytes)))
	if rq.inline {
		// Only a fresh hit whose body is in memory, or not needed, is answered without
		// waiting.
		var bp *[]byte
		if e == nil || e.Filling() || !rq.fresh(e.Meta()) || !rq.bodyAtHand(e, &bp) {
			if e != nil {
				e.Release()
			}
			rq.decline()
			return
		}
		rq.serveEntry(e, "Hit")
		if bp != nil {
			rq.h.bufs.Put(bp)
		}
		return
	}
	rq.lookedUp(e, string(kbytes), enc)
}

// lookedUp goes on from the lookup of key, which found e (or nil): a hit, a revalidation, or
// a fetch from the origin collapsed with the other viewers of key.
func (rq *request) lookedUp(e *edgecache.Entry, key, enc string) {
	far := rq.farRange()
	if e != nil {
		m := e.Meta()
		if e.Filling() && far {
			// The fill has probably not reached the range yet: fetch just the range rather
			// than wait for everything before it.
			e.Release()
			rq.directRange()
			return
		}
		if e.Filling() || rq.fresh(m) {
			rq.serveEntry(e, "Hit")
			return
		}
		if rq.staleWhileRevalidate(m) {
			// RFC 5861 §3: answer with the stale copy at once and revalidate once, in the
			// background, for everyone.
			rq.revalidateInBackground(key, enc)
			rq.serveEntry(e, "Hit")
			return
		}
		e.Release()
	} else if far {
		// A cold object and a range far into it (a seek in a video, a resumed download): the
		// viewer gets just its range from the origin at once, while the whole object is
		// fetched once in the background for the viewers after it.
		rq.revalidateInBackground(key, enc)
		rq.directRange()
		return
	}
	var own *originAnswer // the leader's answer when it was not stored
	res, leader := rq.h.flight.do(key, func() fillResult {
		res, ans := rq.fetchAndStore(key, enc)
		own = ans
		return res
	})
	switch {
	case leader && own != nil:
		rq.serveOrigin(own)
		return
	case res.stored:
		if e := rq.h.cfg.Cache.Lookup(key); e != nil {
			xcache := "Hit"
			switch {
			case res.refreshed:
				xcache = "RefreshHit"
			case leader:
				xcache = "Miss"
			}
			rq.serveEntry(e, xcache)
			return
		}
	}
	// Not stored (uncacheable, or the fill was dropped at once): this viewer asks the origin
	// itself, as CloudFront does for responses it may not cache.
	rq.direct(enc)
}

// fetchAndStore runs once per key among concurrent viewers. It re-checks the cache first
// (a fill may have been committed between the caller's lookup and its turn in the flight,
// as in groupcache), revalidates a stale entry, or fetches and starts storing a new one.
// It answers the origin's response itself only when it could not be stored.
func (rq *request) fetchAndStore(key, enc string) (fillResult, *originAnswer) {
	c := rq.h.cfg.Cache
	var stale *edgecache.Entry
	if e := c.Lookup(key); e != nil {
		if e.Filling() || rq.fresh(e.Meta()) {
			e.Release()
			return fillResult{stored: true}, nil
		}
		stale = e
		defer stale.Release()
	}
	ctx, cancel := context.WithTimeout(context.Background(), rq.h.cfg.OriginTimeout)
	hdr, query := rq.originHeader(enc)
	method := rq.r.Method
	if method == http.MethodHead {
		// A HEAD miss fetches the object, so that the next request of either method is a hit
		// (the seed's `curl -I` twice shows Miss, then Hit).
		method = http.MethodGet
	}
	var staleMeta edgecache.Meta
	if stale != nil {
		staleMeta = stale.Meta()
		if v := staleMeta.Header.Get("ETag"); v != "" {
			hdr.Set("If-None-Match", v)
		}
		if v := staleMeta.Header.Get("Last-Modified"); v != "" {
			hdr.Set("If-Modified-Since", v)
		}
	}
	ans, err := rq.fetch(ctx, method, hdr, query, nil)
	if err != nil {
		cancel()
		if stale != nil && rq.staleIfError(staleMeta) {
			return fillResult{stored: true, refreshed: true}, nil
		}
		if rq.storeFailure(key, err) {
			return fillResult{stored: true}, nil
		}
		return fillResult{}, &originAnswer{err: err}
	}
	ans.cancel = cancel
	if stale != nil {
		if ans.resp.StatusCode == http.StatusNotModified {
			ans.discard()
			m := rq.h.refreshed(rq, staleMeta, ans.resp.Header)
			if err := c.Refresh(key, m); err != nil {
				rq.h.log.Warn("edge: refreshing a revalidated entry", "err", err)
			}
			return fillResult{stored: true, refreshed: true}, nil
		}
		if ans.resp.StatusCode >= 500 && rq.staleIfError(staleMeta) {
			ans.discard()
			return fillResult{stored: true, refreshed: true}, nil
		}
	}
	m, compress, ok := rq.storable(ans.resp, enc)
	if !ok {
		return fillResult{}, ans
	}
	if stale != nil {
		// The origin sent a new object. While a replacement fill runs, Lookup prefers the
		// committed entry, so the expired one must go first: otherwise this viewer, the
		// flight's waiters and everyone until the commit would get the old bytes (and each
		// newcomer would revalidate again). Readers holding it keep reading until Release.
		c.Delete(key)
	}
	f, _, started := c.Begin(key, m)
	if !started {
		ans.discard()
		return fillResult{stored: true}, nil
	}
	go rq.h.copyFill(ans, f, enc, compress)
	return fillResult{stored: true}, nil
}

// bodyAtHand reports whether answering with e waits for no disk: a HEAD, and a GET that
// will be answered 304 (a browser revalidating), send no body; other requests find it in the
// memory tier or, when it fits a copy buffer, in the page cache, from which it is then read
// into one (*bp, to put back once the answer is written).
func (rq *request) bodyAtHand(e *edgecache.Entry, bp **[]byte) bool {
	m := e.Meta()
	if e.Bytes() != nil || rq.r.Method == http.MethodHead ||
		m.Status == http.StatusOK && rq.errorPage == 0 && rq.preconditions(m.Header) == precond.NotModified {
		return true
	}
	if m.Size > copyBufferSize {
		return false
	}
	b := rq.h.copyBuffer()
	if !e.LoadCached(*b) {
		rq.h.bufs.Put(b)
		return false
	}
	*bp = b
	return true
}

// fresh is Handler.fresh at the request's own clock reading.
func (rq *request) fresh(m edgecache.Meta) bool {
	return rq.now().Before(m.StoredAt.Add(m.TTL))
}

func (h *Handler) fresh(m edgecache.Meta) bool {
	return h.now().Before(m.StoredAt.Add(m.TTL))
}

// staleWhileRevalidate reports whether an expired entry may be served while it is
// revalidated: within the stale-while-revalidate window of its Cache-Control past its lifetime.
func (rq *request) staleWhileRevalidate(m edgecache.Meta) bool {
	window := ttl.Decide(rq.behavior.ttl, m.Status, m.Header, m.StoredAt).StaleWhileRevalidate
	return window > 0 && rq.now().Before(m.StoredAt.Add(m.TTL+window))
}

// storeFailure caches the edge's 502/504 page for an origin that could not be reached, for
// the ErrorCachingMinTTL of that status (10 s by default), as CloudFront does, so that a
// failing origin is not hammered by every viewer. It reports whether the page was stored.
func (rq *request) storeFailure(key string, err error) bool {
	status, msg := originFailure(err)
	var minTTL *time.Duration
	if e, ok := rq.site.errors[status]; ok && e.ErrorCachingMinTTL != nil {
		d := time.Duration(*e.ErrorCachingMinTTL) * time.Second
		minTTL = &d
	}
	life := ttl.DecideError(status, http.Header{}, minTTL)
	if !life.Cacheable || life.TTL <= 0 {
		return false
	}
	body := pageBody(status, "Origin unreachable", msg, "")
	hdr := http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Cache-Control": {"no-store"},
		"Content-Length": {itoa(int64(len(body)))}}
	m := edgecache.Meta{Dist: rq.site.id, Path: rq.path, Status: status, Header: hdr, StoredAt: rq.h.now(), TTL: life.TTL, Size: int64(len(body))}
	f, _, started := rq.h.cfg.Cache.Begin(key, m)
	if !started {
		return false
	}
	if _, err := f.Write(body); err != nil {
		f.Abort()
		return false
	}
	return f.Commit(int64(len(body))) == nil
}

// revalidateInBackground revalidates (or, for a missing key, fills) key once, apart from any
// viewer: the flight keeps concurrent viewers from each starting one.
func (rq *request) revalidateInBackground(key, enc string) {
	bg := *rq
	bg.w = nil
	bg.r = rq.r.Clone(context.Background()) // not the viewer's: the edge's server reuses requests
	bg.r.Method = http.MethodGet
	bg.r.Header.Del("Range")
	bg.r.Header.Del("If-Range")
	go func() {
		rq.h.flight.do(key, func() fillResult {
			res, ans := bg.fetchAndStore(key, enc)
			if ans != nil {
				ans.discard()
			}
			return res
		})
	}()
}

// staleIfError reports whether an expired entry may still be served when its origin fails:
// within the stale-if-error window of its Cache-Control (RFC 5861 §4) past its lifetime.
func (rq *request) staleIfError(m edgecache.Meta) bool {
	window := ttl.Decide(rq.behavior.ttl, m.Status, m.Header, m.StoredAt).StaleIfError
	return window > 0 && rq.now().Before(m.StoredAt.Add(m.TTL+window))
}

// farRange reports whether a GET asks for a single range that starts at least
// Config.RangeDirectFrom bytes into the object, or for a suffix ("bytes=-n"), whose start is
// unknown until the object's size is.
func (rq *request) farRange() bool {
	v := rq.r.Header.Get("Range")
	if v == "" || rq.r.Method != http.MethodGet || rq.h.cfg.RangeDirectFrom <= 0 {
		return false
	}
	spec, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return false
	}
	first, _, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return false
	}
	if first == "" {
		return true
	}
	n, err := strconv.ParseInt(first, 10, 64)
	return err == nil && n >= rq.h.cfg.RangeDirectFrom
}

// directRange fetches the viewer's range (and If-Range) from the origin for this viewer
// alone and relays the 206 (or whatever the origin answers), streaming.
func (rq *request) directRange() {
	ctx, cancel := context.WithTimeout(rq.r.Context(), rq.h.cfg.OriginTimeout)
	hdr, query := rq.originHeader("")
	hdr.Set("Range", rq.r.Header.Get("Range"))
	if v := rq.r.Header.Get("If-Range"); v != "" {
		hdr.Set("If-Range", v)
	}
	ans, err := rq.fetch(ctx, http.MethodGet, hdr, query, nil)
	if err != nil {
		cancel()
		rq.serveOrigin(&originAnswer{err: err})
		return
	}
	ans.cancel = cancel
	rq.serveOrigin(ans)
}
