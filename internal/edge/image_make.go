package edge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/imaging"
)

// made is the outcome of making a variant: the variant (stored or not), or what to answer
// instead.
type made struct {
	stored bool
	body   []byte
	header http.Header
	// src is a source answer other than 200, relayed to the viewer (held until served).
	src *source
	// err is a transform failure or a source the limits refuse; originErr a failed fetch or
	// read of the source.
	err, originErr error
}

// make fetches the source, transforms it and, when store is set and the source is cached,
// stores the variant under the source's path (so invalidating the source removes it) with the
// source's freshness. It re-checks the cache first: a variant may have been committed between
// the caller's lookup and its turn in the flight (as in cached()).
func (v *variant) make(store bool) *made {
	h := v.rq.h
	if store {
		if e := h.cfg.Cache.Lookup(v.vkey); e != nil {
			ok := e.Filling() || h.fresh(e.Meta())
			e.Release()
			if ok {
				return &made{stored: true}
			}
		}
	}
	s, err := v.src.openSource()
	if err != nil {
		return &made{originErr: err}
	}
	if s.meta.Status != http.StatusOK {
		return &made{src: s}
	}
	defer s.release()
	body, err := s.read(h.cfg.Images.Limits.MaxSourceBytes)
	if errors.Is(err, imaging.ErrTooLarge) {
		return &made{err: err}
	}
	if err != nil {
		return &made{originErr: err}
	}
	out, ctype, err := v.transform(body)
	if err != nil {
		h.log.Debug("edge: image transform refused", "path", v.src.path, "options", v.key.Canonical(), "err", err)
		return &made{err: err}
	}
	m := &made{body: out, header: v.header(s.meta.Header, body, ctype, len(out))}
	if store && s.e != nil {
		m.stored = v.store(s.meta, m)
	}
	return m
}

// transform picks the output format (from Accept and, when Accept alone does not decide, the
// source's header) and runs the engine, whose pool bounds the work (imaging.ErrBusy).
func (v *variant) transform(body []byte) ([]byte, string, error) {
	eng := v.rq.h.cfg.Images.Engine
	format := v.key.Format
	if format == "" || format == imaging.FormatAuto {
		info, err := eng.Probe(body)
		if err != nil {
			return nil, "", err
		}
		format = imaging.Negotiate(v.opts, v.rq.r.Header.Get("Accept"), info.HasAlpha, info.Format)
	}
	opts := v.opts
	opts.Format = format
	// The viewer leaving does not cancel a transform that its flight's waiters also wait for.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(v.rq.r.Context()), v.rq.h.cfg.OriginTimeout)
	defer cancel()
	return eng.Transform(ctx, body, opts, format)
}

// header is the variant's stored header: the source's (Cache-Control, Last-Modified, the S3
// headers...) without what describes the source's bytes, and the variant's own Content-Type,
// Content-Length and ETag. The ETag derives from the source's ETag (or its bytes when it has
// none) and the keyed options with the output type, so it changes whenever the source or the
// variant does. format=auto answers vary on Accept.
func (v *variant) header(src http.Header, body []byte, ctype string, n int) http.Header {
	hdr := src.Clone()
	for k := range hdr {
		switch k {
		case "Content-Length", "Content-Type", "Content-Encoding", "Content-Range", "Content-Md5",
			"Content-Disposition", "Etag", "Vary", "Digest", "Repr-Digest":
			delete(hdr, k)
		default:
			if strings.HasPrefix(k, "X-Amz-Checksum-") {
				delete(hdr, k)
			}
		}
	}
	base := src.Get("ETag")
	if base == "" {
		sum := sha256.Sum256(body)
		base = hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256([]byte(base + "\x00" + v.key.Canonical() + "\x00" + ctype))
	hdr.Set("Content-Type", ctype)
	hdr.Set("Content-Length", itoa(int64(n)))
	hdr.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	if v.opts.Format == imaging.FormatAuto {
		hdr.Set("Vary", "Accept")
	}
	return hdr
}

// store keeps a variant with its source's freshness (StoredAt and TTL: the variant is as old
// as the source it was made from and expires with it). It reports whether it was committed.
func (v *variant) store(sm edgecache.Meta, m *made) bool {
	h := v.rq.h
	c := h.cfg.Cache
	if int64(len(m.body)) > h.cfg.MaxCacheableBytes || !h.fresh(sm) {
		return false
	}
	meta := edgecache.Meta{Dist: v.rq.site.id, Path: v.src.path, Status: http.StatusOK, Header: m.header,
		StoredAt: sm.StoredAt, TTL: sm.TTL, Size: int64(len(m.body))}
	f, running, started := c.Begin(v.vkey, meta)
	if !started {
		if running != nil {
			running.Release()
		}
		return false
	}
	if !v.src.stillCached(v.srcKey, sm) {
		f.Abort()
		return false
	}
	if _, err := f.Write(m.body); err != nil {
		return false
	}
	if err := f.Commit(int64(len(m.body))); err != nil {
		h.log.Info("edge: image variant not committed", "err", err)
		return false
	}
	return true
}
