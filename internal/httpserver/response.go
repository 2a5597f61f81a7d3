package httpserver

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// response is a connection's http.ResponseWriter. The status line and the handler's
// header are serialized when WriteHeader is called (later header changes have no effect,
// as in net/http); framing, Date, Connection and a sniffed Content-Type are added when the
// header is sent, which is as late as possible: with the first body bytes that do not fit
// the buffer or complete the declared Content-Length, on Flush, or when the handler returns.
type response struct {
	c    *conn
	req  *http.Request
	head *head

	header      http.Header
	status      int
	wroteHeader bool // status fixed, c.hbuf holds the status line and handler fields
	sent        bool // header on the wire
	isHead      bool
	cl          int64  // Content-Length declared by the handler or computed; -1 unknown
	te          string // Transfer-Encoding the handler set
	hasDate     bool
	hasType     bool
	connValues  []string // the handler's Connection field, sent unless we close
	trailers    []string // trailer names declared in the handler's Trailer field
	written     int64    // body bytes accepted from the handler
	chunked     bool
	closeAfter  bool
	pend        *[]byte // pooled: headroom, then body bytes not yet sent
	err         error   // a write failed: the connection is done
	handlerDone bool
	immutable   bool // the slice being written stays unchanged forever (WriteImmutable)
}

// ErrHandlerReturned is returned by Write and Flush called after the handler returned.
var ErrHandlerReturned = errors.New("httpserver: ResponseWriter used after its handler returned")

var (
	_ http.ResponseWriter = (*response)(nil)
	_ http.Flusher        = (*response)(nil)
)

func (w *response) reset(req *http.Request, h *head) {
	hdr := w.header
	if hdr == nil {
		hdr = make(http.Header, 8)
	} else {
		clear(hdr)
	}
	*w = response{c: w.c, req: req, head: h, header: hdr, cl: -1, isHead: req.Method == http.MethodHead,
		connValues: w.connValues[:0], trailers: w.trailers[:0]}
}

func (w *response) Header() http.Header { return w.header }

func (w *response) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic("httpserver: invalid WriteHeader code " + strconv.Itoa(code))
	}
	if w.handlerDone {
		return
	}
	if w.wroteHeader {
		w.c.s.logger().Warn("httpserver: superfluous WriteHeader call", "code", code, "path", w.req.URL.Path)
		return
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		w.writeInformational(code)
		return
	}
	w.wroteHeader, w.status = true, code
	b := appendStatusLine(w.c.hbuf[:0], w.head.minor >= 1, code)
	for k, vv := range w.header {
		switch k {
		case "Content-Length":
			if len(vv) > 0 {
				if n, err := strconv.ParseInt(vv[0], 10, 64); err == nil && n >= 0 {
					w.cl = n
				} else {
					w.c.s.logger().Warn("httpserver: handler set an invalid Content-Length", "value", vv[0])
				}
			}
			continue
		case "Transfer-Encoding":
			if len(vv) > 0 {
				w.te = strings.ToLower(vv[0])
			}
			continue
		case "Connection":
			for _, v := range vv {
				if hasToken(v, "close") {
					w.closeAfter = true
				}
				w.connValues = append(w.connValues, v)
			}
			continue
		case "Trailer":
			for _, v := range vv {
				for _, name := range strings.Split(v, ",") {
					if name = http.CanonicalHeaderKey(trimOWS(name)); name != "" {
						w.trailers = append(w.trailers, name)
					}
				}
			}
		case "Date":
			w.hasDate = true
		case "Content-Type":
			w.hasType = true
			if code == http.StatusNotModified {
				continue // RFC 9110 §15.4.5
			}
		}
		if strings.HasPrefix(k, http.TrailerPrefix) {
			continue
		}
		b = appendFields(b, k, vv)
	}
	if w.te != "" && w.te != "identity" || len(w.trailers) > 0 {
		w.cl = -1 // a handler's Transfer-Encoding (or trailers) wins over its Content-Length
	}
	w.c.hbuf = b
}

// writeInformational sends a 1xx response at once (103 Early Hints, RFC 8297), with the
// header as it is now; HTTP/1.0 clients get none (RFC 9110 §15.2).
func (w *response) writeInformational(code int) {
	if code == http.StatusContinue {
		w.c.body.continued = true
	}
	if w.head.minor < 1 || w.err != nil {
		return
	}
	b := appendStatusLine(w.c.hbuf[:0], true, code)
	for k, vv := range w.header {
		if k != "Content-Length" && k != "Transfer-Encoding" {
			b = appendFields(b, k, vv)
		}
	}
	b = append(b, "\r\n"...)
	w.c.hbuf = b[:0]
	w.send(b, nil, nil, nil)
}

func (w *response) Write(p []byte) (int, error) {
	if w.handlerDone {
		return 0, ErrHandlerReturned
	}
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.cl >= 0 && w.written+int64(len(p)) > w.cl {
		return 0, http.ErrContentLength
	}
	w.written += int64(len(p))
	if w.err != nil {
		return 0, w.err
	}
	if w.isHead {
		// Keep the start of the body only to sniff its Content-Type.
		if !w.sent && !w.hasType && w.pendLen() < 512 {
			w.buffer(p[:min(len(p), 512-w.pendLen())])
		}
		return len(p), nil
	}
	completes := w.cl >= 0 && w.written == w.cl
	if !completes && w.pendLen()+len(p) <= bodyBufferSize {
		w.buffer(p)
		return len(p), nil
	}
	if err := w.flush(p, false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush sends the header and the buffered body now (http.Flusher); a body of unknown length
// is then chunked.
func (w *response) Flush() { _ = w.FlushError() }

// FlushError is Flush reporting the write error (http.ResponseController uses it).
func (w *response) FlushError() error {
	if w.handlerDone {
		return ErrHandlerReturned
	}
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.err != nil {
		return w.err
	}
	if w.sent && w.pendLen() == 0 {
		return nil
	}
	return w.flush(nil, false)
}

// SetReadDeadline and SetWriteDeadline serve http.ResponseController.
func (w *response) SetReadDeadline(t time.Time) error {
	if w.c.rwc == nil {
		return errInlineDeadline
	}
	w.c.rdlStale = true
	return w.c.rwc.SetReadDeadline(t)
}

func (w *response) SetWriteDeadline(t time.Time) error {
	if w.c.rwc == nil {
		return errInlineDeadline
	}
	w.c.wdl = time.Time{}
	return w.c.rwc.SetWriteDeadline(t)
}

// finish completes the response after the handler returned.
func (w *response) finish() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	w.handlerDone = true
	if w.err != nil {
		return
	}
	if !w.sent && w.cl < 0 && bodyAllowed(w.status) && w.te == "" && len(w.trailers) == 0 && (!w.isHead || w.written > 0) {
		// The whole body is in the buffer: it gets a Content-Length and one write.
		w.cl = w.written
	}
	if !w.sent || w.chunked || w.pendLen() > 0 {
		_ = w.flush(nil, true)
	}
	if w.cl >= 0 && w.written < w.cl && !w.isHead && bodyAllowed(w.status) {
		// A short body: the client would wait for the rest, so end the connection.
		w.closeAfter = true
	}
}

// abort answers a handler panic: 500 if nothing was sent, and the connection closes.
func (w *response) abort() {
	w.handlerDone = true
	sent := w.sent
	w.release()
	if !sent && w.err == nil {
		w.c.writeError(http.StatusInternalServerError, "the handler failed")
	}
	w.closeAfter = true
}

// release returns the body buffer to the pool.
func (w *response) release() {
	if w.pend != nil {
		w.c.s.putBuf(w.pend)
		w.pend = nil
	}
}

func (w *response) pendLen() int {
	if w.pend == nil {
		return 0
	}
	return len(*w.pend) - headroom
}

func (w *response) buffer(p []byte) {
	if w.pend == nil {
		w.pend = w.c.s.getBuf()
		*w.pend = (*w.pend)[:headroom]
	}
	*w.pend = append(*w.pend, p...)
}

// bodyAllowed reports whether a status may carry content (RFC 9110 §6.4.1).
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
