package metrics

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Observation is what the middleware saw of one response; access logs are built from it.
type Observation struct {
	// Distribution is the distribution id the Host maps to, "" for other hosts.
	Distribution string
	// Start is when the middleware received the request, End when the handler returned, and
	// FirstByte when the response headers were written (zero if nothing was, or when no
	// Observer wants the distribution).
	Start, FirstByte, End time.Time
	// Status is the final status sent (200 when the handler wrote a body without one).
	Status int
	// The response headers that describe the answer, read when it was written.
	XCache, RequestID, ContentType, ContentLength, ContentRange string
	// HeaderBytes estimates the status line and header bytes (only with detail).
	HeaderBytes int64
	// BodyBytes counts the body bytes the handler wrote successfully.
	BodyBytes int64
	// RequestBytes counts the request line, headers (estimated) and the body read.
	RequestBytes int64
	// WriteFailed is set when a write to the viewer failed (the viewer went away).
	WriteFailed bool
	// Aborted is set when the handler panicked (http.ErrAbortHandler cuts a response
	// short); Status is then 0 if no status had been sent.
	Aborted bool
}

// recorder wraps a ResponseWriter to fill an Observation. It implements the optional
// interfaces net/http's writers have (Flusher, Hijacker, Pusher, io.ReaderFrom, so sendfile
// keeps working) and Unwrap, so http.ResponseController reaches the real writer for
// deadlines and full-duplex.
type recorder struct {
	w      http.ResponseWriter
	obs    Observation
	detail bool
	now    func() time.Time
	wrote  bool
	// body counts the request body read (with detail), in the recorder to save an allocation.
	body atomic.Int64
}

// recorderPool reuses the edge's recorders: a recorder is the largest allocation of a cache
// hit.
type recorderPool struct{ p sync.Pool }

func (rp *recorderPool) get(w http.ResponseWriter, detail bool) *recorder {
	rec, _ := rp.p.Get().(*recorder)
	if rec == nil {
		rec = new(recorder)
	}
	rec.w, rec.detail, rec.now = w, detail, time.Now
	return rec
}

// put returns rec, cleared; the caller guarantees nothing else holds it.
func (rp *recorderPool) put(rec *recorder) {
	rec.w, rec.obs, rec.wrote = nil, Observation{}, false
	rec.body.Store(0)
	rp.p.Put(rec)
}

var (
	_ http.Flusher  = (*recorder)(nil)
	_ http.Hijacker = (*recorder)(nil)
	_ http.Pusher   = (*recorder)(nil)
	_ io.ReaderFrom = (*recorder)(nil)
)

func (rec *recorder) Header() http.Header { return rec.w.Header() }

// Unwrap lets http.ResponseController find the underlying writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.w }

// WriteHeader records the final status and the headers that describe it. Informational
// 1xx answers (103 Early Hints) are passed on and not recorded: a final status follows.
func (rec *recorder) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		rec.record(code)
	}
	rec.w.WriteHeader(code)
}

func (rec *recorder) record(code int) {
	if rec.wrote {
		return
	}
	rec.wrote = true
	o := &rec.obs
	o.Status = code
	h := rec.w.Header()
	o.XCache = h.Get("X-Cache")
	if rec.detail {
		// Only observers use it: the hit path saves a clock read without them.
		o.FirstByte = rec.now()
		o.RequestID = h.Get("X-Amz-Cf-Id")
		o.ContentType = h.Get("Content-Type")
		o.ContentLength = h.Get("Content-Length")
		o.ContentRange = h.Get("Content-Range")
		o.HeaderBytes = headerBytes(code, h)
	}
}

func (rec *recorder) Write(p []byte) (int, error) {
	rec.record(http.StatusOK)
	n, err := rec.w.Write(p)
	rec.obs.BodyBytes += int64(n)
	if err != nil {
		rec.obs.WriteFailed = true
	}
	return n, err
}

// ReadFrom keeps the underlying writer's ReadFrom (sendfile for *os.File bodies).
func (rec *recorder) ReadFrom(src io.Reader) (int64, error) {
	rec.record(http.StatusOK)
	var n int64
	var err error
	if rf, ok := rec.w.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(writerOnly{rec.w}, src)
	}
	rec.obs.BodyBytes += n
	if err != nil {
		rec.obs.WriteFailed = true
	}
	return n, err
}

// writerOnly hides ReadFrom so io.Copy does not call back into recorder.ReadFrom.
type writerOnly struct{ io.Writer }

// Flush sends what is buffered; a flush before any write sends the 200 headers.
func (rec *recorder) Flush() {
	rec.record(http.StatusOK)
	if err := http.NewResponseController(rec.w).Flush(); err != nil {
		rec.obs.WriteFailed = true
	}
}

// Hijack hands the connection over (HTTP/1.x only); what follows is not observed.
func (rec *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(rec.w).Hijack()
	if err == nil {
		rec.record(http.StatusSwitchingProtocols)
	}
	return c, rw, err
}

// Push starts an HTTP/2 server push when the underlying writer can.
func (rec *recorder) Push(target string, opts *http.PushOptions) error {
	if p, ok := rec.w.(http.Pusher); ok {
		return p.Push(target, opts)
	}
	return http.ErrNotSupported
}

// finish fills what is known once the handler returned; a handler that returned without
// writing answered 200 with no body (net/http's rule).
func (rec *recorder) finish(returned bool) {
	if returned {
		rec.record(http.StatusOK)
	}
	rec.obs.End = rec.now()
}

// headerBytes estimates the bytes of an HTTP/1.1 status line and header block as the
// handler set them (net/http adds Date and sometimes Content-Length or chunked framing).
func headerBytes(code int, h http.Header) int64 {
	n := int64(len("HTTP/1.1 000 ") + len(http.StatusText(code)) + 2)
	for k, vs := range h {
		for _, v := range vs {
			n += int64(len(k) + 2 + len(v) + 2)
		}
	}
	return n + 2
}

// requestBytes estimates the request line and header bytes the viewer sent; the body is
// counted as it is read.
func requestBytes(r *http.Request) int64 {
	n := int64(len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2)
	n += int64(len("Host: ") + len(r.Host) + 2)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += int64(len(k) + 2 + len(v) + 2)
		}
	}
	return n + 2
}

// countingBody counts the request body bytes read; atomically, because an origin
// transport may read a forwarded body from its own goroutine.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}
