package httpserver

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for the zero values of Server's limits.
const (
	// DefaultMaxHeaderBytes bounds the request line plus header section, as the edge's
	// net/http listeners do (internal/app). Larger requests get 431 (RFC 6585 §5).
	DefaultMaxHeaderBytes = 64 << 10
	// DefaultMaxHeaders bounds the number of header field lines; more get 431.
	DefaultMaxHeaders = 100
	// bodyBufferSize is how much response body is held back before the header is sent: a
	// body that fits when the handler returns goes out with a Content-Length in one write.
	bodyBufferSize = 64 << 10
	// headroom is reserved in front of the body buffer for the header, so that a connection
	// without writev (TLS) still sends header and body in one Write.
	headroom = 4 << 10
	// maxDrainBytes is how much unread request body is read and discarded to keep a
	// connection alive after the handler; beyond it the connection is closed (net/http's
	// maxPostHandlerReadBytes).
	maxDrainBytes = 256 << 10
)

// Server serves an http.Handler over HTTP/1.1 connections. The zero value is usable with a
// Handler; every other field has the documented default. A Server must not be copied after
// first use. Fields must not change while it serves.
type Server struct {
	// Handler answers every request.
	Handler http.Handler
	// ReadHeaderTimeout bounds the time from a request's first byte to the end of its
	// header section. Zero means ReadTimeout; both zero mean no limit.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included. Zero means no limit.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response; it restarts with every request (as in
	// net/http), give or take 1/8 of it: deadlines only move when they drift that much, which
	// saves reprogramming a timer per request on busy connections. Zero means no limit.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that sends nothing for that long (give or
	// take 1/8, as WriteTimeout). Zero means ReadTimeout; both zero mean no limit.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line plus header section (and a chunked body's
	// trailer section). Zero means DefaultMaxHeaderBytes.
	MaxHeaderBytes int
	// MaxHeaders bounds the number of header field lines. Zero means DefaultMaxHeaders.
	MaxHeaders int
	// MaxRequestBodyBytes, when positive, bounds request bodies: a larger Content-Length is
	// answered 413 without calling the handler, and a chunked body that grows past it fails
	// the handler's Read with *http.MaxBytesError and closes the connection afterwards.
	MaxRequestBodyBytes int64
	// Logger receives handler panics and protocol errors worth an operator's attention; nil
	// means slog.Default().
	Logger *slog.Logger
	// BaseContext, if set, returns the parent context of every request accepted on ln (for
	// values); by default context.Background().
	BaseContext func(ln net.Listener) context.Context
	// HoldProcs, if set, is told when ServeLoop's event loops start and stop holding a P
	// (runtime.GOMAXPROCS) while they wait: +1 when a loop turns busy, -1 once it has been
	// idle for releaseProcsAfter or stops. The caller changes GOMAXPROCS by as much, so the
	// goroutines keep their Ps while loops are busy and an idle loop costs none (every P
	// beyond the cores costs the scheduler wake-ups: HTTPS hits on 2 cores took twice the
	// system CPU per request at GOMAXPROCS 4). Without it, the caller raises GOMAXPROCS by
	// loops for as long as ServeLoop runs.
	HoldProcs func(delta int)

	mu         sync.Mutex
	listeners  map[net.Listener]struct{}
	conns      map[*conn]struct{}
	inShutdown atomic.Bool
	closed     atomic.Bool        // Close was called: event loops drop their connections at once
	loops      map[waker]struct{} // running event loops (ServeLoop), woken by Shutdown and Close
	bufs       sync.Pool          // *[]byte of headroom+bodyBufferSize
	date       atomic.Pointer[dateValue]
}

// Serve accepts connections on ln and serves each on its own goroutine until Shutdown or
// Close; it then returns http.ErrServerClosed (so callers can share net/http's check), or
// the accept error that stopped it. Connections from ln that are *tls.Conn are served as
// HTTPS (r.TLS is set after the handshake).
func (s *Server) Serve(ln net.Listener) error {
	if !s.trackListener(ln, true) {
		return http.ErrServerClosed
	}
	defer s.trackListener(ln, false)
	base := context.Background()
	if s.BaseContext != nil {
		if base = s.BaseContext(ln); base == nil {
			panic("httpserver: BaseContext returned a nil context")
		}
	}
	var backoff time.Duration
	for {
		rwc, err := ln.Accept()
		if err != nil {
			if s.inShutdown.Load() {
				return http.ErrServerClosed
			}
			if temporaryAccept(err) {
				// Out of file descriptors and the like: back off as net/http does rather
				// than spin, and keep serving once descriptors free up.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.logger().Warn("httpserver: accept failed; retrying", "err", err, "delay", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		c := s.newConn(rwc, base)
		if !s.trackConn(c, true) {
			_ = rwc.Close()
			return http.ErrServerClosed
		}
		go c.serve()
	}
}

// temporaryAccept reports accept errors that net/http retries: timeouts and those whose
// Temporary method says so (EMFILE, ENFILE, ECONNABORTED).
func temporaryAccept(err error) bool {
	var t interface {
		Temporary() bool
		Timeout() bool
	}
	return errors.As(err, &t) && (t.Temporary() || t.Timeout())
}

// Shutdown stops accepting, lets every in-flight request finish (its response says
// "Connection: close"), closes connections as they turn idle, and returns once none are
// left or ctx ends (then with ctx's error; Close ends what remains).
func (s *Server) Shutdown(ctx context.Context) error {
	s.inShutdown.Store(true)
	s.mu.Lock()
	err := s.closeListenersLocked()
	s.mu.Unlock()
	// net/http polls too: idle connections have no goroutine to tell them, only a blocked
	// Read, which an expired read deadline wakes. A connection that turns idle after a kick
	// sees inShutdown itself; repeating the kick covers the race where it re-armed its
	// deadline just after one.
	tick := time.Millisecond
	timer := time.NewTimer(tick)
	defer timer.Stop()
	for {
		if s.kickIdle() {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			tick = min(2*tick, 500*time.Millisecond)
			timer.Reset(tick)
		}
	}
}

// Close stops accepting and closes every connection at once, in-flight requests included.
func (s *Server) Close() error {
	s.closed.Store(true)
	s.inShutdown.Store(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.closeListenersLocked()
	for c := range s.conns {
		if c.rwc != nil { // else an event loop's, which closes it
			_ = c.rwc.Close()
		}
	}
	return err
}

// kickIdle wakes idle connections so they close, and reports whether none are left.
func (s *Server) kickIdle() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.idle.Load() && c.rwc != nil {
			_ = c.rwc.SetReadDeadline(aLongTimeAgo)
		}
	}
	return len(s.conns) == 0
}

func (s *Server) closeListenersLocked() error {
	for l := range s.loops {
		l.wake() // it then sees inShutdown and closed
	}
	var errs []error
	for ln := range s.listeners {
		if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
		delete(s.listeners, ln)
	}
	return errors.Join(errs...)
}

func (s *Server) trackListener(ln net.Listener, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.listeners, ln)
		return true
	}
	if s.inShutdown.Load() {
		return false
	}
	if s.listeners == nil {
		s.listeners = map[net.Listener]struct{}{}
	}
	s.listeners[ln] = struct{}{}
	return true
}

func (s *Server) trackConn(c *conn, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !add {
		delete(s.conns, c)
		return true
	}
	if s.inShutdown.Load() {
		return false
	}
	if s.conns == nil {
		s.conns = map[*conn]struct{}{}
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Server) maxHeaderBytes() int {
	if s.MaxHeaderBytes > 0 {
		return s.MaxHeaderBytes
	}
	return DefaultMaxHeaderBytes
}

func (s *Server) maxHeaders() int {
	if s.MaxHeaders > 0 {
		return s.MaxHeaders
	}
	return DefaultMaxHeaders
}

func (s *Server) readHeaderTimeout() time.Duration {
	if s.ReadHeaderTimeout > 0 {
		return s.ReadHeaderTimeout
	}
	return s.ReadTimeout
}

func (s *Server) idleTimeout() time.Duration {
	if s.IdleTimeout > 0 {
		return s.IdleTimeout
	}
	return s.ReadTimeout
}

// getBuf returns a body buffer with headroom bytes reserved in front.
func (s *Server) getBuf() *[]byte {
	if bp, ok := s.bufs.Get().(*[]byte); ok {
		return bp
	}
	b := make([]byte, 0, headroom+bodyBufferSize)
	return &b
}

func (s *Server) putBuf(bp *[]byte) {
	*bp = (*bp)[:0]
	s.bufs.Put(bp)
}

// waker is an event loop as the Server sees it.
type waker interface{ wake() }

// aLongTimeAgo is a deadline in the past: setting it wakes a blocked Read at once.
var aLongTimeAgo = time.Unix(1, 0)
