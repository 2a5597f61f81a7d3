package httpserver

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// flush sends what is pending: the header (completed now) if not yet sent, the buffered
// body, and p, in one writev or one write; final ends a chunked body.
func (w *response) flush(p []byte, final bool) error {
	if w.isHead || !bodyAllowed(w.status) {
		p = nil
	}
	var body []byte
	if w.pend != nil {
		body = (*w.pend)[headroom:]
	}
	prefix := w.c.hbuf[:0]
	if !w.sent {
		first := body
		if len(first) == 0 {
			first = p
		}
		prefix = w.completeHeader(w.c.hbuf, first)
	}
	if w.isHead || !bodyAllowed(w.status) {
		body = nil
	}
	var suffix []byte
	if w.chunked {
		if n := len(body) + len(p); n > 0 {
			prefix = strconv.AppendInt(prefix, int64(n), 16)
			prefix = append(prefix, "\r\n"...)
			suffix = crlf
		}
		if final {
			if suffix != nil {
				suffix = w.lastChunk(crlfLastChunk)
			} else {
				suffix = w.lastChunk(lastChunk)
			}
		}
	}
	w.c.hbuf = prefix[:0]
	w.sent = true
	err := w.send(prefix, body, p, suffix)
	if w.pend != nil {
		*w.pend = (*w.pend)[:headroom]
	}
	return err
}

var (
	crlf          = []byte("\r\n")
	lastChunk     = []byte("0\r\n\r\n")
	crlfLastChunk = []byte("\r\n0\r\n\r\n")
)

// lastChunk returns the last chunk with the trailer fields the handler declared or set
// with http.TrailerPrefix (RFC 9112 §7.1.2), or end itself when there are none.
func (w *response) lastChunk(end []byte) []byte {
	var b []byte
	for _, k := range w.trailers {
		if vv := w.header[k]; len(vv) > 0 {
			b = appendFields(b, k, vv)
		}
	}
	for k, vv := range w.header {
		if len(k) > len(http.TrailerPrefix) && k[:len(http.TrailerPrefix)] == http.TrailerPrefix {
			b = appendFields(b, k[len(http.TrailerPrefix):], vv)
		}
	}
	if b == nil {
		return end
	}
	out := append([]byte(nil), end[:len(end)-2]...) // without the final CRLF
	out = append(out, b...)
	return append(out, "\r\n"...)
}

// completeHeader appends what depends on the whole response to the serialized status line
// and fields: Content-Type by sniffing (as net/http), Date, the framing, Connection, and the
// empty line. It also decides whether the connection closes after this response.
func (w *response) completeHeader(b, first []byte) []byte {
	h := w.head
	allowed := bodyAllowed(w.status)
	if allowed && !w.hasType && w.te == "" && len(first) > 0 {
		b = append(b, "Content-Type: "...)
		b = append(b, http.DetectContentType(first)...)
		b = append(b, "\r\n"...)
	}
	if !w.hasDate {
		b = append(b, "Date: "...)
		b = w.c.s.appendDate(b)
		b = append(b, "\r\n"...)
	}
	switch {
	case !allowed:
		// RFC 9110 §8.6, §6.4.1: no framing fields on 1xx, 204 and 304.
	case w.cl >= 0:
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, w.cl, 10)
		b = append(b, "\r\n"...)
	case w.isHead:
		// Unknown length and no body to send.
	case h.minor >= 1 && w.te != "identity":
		w.chunked = true
		b = append(b, "Transfer-Encoding: chunked\r\n"...)
	default:
		// HTTP/1.0 cannot chunk: the end of the connection ends the body (RFC 9112 §6.3).
		w.closeAfter = true
	}
	if h.wantClose || w.c.s.inShutdown.Load() || w.c.broken {
		w.closeAfter = true
	}
	if !w.closeAfter && !w.c.body.drain() {
		// The handler answers without having read the whole body: read the rest now, as
		// net/http does, so that a client that sends everything before reading is not
		// stuck; if there is too much, the connection closes instead.
		w.closeAfter = true
	}
	switch {
	case w.closeAfter && h.minor >= 1:
		b = append(b, "Connection: close\r\n"...)
	case w.closeAfter:
		// HTTP/1.0 closes by default.
	case h.keepAlive10:
		b = append(b, "Connection: keep-alive\r\n"...)
		fallthrough
	default:
		if len(w.connValues) > 0 {
			b = appendFields(b, "Connection", w.connValues)
		}
	}
	return append(b, "\r\n"...)
}

// buffersWriter writes parts with one writev, as net.Buffers.WriteTo does on the net
// package's own connections: the fdConn of a connection an event loop handed off.
type buffersWriter interface {
	writeBuffers(parts net.Buffers) (int64, error)
}

// send writes the parts in order: one writev where the connection takes it, otherwise one
// write assembled in the body buffer (whose headroom takes the prefix) when they fit; over
// TLS the records of the parts then leave together (recordBatch).
func (w *response) send(prefix, body, p, suffix []byte) error {
	if w.err != nil {
		return w.err
	}
	c := w.c
	var err error
	if c.fd >= 0 {
		keep := -1
		if w.immutable {
			keep = 2
		}
		err = c.sendInline([4][]byte{prefix, body, p, suffix}, keep)
	} else if c.vectored {
		c.nb = c.iov[:0]
		for _, part := range [...][]byte{prefix, body, p, suffix} {
			if len(part) > 0 {
				c.nb = append(c.nb, part)
			}
		}
		if bw, ok := c.rwc.(buffersWriter); ok {
			_, err = bw.writeBuffers(c.nb)
		} else {
			_, err = c.nb.WriteTo(c.rwc)
		}
		clear(c.iov[:])
	} else if c.records != nil {
		c.records.hold()
		err = w.sendJoined(prefix, body, p, suffix)
		if ferr := c.records.release(); err == nil {
			err = ferr
		}
	} else {
		err = w.sendJoined(prefix, body, p, suffix)
	}
	if err != nil {
		w.err = err
		w.closeAfter = true
	}
	return err
}

// sendJoined assembles the parts behind the headroom of the body buffer, whose first bytes
// after the headroom already hold body, and writes them at once; parts too large for it go
// in separate writes.
func (w *response) sendJoined(prefix, body, p, suffix []byte) error {
	if w.pend == nil && len(prefix) <= headroom && len(p)+len(suffix) <= bodyBufferSize {
		w.buffer(nil)
	}
	if w.pend != nil && len(prefix) <= headroom && len(body)+len(p)+len(suffix) <= bodyBufferSize {
		buf := *w.pend
		start := headroom - len(prefix)
		copy(buf[start:], prefix)
		buf = append(buf, p...)
		buf = append(buf, suffix...)
		*w.pend = buf[:headroom]
		_, err := w.c.rwc.Write(buf[start:])
		return err
	}
	for _, part := range [...][]byte{prefix, body, p, suffix} {
		if len(part) > 0 {
			if _, err := w.c.rwc.Write(part); err != nil {
				return err
			}
		}
	}
	return nil
}

// appendStatusLine appends "HTTP/1.x code reason\r\n" (RFC 9112 §4); HTTP/1.0 requests get
// an HTTP/1.0 status line, as from net/http.
func appendStatusLine(b []byte, is11 bool, code int) []byte {
	if is11 {
		b = append(b, "HTTP/1.1 "...)
	} else {
		b = append(b, "HTTP/1.0 "...)
	}
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, ' ')
	if text := http.StatusText(code); text != "" {
		b = append(b, text...)
	} else {
		b = append(b, "status code "...)
		b = strconv.AppendInt(b, int64(code), 10)
	}
	return append(b, "\r\n"...)
}

// appendFields appends "name: value\r\n" per value. Names that are not tokens are skipped
// and CR or LF in values become spaces, as net/http does, so that a handler copying
// untrusted input into a header cannot split the response.
func appendFields(b []byte, k string, vv []string) []byte {
	for i := 0; i < len(k); i++ {
		if !isTokenByte(k[i]) {
			return b
		}
	}
	for _, v := range vv {
		b = append(b, k...)
		b = append(b, ": "...)
		v = trimOWS(v)
		if strings.IndexByte(v, '\r') < 0 && strings.IndexByte(v, '\n') < 0 {
			b = append(b, v...) // the rule; a hit writes ~300 bytes of values
		} else {
			for i := 0; i < len(v); i++ {
				c := v[i]
				if c == '\r' || c == '\n' {
					c = ' '
				}
				b = append(b, c)
			}
		}
		b = append(b, "\r\n"...)
	}
	return b
}

// dateValue is the Date field of the current second, shared by a server's connections.
type dateValue struct {
	sec int64
	b   []byte
}

func (s *Server) appendDate(b []byte) []byte {
	now := time.Now()
	sec := now.Unix()
	d := s.date.Load()
	if d == nil || d.sec != sec {
		d = &dateValue{sec: sec, b: now.UTC().AppendFormat(nil, http.TimeFormat)}
		s.date.Store(d)
	}
	return append(b, d.b...)
}
