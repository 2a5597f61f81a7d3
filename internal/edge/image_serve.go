package edge

import (
	"bytes"
	"errors"
	"net/http"
	"time"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// variant is one transform request on its way through the edge.
type variant struct {
	rq  *request
	src *request // the source's request (image_source.go)
	// opts are the options as asked; key the options as keyed: Format is the negotiated
	// format whenever Accept alone decides it (avif or webp for format=auto), never the raw
	// Accept header, and onerror, which changes no successful answer, is left out.
	opts, key    imaging.Options
	srcKey, vkey string
}

// image answers a transform request: 400 for bad options before anything is fetched, then
// the variant from the cache, or made once for all concurrent viewers of it (the edge's
// flights) from the source, which is itself read through the cache.
func (rq *request) image(img *imageReq) {
	var opts imaging.Options
	var err error
	if img.query != nil {
		opts, _, err = imaging.ParseQuery(img.query)
	} else {
		opts, err = imaging.Parse(img.options)
	}
	if err == nil {
		err = rq.h.cfg.Images.Limits.CheckOptions(opts)
	}
	if err != nil {
		rq.imageError(err)
		return
	}
	if !rq.imageGuard(opts) {
		return
	}
	v := rq.newVariant(img, opts)
	c := rq.h.cfg.Cache
	if e := c.Lookup(v.vkey); e != nil {
		if rq.inline && (e.Bytes() == nil || e.Filling()) {
			e.Release() // only a fresh variant in memory is answered without waiting
		} else if e.Filling() || rq.h.fresh(e.Meta()) {
			rq.serveEntry(e, "Hit")
			return
		} else {
			e.Release()
		}
	}
	if rq.decline() {
		return
	}
	var own *made
	res, leader := rq.h.flight.do(v.vkey, func() fillResult {
		own = v.make(true)
		return fillResult{stored: own.stored}
	})
	if !leader {
		if res.stored {
			if e := c.Lookup(v.vkey); e != nil {
				rq.serveEntry(e, "Hit")
				return
			}
		}
		// The leader's answer could not be kept (an uncacheable source, an error): this
		// viewer gets its own, as cached() sends such viewers to the origin.
		own = v.make(false)
	}
	v.serve(own)
}

func (rq *request) newVariant(img *imageReq, opts imaging.Options) *variant {
	v := &variant{rq: rq, src: rq.sourceRequest(img), opts: opts, key: opts}
	v.key.OnErrorRedirect = false
	if opts.Format == imaging.FormatAuto {
		// Negotiate answers avif or webp from Accept alone; otherwise its answer depends on the
		// source (its format and alpha), which one key covers: "format=auto" then means "for
		// a viewer that accepts neither".
		switch f := imaging.Negotiate(opts, rq.r.Header.Get("Accept"), false, imaging.FormatJPEG); f {
		case imaging.FormatAVIF, imaging.FormatWebP:
			v.key.Format = f
		}
	}
	v.srcKey = v.src.cacheKey("")
	v.vkey = v.srcKey + "\x00image\x00" + v.key.Canonical()
	return v
}

// serve answers the viewer with what make produced.
func (v *variant) serve(m *made) {
	rq := v.rq
	switch {
	case m.originErr != nil:
		v.src.relay(rq.r).serveOrigin(&originAnswer{err: m.originErr})
	case m.src != nil:
		// The source is not a 200 (404, 403, a redirect...): the viewer gets that answer,
		// as it would for the source's own URL.
		rel := v.src.relay(rq.r)
		if m.src.e != nil {
			rel.serveEntry(m.src.e, m.src.xcache)
		} else {
			rel.serveOrigin(m.src.ans)
		}
	case m.err != nil:
		if v.opts.OnErrorRedirect && !errors.Is(m.err, imaging.ErrBadOption) {
			// onerror=redirect: the original, exactly as its own URL serves it.
			v.src.relay(rq.r).cached()
			return
		}
		rq.imageError(m.err)
	case m.stored:
		if e := rq.h.cfg.Cache.Lookup(v.vkey); e != nil {
			rq.serveEntry(e, "Miss")
			return
		}
		rq.serveBytes(m.body, m.header)
	default:
		rq.serveBytes(m.body, m.header)
	}
}

// serveBytes answers a variant that was not stored, with Range and conditionals handled by
// http.ServeContent against the variant's own ETag.
func (rq *request) serveBytes(body []byte, header http.Header) {
	hdr := rq.w.Header()
	for k, v := range header {
		hdr[k] = v
	}
	rq.edgeHeaders("Miss")
	rq.finishHeaders(hdr, "Miss")
	http.ServeContent(rq.w, rq.r, "", time.Time{}, bytes.NewReader(body))
}
