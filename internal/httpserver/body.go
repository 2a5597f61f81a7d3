package httpserver

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"time"
)

// maxChunkLine bounds a chunk-size line with its extensions (net/http allows 4096 too).
const maxChunkLine = 4096

var (
	errMalformedChunk = errors.New("httpserver: malformed chunked encoding")
	errChunkLine      = errors.New("httpserver: chunk-size line too long")
)

// body is the request body reader of a connection: Content-Length or chunked framing
// (RFC 9112 §6, §7.1) read from the connection's buffer, then from the connection.
type body struct {
	c         *conn
	chunked   bool
	remaining int64 // of the body, or of the current chunk
	inChunk   bool  // remaining counts chunk data, followed by CRLF
	done      bool  // the whole body, trailers included, has been read
	closed    bool  // the handler returned
	err       error // sticky
	total     int64
	expect    bool // the client waits for 100 Continue before sending
	continued bool // 100 Continue sent (or no longer useful)
}

func (b *body) reset(h *head) {
	*b = body{c: b.c, chunked: h.chunked, remaining: h.contentLength, expect: h.expectContinue}
	if !h.chunked && h.contentLength == 0 {
		b.done = true
	}
}

func (b *body) Read(p []byte) (int, error) {
	switch {
	case b.closed:
		return 0, http.ErrBodyReadAfterClose
	case b.err != nil:
		return 0, b.err
	case b.done:
		return 0, io.EOF
	case len(p) == 0:
		return 0, nil
	}
	if b.expect && !b.continued {
		b.sendContinue()
	}
	var n int
	var err error
	if b.chunked {
		n, err = b.readChunked(p)
	} else {
		n, err = b.readData(p)
		if err == nil && b.remaining == 0 {
			b.finished()
			err = io.EOF
		}
	}
	if err != nil && err != io.EOF {
		b.fail(err)
	}
	return n, err
}

// Close is a no-op for the handler: the server drains or closes after the handler.
func (b *body) Close() error { return nil }

// readData reads up to remaining bytes of fixed-length data.
func (b *body) readData(p []byte) (int, error) {
	if int64(len(p)) > b.remaining {
		p = p[:b.remaining]
	}
	c := b.c
	if c.r == c.w {
		if len(p) >= len(c.rbuf) {
			// Large reads skip the buffer, as bufio does.
			n, err := c.readConn(p)
			b.remaining -= int64(n)
			return n, err
		}
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, c.rbuf[c.r:c.w])
	c.r += n
	b.remaining -= int64(n)
	return n, nil
}

func (b *body) readChunked(p []byte) (int, error) {
	for !b.inChunk || b.remaining == 0 {
		if b.inChunk {
			if err := b.expectCRLF(); err != nil {
				return 0, err
			}
			b.inChunk = false
		}
		size, err := b.chunkSize()
		if err != nil {
			return 0, err
		}
		if size == 0 {
			if err := b.readTrailer(); err != nil {
				return 0, err
			}
			b.finished()
			return 0, io.EOF
		}
		b.inChunk, b.remaining = true, size
	}
	n, err := b.readData(p)
	b.total += int64(n)
	if max := b.c.s.MaxRequestBodyBytes; max > 0 && b.total > max {
		return 0, &http.MaxBytesError{Limit: max}
	}
	return n, err
}

// line returns the next line of the buffer without its CRLF, reading more as needed. A bare
// LF is malformed in a chunked body: lenient chunk parsing is a classic smuggling vector.
func (b *body) line(max int, tooLong error) ([]byte, error) {
	c := b.c
	for {
		if i := bytes.IndexByte(c.rbuf[c.r:c.w], '\n'); i >= 0 {
			line := c.rbuf[c.r : c.r+i]
			c.r += i + 1
			if len(line) == 0 || line[len(line)-1] != '\r' {
				return nil, errMalformedChunk
			}
			return line[:len(line)-1], nil
		}
		if c.w-c.r > max {
			return nil, tooLong
		}
		if err := c.fill(); err != nil {
			return nil, err
		}
	}
}

func (b *body) expectCRLF() error {
	line, err := b.line(2, errMalformedChunk)
	if err != nil {
		return err
	}
	if len(line) != 0 {
		return errMalformedChunk
	}
	return nil
}

// chunkSize parses chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1, §7.1.1); extensions are
// checked for control bytes and ignored.
func (b *body) chunkSize() (int64, error) {
	line, err := b.line(maxChunkLine, errChunkLine)
	if err != nil {
		return 0, err
	}
	var n int64
	i := 0
	for ; i < len(line); i++ {
		d, ok := hexDigit(line[i])
		if !ok {
			break
		}
		if i == 15 {
			return 0, errMalformedChunk // would overflow int64
		}
		n = n<<4 | int64(d)
	}
	if i == 0 {
		return 0, errMalformedChunk
	}
	rest := line[i:]
	for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
		rest = rest[1:]
	}
	if len(rest) > 0 && rest[0] != ';' {
		return 0, errMalformedChunk
	}
	for _, c := range rest {
		if !isValueByte(c) {
			return 0, errMalformedChunk
		}
	}
	return n, nil
}

// readTrailer reads the trailer section after the last chunk (RFC 9112 §7.1.2) into
// r.Trailer, with the header section's limits.
func (b *body) readTrailer() error {
	budget := b.c.p.lim.maxBytes
	for fields := 0; ; fields++ {
		line, err := b.line(budget, errChunkLine)
		if err != nil {
			return err
		}
		if len(line) == 0 {
			return nil
		}
		budget -= len(line) + 2
		if budget < 0 || fields == b.c.p.lim.maxHeaders {
			return errChunkLine
		}
		sp, err := parseField(line, 0, len(line))
		if err != nil {
			return errMalformedChunk
		}
		req := &b.c.req
		if req.Trailer == nil {
			req.Trailer = http.Header{}
		}
		k := string(line[sp.ks:sp.ke])
		req.Trailer[k] = append(req.Trailer[k], string(line[sp.vs:sp.ve]))
	}
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// sendContinue answers Expect: 100-continue on the first Read (RFC 9110 §10.1.1), unless
// the final response has begun: then the client must not send the body at all.
func (b *body) sendContinue() {
	b.continued = true
	if b.c.res.wroteHeader {
		return
	}
	if _, err := io.WriteString(b.c.rwc, "HTTP/1.1 100 Continue\r\n\r\n"); err != nil {
		b.c.broken = true
	}
}

func (b *body) finished() { b.c.bodyEOF() }

// fail makes err sticky; the connection's framing is lost, so it closes after the answer.
func (b *body) fail(err error) {
	b.err = err
	b.c.broken = true
}

// drain reads and discards what the handler left of the body, up to maxDrainBytes, so the
// connection can carry the next request. It reports whether the body ended.
func (b *body) drain() bool {
	if b.done {
		return true
	}
	if b.closed || b.err != nil || b.expect && !b.continued {
		// A client waiting for 100 Continue has not sent the body: closing beats asking
		// for bytes only to throw them away (net/http does the same).
		return false
	}
	n, err := io.CopyN(io.Discard, struct{ io.Reader }{b}, maxDrainBytes+1)
	return n <= maxDrainBytes && err == io.EOF && b.done
}

// close ends the body for the handler: later reads fail with http.ErrBodyReadAfterClose.
func (b *body) close() { b.closed = true }

// fill reads more input into rbuf; a body read arms the request's read deadline first.
func (c *conn) fill() error {
	if c.r == c.w {
		c.r, c.w = 0, 0
	} else if c.w == len(c.rbuf) {
		if c.r == 0 {
			return errChunkLine // a line longer than the buffer; callers bound lines below it
		}
		c.w = copy(c.rbuf, c.rbuf[c.r:c.w])
		c.r = 0
	}
	n, err := c.readConn(c.rbuf[c.w:])
	c.w += n
	if n > 0 {
		return nil
	}
	return err
}

// readConn reads from the connection for a body, under ReadTimeout counted from the
// request's first byte (no deadline when ReadTimeout is zero).
func (c *conn) readConn(p []byte) (int, error) {
	if !c.bodyDeadline {
		c.bodyDeadline = true
		var t time.Time
		if d := c.s.ReadTimeout; d > 0 {
			t = c.reqStart.Add(d)
		}
		c.setReadDeadlineAt(t)
	}
	n, err := c.rwc.Read(p)
	if n > 0 && err == io.EOF {
		err = nil
	} else if n == 0 && err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}
