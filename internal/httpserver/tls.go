package httpserver

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
	"time"
)

// SplitTLS serves TLS on ln for two servers: it accepts connections, runs each handshake on
// its own goroutine (bounded by handshakeTimeout when positive, so a silent client cannot
// hold the accept loop), and hands the connection to http1 when ALPN chose "http/1.1" or
// nothing, or to h2 when it chose "h2". Serve this package's Server on http1 and an
// http.Server on h2: net/http sees a *tls.Conn whose handshake is done, and starts HTTP/2 on
// it (RFC 9113 §3.2). cfg.NextProtos should offer "h2" and "http/1.1". Each tls.Conn runs over
// a recordBatch, through which this package's Server sends a response's records in one write.
//
// Closing both listeners closes ln; a connection handed to a closed listener is closed.
func SplitTLS(ln net.Listener, cfg *tls.Config, handshakeTimeout time.Duration) (http1, h2 net.Listener) {
	sp := &splitter{ln: ln, cfg: cfg, timeout: handshakeTimeout, done: make(chan struct{}), batches: newBatchPool()}
	sp.http1 = sp.child()
	sp.h2 = sp.child()
	go sp.acceptLoop()
	return sp.http1, sp.h2
}

type splitter struct {
	ln       net.Listener
	cfg      *tls.Config
	timeout  time.Duration
	batches  *sync.Pool // the recordBatch buffers
	http1    *splitListener
	h2       *splitListener
	done     chan struct{} // the accept loop ended, with err
	err      error
	mu       sync.Mutex
	openKids int
}

func (sp *splitter) child() *splitListener {
	sp.openKids++
	return &splitListener{sp: sp, conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (sp *splitter) acceptLoop() {
	var backoff time.Duration
	for {
		c, err := sp.ln.Accept()
		if err != nil {
			if temporaryAccept(err) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			sp.err = err
			close(sp.done)
			return
		}
		backoff = 0
		go sp.handshake(c)
	}
}

func (sp *splitter) handshake(c net.Conn) {
	tc := tls.Server(&recordBatch{Conn: c, pool: sp.batches}, sp.cfg)
	ctx := context.Background()
	if sp.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, sp.timeout)
		defer cancel()
	}
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = c.Close()
		return
	}
	to := sp.http1
	if tc.ConnectionState().NegotiatedProtocol == "h2" {
		to = sp.h2
	}
	select {
	case to.conns <- tc:
	case <-to.closed:
		_ = tc.Close()
	case <-sp.done:
		_ = tc.Close()
	}
}

// splitListener is one side of SplitTLS.
type splitListener struct {
	sp     *splitter
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

var _ net.Listener = (*splitListener)(nil)

func (l *splitListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-l.sp.done:
		return nil, l.sp.err
	}
}

func (l *splitListener) Close() error {
	var err error
	l.once.Do(func() {
		close(l.closed)
		l.sp.mu.Lock()
		l.sp.openKids--
		last := l.sp.openKids == 0
		l.sp.mu.Unlock()
		if last {
			err = l.sp.ln.Close()
		}
	})
	return err
}

func (l *splitListener) Addr() net.Addr { return l.sp.ln.Addr() }
