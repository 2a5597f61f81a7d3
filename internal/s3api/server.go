package s3api

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// serverName is the Server header of every answer. S3 says "AmazonS3"; no client we know of
// depends on it, and an honest name tells operators (and, later, the edge that forwards the
// origin's headers) which software answered.
const serverName = "imgcdn"

// Server is the S3 REST API as an http.Handler.
//
// It must be mounted as the handler of the whole listener (or behind a handler that passes
// r.URL.Path through untouched): http.ServeMux cleans paths and redirects "a//b" or "../x",
// which are valid S3 keys.
type Server struct {
	cfg     Config
	ids     *requestIDs
	bufs    sync.Pool    // *bytes.Buffer for XML bodies
	configs *configCache // parsed bucket settings (policy, Block Public Access, ACLs...)
}

var _ http.Handler = (*Server)(nil)

// New validates cfg, fills in its defaults and returns a ready Server.
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ids, err := newRequestIDs()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, ids: ids, configs: newConfigCache(), bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	if s.cfg.Authorizer == nil {
		s.cfg.Authorizer = newPolicyAuthorizer(s)
	}
	return s, nil
}

// request is one request in flight, as the handlers see it.
type request struct {
	r           *http.Request
	id, hostID  string
	op          Op
	bucket, key string
	virtualHost bool
	auth        *sigv4.Auth
	actor       // who the request acts as (actorFor); zero for anonymous requests
	query       url.Values
	copySource  *CopySource
	// answered is set once the status line is committed; a panic after that can only cut
	// the connection.
	answered bool
}

func (rq *request) ctx() context.Context { return rq.r.Context() }

// method is the HTTP method, "" for the synthetic requests errors are mapped for.
func (rq *request) method() string {
	if rq.r == nil {
		return ""
	}
	return rq.r.Method
}

// body returns the request body checked against the signature's payload mode (SHA-256
// verified at EOF, aws-chunked decoded with its chunk signatures and trailers verified).
func (rq *request) body() (*sigv4.Body, error) { return rq.auth.Body(rq.r) }

// resource is the <Resource> of error answers: the addressed bucket and key.
func (rq *request) resource() string {
	switch {
	case rq.bucket == "":
		return "/"
	case rq.key == "":
		return "/" + rq.bucket
	}
	return "/" + rq.bucket + "/" + rq.key
}

// response is what a handler answers. At most one of xml, raw and body is set.
type response struct {
	status int         // 0 means 200
	header http.Header // set on the answer as is; use set
	// vals is where set carves header values from: one allocation for all of them instead
	// of one per header, on the GET and PUT paths that are benchmarked.
	vals []string
	xml  any    // marshalled as an XML document
	raw  []byte // sent as is (GetBucketPolicy's JSON); the handler sets Content-Type
	body io.ReadCloser
	// closer is closed after body (the open object the body reads from).
	closer io.Closer
}

// set sets a header of the answer; name must be in canonical form (or, for x-amz-meta-*,
// the lower case S3 uses).
func (resp *response) set(name, value string) {
	if resp.header == nil {
		resp.header = make(http.Header, 16)
	}
	if len(resp.vals) == 0 {
		resp.vals = make([]string, 16)
	}
	resp.vals[0] = value
	resp.header[name] = resp.vals[:1:1]
	resp.vals = resp.vals[1:]
}

// setIf sets the header when value is not empty.
func (resp *response) setIf(name, value string) {
	if value != "" {
		resp.set(name, value)
	}
}

// handlerFunc serves one operation.
type handlerFunc func(s *Server, rq *request) (*response, error)

// ServeHTTP runs the request flow described in the package documentation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength == 0 && r.ProtoMajor == 1 && r.ProtoMinor >= 1 && strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		// net/http sends "100 Continue" when a handler first reads a non-empty body, never
		// for an empty one. botocore (the aws CLI), having sent "Expect: 100-continue" with an
		// empty file, then takes our final answer for the reply to its expectation and keeps
		// that status line as a preset for the connection: the next upload on it misparses
		// its answer and hangs until the read timeout. S3 answers 100 first; so do we, which
		// is always correct (RFC 9110 §10.1.1) and costs nothing for an empty body.
		w.WriteHeader(http.StatusContinue)
	}
	id, hostID := s.ids.new()
	h := w.Header()
	vals := []string{id, hostID, serverName}
	h["X-Amz-Request-Id"] = vals[0:1:1]
	h["X-Amz-Id-2"] = vals[1:2:2]
	h["Server"] = vals[2:3:3]
	rq := &request{r: r, id: id, hostID: hostID}
	defer s.recoverPanic(w, rq)
	resp, err := s.serve(rq)
	if err != nil {
		s.writeError(w, rq, err)
		return
	}
	s.writeResponse(w, rq, resp)
}

func (s *Server) serve(rq *request) (*response, error) {
	r := rq.r
	addr, addrErr := parseAddress(r, s.cfg.VirtualHostSuffixes)
	rq.bucket, rq.key, rq.virtualHost = addr.bucket, addr.key, addr.virtualHost
	creds, err := s.cfg.Verifier.Verify(r)
	if err != nil {
		return nil, err
	}
	rq.auth = creds
	if rq.actor, err = s.actorFor(r, creds); err != nil {
		return nil, err
	}
	if addrErr != nil {
		return nil, addrErr
	}
	rq.query = r.URL.Query()
	rq.op, err = Classify(r.Method, rq.bucket, rq.key, rq.query, r.Header)
	if err != nil {
		return nil, err
	}
	if rq.op == OpCopyObject || rq.op == OpUploadPartCopy {
		if rq.copySource, err = parseCopySource(r.Header.Get("X-Amz-Copy-Source")); err != nil {
			return nil, err
		}
	}
	if err := s.authorize(rq); err != nil {
		return nil, err
	}
	if err := s.checkExpectedOwners(rq); err != nil {
		return nil, err
	}
	handle := handlerFor(rq.op)
	if handle == nil {
		return nil, notImplemented(rq.op.String())
	}
	resp, err := handle(s, rq)
	if err != nil {
		return nil, s.hideMissing(rq, err)
	}
	return resp, nil
}

// checkExpectedOwners applies x-amz-expected-bucket-owner (and, for copies,
// x-amz-source-expected-bucket-owner): a request naming another account than the bucket's
// owner is refused with 403 AccessDenied, as S3 does, so that a client never writes to or
// reads from a bucket it did not mean. Every bucket here belongs to the one account.
func (s *Server) checkExpectedOwners(rq *request) error {
	h := rq.r.Header
	if v := h.Get("X-Amz-Expected-Bucket-Owner"); v != "" && rq.bucket != "" && v != s.cfg.Owner.AccountID {
		return newError(codeAccessDenied)
	}
	if v := h.Get("X-Amz-Source-Expected-Bucket-Owner"); v != "" && rq.copySource != nil && v != s.cfg.Owner.AccountID {
		return newError(codeAccessDenied)
	}
	return nil
}

// writeResponse writes a handler's successful answer.
func (s *Server) writeResponse(w http.ResponseWriter, rq *request, resp *response) {
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	status := resp.status
	if status == 0 {
		status = http.StatusOK
	}
	head := rq.r.Method == http.MethodHead
	switch {
	case resp.xml != nil:
		buf := s.bufs.Get().(*bytes.Buffer)
		defer s.putBuf(buf)
		if err := encodeXML(buf, resp.xml); err != nil {
			s.writeError(w, rq, err)
			return
		}
		h["Content-Type"] = []string{"application/xml"}
		h["Content-Length"] = []string{strconv.Itoa(buf.Len())}
		rq.answered = true
		w.WriteHeader(status)
		if !head {
			_, _ = w.Write(buf.Bytes())
		}
	case resp.raw != nil:
		h["Content-Length"] = []string{strconv.Itoa(len(resp.raw))}
		rq.answered = true
		w.WriteHeader(status)
		if !head {
			_, _ = w.Write(resp.raw)
		}
	case resp.body != nil:
		defer func() {
			resp.body.Close()
			if resp.closer != nil {
				resp.closer.Close()
			}
		}()
		rq.answered = true
		w.WriteHeader(status)
		if head {
			return
		}
		// io.Copy lets net/http use sendfile when the store hands out a file; bytes are never
		// buffered here beyond io.Copy's 32 KiB.
		if _, err := io.Copy(w, resp.body); err != nil {
			// The status line is gone; all that is left is to cut the connection short so the
			// client sees a truncated body rather than a silently short one.
			if !isClientGone(err) && rq.ctx().Err() == nil {
				s.cfg.Logger.Error("s3api: streaming object body failed", "request_id", rq.id,
					"op", rq.op.String(), "bucket", rq.bucket, "key", rq.key, "err", err)
			}
			panic(http.ErrAbortHandler)
		}
	default:
		if status != http.StatusNoContent && status != http.StatusNotModified && h.Get("Content-Length") == "" {
			h["Content-Length"] = []string{"0"}
		}
		rq.answered = true
		w.WriteHeader(status)
	}
}

// encodeXML writes v as a complete XML document.
func encodeXML(buf *bytes.Buffer, v any) error {
	buf.WriteString(xml.Header)
	if d, ok := v.(xmlDocument); ok {
		d.writeXML(xmlWriter{buf})
		return nil
	}
	return xml.NewEncoder(buf).Encode(v)
}

// writeError answers err as an S3 error document (no body for HEAD requests, as S3).
func (s *Server) writeError(w http.ResponseWriter, rq *request, err error) {
	e := toAPIError(err, rq)
	s.logError(rq, e)
	h := w.Header()
	for _, kv := range e.header {
		h[kv[0]] = []string{kv[1]}
	}
	if e.Code == errorSpecs[codeInvalidRange].code {
		if size := e.field("ActualObjectSize"); size != "" {
			h["Content-Range"] = []string{"bytes */" + size}
		}
	}
	rq.answered = true
	if rq.r.Method == http.MethodHead {
		w.WriteHeader(e.Status)
		return
	}
	buf := s.bufs.Get().(*bytes.Buffer)
	defer s.putBuf(buf)
	writeErrorBody(buf, e, rq.resource(), rq.id, rq.hostID)
	h["Content-Type"] = []string{"application/xml"}
	h["Content-Length"] = []string{strconv.Itoa(buf.Len())}
	w.WriteHeader(e.Status)
	_, _ = w.Write(buf.Bytes())
}

// recoverPanic turns a handler panic into a logged InternalError answer instead of a dropped
// connection, when nothing has been answered yet. http.ErrAbortHandler (a deliberate abort
// of a body already streaming) is passed on to net/http.
func (s *Server) recoverPanic(w http.ResponseWriter, rq *request) {
	p := recover()
	if p == nil {
		return
	}
	if p == http.ErrAbortHandler || rq.answered {
		panic(p)
	}
	s.cfg.Logger.Error("s3api: handler panic", "request_id", rq.id, "op", rq.op.String(),
		"bucket", rq.bucket, "key", rq.key, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	s.writeError(w, rq, newError(codeInternalError))
}

func (s *Server) logError(rq *request, e *Error) {
	level := slog.LevelDebug
	if e.Status >= 500 {
		level = slog.LevelError
	}
	if !s.cfg.Logger.Enabled(rq.ctx(), level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("request_id", rq.id), slog.String("method", rq.r.Method),
		slog.String("op", rq.op.String()), slog.String("bucket", rq.bucket), slog.String("key", rq.key),
		slog.String("code", e.Code), slog.Int("status", e.Status),
	}
	if e.cause != nil {
		attrs = append(attrs, slog.String("cause", e.cause.Error()))
	}
	s.cfg.Logger.LogAttrs(rq.ctx(), level, "s3api: request failed", attrs...)
}

// putBuf recycles an XML buffer unless it grew unusually large (a big listing), so the pool
// does not pin megabytes.
func (s *Server) putBuf(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	s.bufs.Put(buf)
}
