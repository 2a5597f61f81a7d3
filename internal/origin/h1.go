package origin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"
)

// h1Transport is the client of plain-HTTP origins for GET and HEAD requests without a body
// (what every cache fill sends): the request is written and the response read on the caller's
// goroutine, over a pooled keep-alive connection. net/http's Transport hands each round
// trip to the connection's own write-loop and read-loop goroutines and back, three thread
// wake-ups; on a small VM each costs about 100 µs, a large part of what a miss adds to the
// time to first byte. Other methods, requests with a body, and HTTPS origins stay on
// net/http's Transport.
//
// It keeps what net/http's Transport does for these requests: the same wire format
// (Request.Write, http.ReadResponse), keep-alive unless either side says close, at most
// maxIdle idle connections, idle ones dropped after idleTimeout, a bound on the response
// head, the response-header timeout, the context ending the exchange, and one retry on a
// new connection when a reused one turns out to have been closed by the origin before it
// answered anything.
type h1Transport struct {
	dialer        net.Dialer
	headerTimeout time.Duration
	idleTimeout   time.Duration
	maxIdle       int
	maxHeader     int64

	mu     sync.Mutex
	idle   []*h1Conn // most recently used last
	closed bool
}

func newH1Transport(k transportKey, maxIdle int, maxHeader int64) *h1Transport {
	return &h1Transport{
		dialer:        net.Dialer{Timeout: k.connect, KeepAlive: 30 * time.Second},
		headerTimeout: k.read,
		idleTimeout:   k.keepAlive,
		maxIdle:       maxIdle,
		maxHeader:     maxHeader,
	}
}

// h1Conn is one origin connection. lr sits between the socket and br, so that a response
// head can be bounded and the bytes of a response counted.
type h1Conn struct {
	nc     net.Conn
	lr     countingReader
	br     *bufio.Reader
	bw     *bufio.Writer
	idleAt time.Time
}

// countingReader reads from r, failing with errHeadTooLarge past limit bytes, and counts
// what it read.
type countingReader struct {
	r     io.Reader
	limit int64
	n     int64
}

var errHeadTooLarge = errors.New("origin: response headers exceed the limit")

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= c.limit {
		return 0, errHeadTooLarge
	}
	if rest := c.limit - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// longAgo is a deadline in the past: it ends any blocked read or write at once.
var longAgo = time.Unix(1, 0)

// RoundTrip sends req and returns the response whose head arrived; the body is read from the
// connection as the caller reads it.
func (t *h1Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	fresh := false
	for {
		c, reused, err := t.conn(ctx, req.URL.Host, fresh)
		if err != nil {
			return nil, err
		}
		resp, err := t.exchange(ctx, c, req)
		if err == nil {
			return resp, nil
		}
		_ = c.nc.Close()
		if reused && c.lr.n == 0 && ctx.Err() == nil && !errors.Is(err, errHeadTimeout) {
			// The origin closed the idle connection before (or as) the request reached
			// it: nothing was answered, so the request goes again on a new connection,
			// as net/http's Transport retries a bodiless request.
			fresh = true
			continue
		}
		return nil, err
	}
}

var errHeadTimeout = errors.New("origin: timeout awaiting response headers")

// conn returns an idle connection to addr unless fresh, else dials one, and tells the
// request's client trace which.
func (t *h1Transport) conn(ctx context.Context, addr string, fresh bool) (*h1Conn, bool, error) {
	var c *h1Conn
	if !fresh {
		c = t.take()
	}
	reused := c != nil
	if c == nil {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			addr = net.JoinHostPort(addr, "80")
		}
		nc, err := t.dialer.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, false, err
		}
		c = &h1Conn{nc: nc, lr: countingReader{r: nc, limit: math.MaxInt64}}
		c.br = bufio.NewReaderSize(&c.lr, 8<<10)
		c.bw = bufio.NewWriterSize(nc, 4<<10)
	}
	if trace := httptrace.ContextClientTrace(ctx); trace != nil && trace.GotConn != nil {
		trace.GotConn(httptrace.GotConnInfo{Conn: c.nc, Reused: reused})
	}
	return c, reused, nil
}

// take pops the most recently used idle connection that has not been idle too long; older
// ones are closed.
func (t *h1Transport) take() *h1Conn {
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.idle) > 0 {
		c := t.idle[len(t.idle)-1]
		t.idle[len(t.idle)-1] = nil
		t.idle = t.idle[:len(t.idle)-1]
		if t.idleTimeout <= 0 || now.Sub(c.idleAt) < t.idleTimeout {
			return c
		}
		_ = c.nc.Close()
	}
	return nil
}

// put returns c to the pool, or closes it when the pool is full or closed.
func (t *h1Transport) put(c *h1Conn) {
	c.idleAt = time.Now()
	t.mu.Lock()
	if !t.closed && len(t.idle) < t.maxIdle {
		t.idle = append(t.idle, c)
		c = nil
	}
	t.mu.Unlock()
	if c != nil {
		_ = c.nc.Close()
	}
}

// CloseIdleConnections closes every idle connection; the transport stays usable.
func (t *h1Transport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = nil
	t.mu.Unlock()
	for _, c := range idle {
		_ = c.nc.Close()
	}
}

// exchange writes req on c and reads the response head.
func (t *h1Transport) exchange(ctx context.Context, c *h1Conn, req *http.Request) (*http.Response, error) {
	var deadline time.Time
	if t.headerTimeout > 0 {
		deadline = time.Now().Add(t.headerTimeout)
	}
	if err := c.nc.SetDeadline(deadline); err != nil {
		return nil, err
	}
	// Set after the deadline above, so that a cancellation always wins over it.
	stop := context.AfterFunc(ctx, func() { _ = c.nc.SetDeadline(longAgo) })
	resp, err := t.head(c, req)
	if !stop() {
		if err == nil {
			err = ctx.Err()
		}
		return nil, err
	}
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && !deadline.IsZero() {
			err = fmt.Errorf("%w (%v): %w", errHeadTimeout, t.headerTimeout, err)
		}
		return nil, err
	}
	if err := c.nc.SetDeadline(time.Time{}); err != nil {
		return nil, err
	}
	b := &h1Body{t: t, c: c, rc: resp.Body, keep: !resp.Close && !req.Close}
	b.stop = context.AfterFunc(ctx, func() { _ = c.nc.SetDeadline(longAgo) })
	resp.Body = b
	return resp, nil
}

// head writes req and reads the response head, skipping informational (1xx) answers.
func (t *h1Transport) head(c *h1Conn, req *http.Request) (*http.Response, error) {
	c.lr.n = 0
	if err := req.Write(c.bw); err != nil {
		return nil, err
	}
	if err := c.bw.Flush(); err != nil {
		return nil, err
	}
	for {
		c.lr.limit = c.lr.n + t.maxHeader
		resp, err := http.ReadResponse(c.br, req)
		if err != nil {
			if errors.Is(err, errHeadTooLarge) {
				err = fmt.Errorf("%w (%d bytes)", errHeadTooLarge, t.maxHeader)
			}
			return nil, err
		}
		switch {
		case resp.StatusCode == http.StatusSwitchingProtocols:
			return nil, errors.New("origin: unexpected 101 Switching Protocols")
		case resp.StatusCode >= 100 && resp.StatusCode < 200:
			continue
		}
		c.lr.limit = math.MaxInt64
		return resp, nil
	}
}

// h1Body is a response body on a pooled connection. The connection goes back to the pool
// when the body has been read to its end and neither side asked to close; a body closed
// before its end closes the connection (what is left of the response is not read).
type h1Body struct {
	t    *h1Transport
	c    *h1Conn
	rc   io.ReadCloser
	stop func() bool
	keep bool
	done atomic.Bool
}

func (b *h1Body) Read(p []byte) (int, error) {
	if b.done.Load() {
		return 0, io.EOF
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.release(true)
	}
	return n, err
}

func (b *h1Body) Close() error {
	b.release(b.rc == http.NoBody)
	return nil
}

// release ends the body's hold on its connection, once: back to the pool when the response
// was read whole with nothing after it (an origin sends nothing unasked), nothing cancelled
// the exchange and keep-alive holds; closed otherwise.
// A Close racing a Read closes the connection under it, which ends that Read.
func (b *h1Body) release(whole bool) {
	if !b.done.CompareAndSwap(false, true) {
		return
	}
	if b.stop() && whole && b.keep && b.c.br.Buffered() == 0 {
		b.t.put(b.c)
		return
	}
	_ = b.c.nc.Close()
}
