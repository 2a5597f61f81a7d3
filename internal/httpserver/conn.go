package httpserver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// readBufferSize is a connection's initial read buffer: a browser's request head fits; a
// larger one grows the buffer up to MaxHeaderBytes for that connection.
const readBufferSize = 4 << 10

// conn is one client connection. Everything a request needs is kept here and reused for
// the next request on the connection (see the package comment for the contract).
type conn struct {
	s        *Server
	rwc      net.Conn
	vectored bool         // rwc takes writev (net.Buffers); TLS does not
	records  *recordBatch // under rwc when it is a tls.Conn from SplitTLS
	tls      *tls.ConnectionState
	remote   string
	base     context.Context
	idle     atomic.Bool // waiting for the first byte of a request; Shutdown may close it

	rbuf []byte // unread input is rbuf[r:w]
	r, w int
	p    parser
	h    head
	req  http.Request
	res  response
	body body
	hbuf []byte      // status line and header of the response being written
	iov  [4][]byte   // writev parts, kept here so net.Buffers does not escape per write
	nb   net.Buffers // (ditto)

	rdl, wdl     time.Time // deadlines last set on rwc; rdlStale means unknown
	rdlStale     bool
	reqStart     time.Time // first byte of the current request (zero: not read yet, see readHead)
	bodyDeadline bool      // the current request's body deadline is set

	// The client-gone watch (watch.go).
	watchMu     sync.Mutex
	ctx         *reqContext
	ownCtx      reqContext // ctx of the requests served inline (prepareRequest)
	handlerDone bool
	wantWatch   bool // asked for while the body was unread: start at its end
	watching    bool
	watchDone   chan struct{}
	watchErr    error

	broken bool // the connection cannot carry another request
	linger bool // close with a lingering read so the client sees our answer, not a reset

	// While an event loop serves the connection (loop_linux.go), fd is its descriptor and
	// rwc is nil; out holds the response bytes the socket did not take yet, some of them
	// copied to spill. fd is -1 on a connection served by its own goroutine.
	fd        int
	lp        *loop
	home      *loop // the loop a connection handed to a goroutine goes back to
	out       [][]byte
	spill     []byte
	readable  bool  // the socket may hold unread input (edge-triggered)
	closing   bool  // close once out is sent
	deadline  int64 // UnixNano the loop closes c at unless it progresses; 0: none
	headStart int64 // UnixNano of the first byte of the head being read
}

func (s *Server) newConn(rwc net.Conn, base context.Context) *conn {
	c := &conn{s: s, rwc: rwc, rdlStale: true, fd: -1}
	switch rc := rwc.(type) {
	case *net.TCPConn, *net.UnixConn:
		c.vectored = true
	case *tls.Conn:
		c.records, _ = rc.NetConn().(*recordBatch)
	}
	c.base = context.WithValue(base, http.LocalAddrContextKey, rwc.LocalAddr())
	c.p.lim = limits{maxBytes: s.maxHeaderBytes(), maxHeaders: s.maxHeaders()}
	c.res.c = c
	c.body.c = c
	return c
}

func (c *conn) serve() {
	defer c.close()
	c.remote = c.rwc.RemoteAddr().String()
	if tc, ok := c.rwc.(*tls.Conn); ok {
		// The handshake counts as reading the head, as in net/http.
		if d := c.s.readHeaderTimeout(); d > 0 {
			_ = c.rwc.SetDeadline(time.Now().Add(d))
		}
		if err := tc.HandshakeContext(c.base); err != nil {
			return
		}
		_ = c.rwc.SetDeadline(time.Time{})
		st := tc.ConnectionState()
		c.tls = &st
	}
	c.rbuf = make([]byte, readBufferSize)
	c.serveRequests()
}

// serveRequests reads and answers requests until the connection cannot carry another, or
// until the event loop it came from takes it back between requests: then it reports true,
// and c is the loop's.
func (c *conn) serveRequests() (adopted bool) {
	for {
		if c.home != nil && c.r == c.w && c.home.adopt(c) {
			return true
		}
		err := c.readHead()
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				c.writeError(pe.Status, pe.Reason)
			}
			return false
		}
		if !c.serveRequest() {
			return false
		}
	}
}

// readHead reads until rbuf holds a whole request head, and parses it into c.h.
func (c *conn) readHead() error {
	pipelined := true
	c.reqStart = time.Time{} // read lazily, below
	for {
		if c.w > c.r {
			n, err := c.p.parseHead(c.rbuf[c.r:c.w], &c.h)
			if err == nil {
				c.r += n
				if pipelined && c.s.ReadTimeout > 0 {
					c.reqStart = time.Now() // ReadTimeout starts now for a request read ahead
				}
				return nil
			}
			if err != errIncomplete {
				return err
			}
		}
		if c.r == c.w {
			c.r, c.w = 0, 0
		}
		if err := c.makeRoom(); err != nil {
			return err
		}
		waiting := c.r == c.w
		if waiting {
			// Between requests: the idle timeout applies, and Shutdown may close us.
			c.idle.Store(true)
			if c.s.inShutdown.Load() {
				return http.ErrServerClosed
			}
			c.setReadDeadline(time.Now(), c.s.idleTimeout())
		} else if d := c.s.readHeaderTimeout(); d > 0 {
			if c.reqStart.IsZero() {
				c.reqStart = time.Now()
			}
			c.setReadDeadlineAt(c.reqStart.Add(d))
		}
		n, err := c.rwc.Read(c.rbuf[c.w:])
		c.idle.Store(false)
		if n > 0 && waiting {
			// The clock is read here only when ReadTimeout needs the start for the body;
			// a head that spans several reads (rare) reads it at the second one, a few
			// microseconds late, for ReadHeaderTimeout. Most requests read no clock here.
			if c.s.ReadTimeout > 0 {
				c.reqStart = time.Now()
			}
			pipelined = false
		}
		c.w += n
		if err != nil && (n == 0 || !errors.Is(err, io.EOF)) {
			return err
		}
	}
}

// makeRoom ensures rbuf has free space after w: it moves unread bytes to the front, or
// grows the buffer for a head larger than it (parseHead bounds the head's size).
func (c *conn) makeRoom() error {
	if c.w < len(c.rbuf) {
		return nil
	}
	if c.r > 0 {
		c.w = copy(c.rbuf, c.rbuf[c.r:c.w])
		c.r = 0
		return nil
	}
	limit := c.p.lim.maxBytes + 8 // the head plus leading empty lines plus one byte
	if len(c.rbuf) >= limit {
		return tooLarge("request head larger than the limit")
	}
	nb := make([]byte, min(2*len(c.rbuf), limit))
	c.w = copy(nb, c.rbuf[c.r:c.w])
	c.rbuf = nb
	return nil
}

// setReadDeadline arms a read deadline of now+d (none when d is 0). It keeps the current
// one when that lies within d/8 of the wanted one: a busy connection does not reprogram
// its timer for every request.
func (c *conn) setReadDeadline(now time.Time, d time.Duration) {
	if d <= 0 {
		c.setReadDeadlineAt(time.Time{})
		return
	}
	want := now.Add(d)
	if !c.rdlStale && !c.rdl.IsZero() && !c.rdl.After(want) && c.rdl.After(want.Add(-d/8)) {
		return
	}
	c.setReadDeadlineAt(want)
}

func (c *conn) setReadDeadlineAt(t time.Time) {
	if !c.rdlStale && c.rdl.Equal(t) {
		return
	}
	_ = c.rwc.SetReadDeadline(t)
	c.rdl, c.rdlStale = t, false
}

// refreshWriteDeadline restarts WriteTimeout for a new request, with the same d/8 slack.
func (c *conn) refreshWriteDeadline() {
	d := c.s.WriteTimeout
	if d <= 0 || c.rwc == nil {
		return // an event loop times its writes itself
	}
	want := time.Now().Add(d)
	if !c.wdl.IsZero() && !c.wdl.After(want) && c.wdl.After(want.Add(-d/8)) {
		return
	}
	_ = c.rwc.SetWriteDeadline(want)
	c.wdl = want
}

// serveRequest runs the handler for the parsed head c.h and reports whether the
// connection may carry another request.
func (c *conn) serveRequest() bool {
	h := &c.h
	if max := c.s.MaxRequestBodyBytes; max > 0 && h.contentLength > max {
		c.linger = true
		c.writeError(http.StatusRequestEntityTooLarge, "request body larger than "+strconv.FormatInt(max, 10)+" bytes")
		return false
	}
	c.prepareRequest(false)
	panicked := c.runHandler()
	return c.endRequest(panicked)
}

// prepareRequest makes c.req, its body, context and response ready for the head c.h. A
// request served inline gets the connection's own context, reset: an InlineHandler keeps
// neither the request nor its context past its return (see InlineHandler), so the next one
// may have it. A handler on a goroutine gets a context of its own, which stays cancelled
// for whoever holds it after the handler returned, as net/http's does.
func (c *conn) prepareRequest(inline bool) {
	h := &c.h
	req := &c.req
	*req = http.Request{Method: h.method, URL: &h.url, Proto: h.proto, ProtoMajor: h.major, ProtoMinor: h.minor,
		Header: h.header, ContentLength: h.contentLength, Close: h.wantClose, Host: h.host,
		RemoteAddr: c.remote, RequestURI: h.target, TLS: c.tls, Body: http.NoBody}
	if h.chunked {
		c.p.te[0] = "chunked"
		req.TransferEncoding = c.p.te[:]
	}
	c.body.reset(h)
	if !c.body.done {
		req.Body = &c.body
	}
	c.watchMu.Lock()
	if inline {
		c.ownCtx = reqContext{parent: c.base, c: c}
		c.ctx = &c.ownCtx
	} else {
		c.ctx = &reqContext{parent: c.base, c: c}
	}
	c.handlerDone, c.wantWatch, c.watching, c.watchErr = false, false, false, nil
	c.watchMu.Unlock()
	// WithContext is inlined and its copy stays on the stack: no allocation.
	*req = *req.WithContext(c.ctx)
	c.bodyDeadline = false
	c.refreshWriteDeadline()
	c.res.reset(req, h)
}

// endRequest completes the response after the handler and reports whether the connection
// may carry another request.
func (c *conn) endRequest(panicked bool) bool {
	c.stopWatch()
	c.ctx.cancel(context.Canceled)
	if panicked {
		c.res.abort()
		c.body.close()
		return false
	}
	c.res.finish()
	c.body.close()
	c.res.release()
	return !c.res.closeAfter && !c.broken && c.res.err == nil && !c.s.inShutdown.Load()
}

// runHandler calls the handler and recovers a panic, logging it unless it is
// http.ErrAbortHandler, as net/http does.
func (c *conn) runHandler() (panicked bool) {
	defer func() {
		if v := recover(); v != nil {
			panicked = true
			c.logPanic(v)
		}
	}()
	c.s.Handler.ServeHTTP(&c.res, &c.req)
	return false
}

// logPanic logs a handler's panic unless it is http.ErrAbortHandler, as net/http does.
func (c *conn) logPanic(v any) {
	if v == http.ErrAbortHandler {
		return
	}
	buf := make([]byte, 64<<10)
	buf = buf[:runtime.Stack(buf, false)]
	c.s.logger().Error("httpserver: panic serving "+c.remote, "panic", fmt.Sprint(v), "stack", string(buf))
}

// writeError answers a request refused before or instead of the handler, and marks the
// connection for closing.
func (c *conn) writeError(status int, reason string) {
	text := http.StatusText(status)
	body := strconv.Itoa(status) + " " + text + ": " + reason + "\n"
	msg := "HTTP/1.1 " + strconv.Itoa(status) + " " + text + "\r\nContent-Type: text/plain; charset=utf-8\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n" + body
	c.refreshWriteDeadline()
	if c.fd >= 0 {
		_ = c.sendInline([4][]byte{[]byte(msg)}, 0)
	} else {
		_, _ = io.WriteString(c.rwc, msg)
	}
	c.broken, c.linger = true, true
}

// close ends the connection. After an error answer it first half-closes and reads what the
// client still sends for a moment, so that unread input does not make the kernel reset the
// connection before the client has read our answer (RFC 9112 §9.6).
func (c *conn) close() {
	if c.linger {
		type closeWriter interface{ CloseWrite() error }
		if cw, ok := c.rwc.(closeWriter); ok && cw.CloseWrite() == nil {
			_ = c.rwc.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			_, _ = io.CopyN(io.Discard, c.rwc, maxDrainBytes)
		}
	}
	_ = c.rwc.Close()
	c.s.trackConn(c, false)
}
