package edge

import (
	"encoding/base64"
	"encoding/binary"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
	"unsafe"

	"github.com/imgcdn/imgcdn/internal/cachekey"
)

// request is one viewer request on its way through the edge.
type request struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	https bool
	// id is the x-amz-cf-id, sent to the viewer and to the origin so both logs can be joined.
	id       string
	site     *site
	behavior *behavior
	// path is the object path: the viewer's, or the default root object for "/".
	path string
	// at is the request's clock reading, taken once (clock reads are a visible part of a hit).
	at time.Time
	// errorPage is set while serving a CustomErrorResponse's page: the status to answer with,
	// and a guard against an error page whose own fetch fails with a configured error.
	errorPage int
	// start is when the request reached the edge, read only when Server-Timing may be sent;
	// upstreamFBL is the origin's first-byte latency when this request fetched (servertiming.go).
	start       time.Time
	upstreamFBL time.Duration
	// vals back the response header values the request sets itself (see value), digits the
	// numbers among them (see number), idBytes the id; digitsUsed marks the digits written.
	vals       [numVals]string
	digits     [numVals][20]byte
	digitsUsed [numVals]bool
	idBytes    [requestIDLen]byte
	// inline is set when the request runs on the HTTP server's event loop, which must not
	// wait; declined records that it gave the request back (see decline).
	inline, declined bool
}

// decline reports whether the request runs inline and must be left to ServeHTTP, because
// what comes next may wait (disk, origin, image work). Call it before writing anything.
func (rq *request) decline() bool {
	if rq.inline {
		rq.declined = true
	}
	return rq.inline
}

// The response headers whose values value keeps in request.vals.
const (
	valID = iota
	valAge
	valLength
	numVals
)

// value returns v as a header value held in rq.vals[i], saving the allocation of the
// one-element slice Header.Set makes (a hit sets three). The capacity is 1, so an Add by a
// wrapper copies rather than writes into the neighbour.
func (rq *request) value(i int, v string) []string {
	rq.vals[i] = v
	return rq.vals[i : i+1 : i+1]
}

// number returns n in decimal as a header value held in rq.vals[i], its digits in the
// request itself (rq.digits[i]): a hit's Age and Content-Length cost no allocation. The
// string shares the request's memory, which it keeps alive, and the digits are never
// written again: a second number for the same i is allocated as usual.
func (rq *request) number(i int, n int64) []string {
	if rq.digitsUsed[i] {
		return rq.value(i, itoa(n))
	}
	rq.digitsUsed[i] = true
	b := strconv.AppendInt(rq.digits[i][:0], n, 10)
	return rq.value(i, unsafe.String(&b[0], len(b)))
}

func newRequest(h *Handler, w http.ResponseWriter, r *http.Request) *request {
	rq := &request{h: h, w: w, r: r, https: r.TLS != nil}
	rq.id = newRequestID(&rq.idBytes)
	return rq
}

// requestIDLen is the length of an x-amz-cf-id.
const requestIDLen = 56

// newRequestID writes a fresh x-amz-cf-id into buf and returns it as a string sharing buf's
// memory (buf is written once; the string keeps it alive): 42 random bytes in URL-safe
// base64 (56 characters), the shape of CloudFront's. The id names a request in logs and is
// no secret, so it comes from math/rand/v2's per-thread ChaCha8 generator (seeded by the
// runtime from the OS), a few times cheaper per hit than crypto/rand's getrandom.
func newRequestID(buf *[requestIDLen]byte) string {
	var b [48]byte
	for i := 0; i < len(b); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], rand.Uint64())
	}
	base64.URLEncoding.Encode(buf[:], b[:42])
	return unsafe.String(&buf[0], len(buf))
}

// cacheKey is the entry key: the distribution, the method class (HEAD shares GET's entry),
// the behaviour's cache key and the normalised encoding. The key holds the distribution's
// domain name, not the viewer's Host, as CloudFront's does ("Understand the cache key"), so
// an object fetched through one alias is a hit through the others.
func (rq *request) cacheKey(enc string) string {
	var buf [keyBufSize]byte
	return string(rq.appendKey(buf[:0], enc))
}

// keyBufSize fits the keys of most requests, so that appendKey into a buffer of that size
// on the stack does not allocate.
const keyBufSize = 320

// appendKey appends the entry key (cacheKey) to b.
func (rq *request) appendKey(b []byte, enc string) []byte {
	method := rq.r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	b = append(b, rq.site.id...)
	b = append(b, 0)
	b = append(b, method...)
	b = append(b, 0)
	b = append(b, enc...)
	b = append(b, 0)
	return cachekey.AppendKey(b, rq.behavior.key, rq.site.domain, rq.path, rq.r.URL.RawQuery, rq.r.Header)
}

// originHeader is what the origin receives: only what the behaviour forwards (so unkeyed
// headers cannot poison the cache), plus CloudFront's own request headers.
func (rq *request) originHeader(enc string) (http.Header, string) {
	hdr, query := cachekey.OriginRequest(rq.behavior.key, rq.behavior.forward, rq.r.Header, rq.r.URL.RawQuery)
	if hdr == nil {
		hdr = http.Header{}
	}
	hdr.Set("X-Amz-Cf-Id", rq.id)
	hdr.Set("Via", rq.h.via)
	if ip, _, err := net.SplitHostPort(rq.r.RemoteAddr); err == nil {
		if prior := rq.r.Header.Get("X-Forwarded-For"); prior != "" {
			ip = prior + ", " + ip
		}
		hdr.Set("X-Forwarded-For", ip)
	}
	hdr.Del("Accept-Encoding")
	if enc != "" {
		// The origin may compress in the encoding the key holds; an identity answer is
		// compressed here when eligible.
		hdr.Set("Accept-Encoding", enc)
	}
	return hdr, query
}

// edgeHeaders adds CloudFront's response headers.
//
// The values of the headers that are the same on every answer are shared slices made once
// per Handler (capacity = length, so an Add by a wrapper copies rather than writes into them):
// on the hit path, header values are most of the allocations.
func (rq *request) edgeHeaders(xcache string) {
	hdr := rq.w.Header()
	hdr["X-Cache"] = rq.h.consts.xcache(xcache)
	hdr["Via"] = rq.h.consts.via
	hdr["X-Amz-Cf-Pop"] = rq.h.consts.pop
	hdr["X-Amz-Cf-Id"] = rq.value(valID, rq.id)
}

// constHeaders are the shared header values of edgeHeaders.
type constHeaders struct {
	via, pop []string
	results  map[string][]string // x-cache values by result
}

func newConstHeaders(via, pop string) constHeaders {
	c := constHeaders{via: []string{via}, pop: []string{pop}, results: map[string][]string{}}
	for _, r := range []string{"Hit", "Miss", "RefreshHit", "Error", "Redirect"} {
		c.results[r] = []string{r + " from cloudfront"}
	}
	return c
}

func (c *constHeaders) xcache(result string) []string {
	if v, ok := c.results[result]; ok {
		return v
	}
	return []string{result + " from cloudfront"}
}

// now is the request's time: one clock reading for its freshness checks and Age.
func (rq *request) now() time.Time {
	if rq.at.IsZero() {
		rq.at = rq.h.now()
	}
	return rq.at
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
