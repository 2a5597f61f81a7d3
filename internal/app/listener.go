package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/imgcdn/imgcdn/internal/httpserver"
)

// Edge HTTP servers (EdgeConfig.Server, --edge-server).
const (
	// EdgeServerFast serves the edge's HTTP/1.1 (plain, and TLS connections that negotiate
	// http/1.1) with internal/httpserver, which spends fewer syscalls and allocations per
	// keep-alive request than net/http (issue 6); HTTP/2 stays on net/http.
	EdgeServerFast = "fast"
	// EdgeServerStdlib serves everything with net/http.
	EdgeServerStdlib = "stdlib"
	// EdgeServerLoop is EdgeServerFast with event loops on the plain-HTTP listener, one per
	// CPU, which answer memory hits on their own threads and hand everything else to
	// the goroutines of EdgeServerFast (httpserver.ServeLoop; Linux, else the same as fast).
	EdgeServerLoop = "loop"
)

func validEdgeServer(kind string) error {
	switch kind {
	case EdgeServerFast, EdgeServerStdlib, EdgeServerLoop:
		return nil
	}
	return fmt.Errorf("--edge-server %q: want %s, %s or %s", kind, EdgeServerLoop, EdgeServerFast, EdgeServerStdlib)
}

// Settings every imgcdn listener shares.
const (
	readHeaderTimeout = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// server is one listener with its HTTP server(s): net/http for the API and for the edge
// with EdgeServerStdlib; with EdgeServerFast, internal/httpserver for HTTP/1.1 and, on
// TLS, net/http for the connections that negotiate h2 (httpserver.SplitTLS).
type server struct {
	name   string
	ln     net.Listener // the bound listener
	srv    *http.Server
	fast   *httpserver.Server
	fastLn net.Listener // what fast serves
	stdLn  net.Listener // what srv serves; nil when fast serves everything
	tls    bool
	loops  int // event loops fast serves fastLn with (EdgeServerLoop)
}

// bindServer listens on addr; kind is EdgeServerLoop, EdgeServerFast or EdgeServerStdlib.
func bindServer(name, addr string, useTLS bool, kind string, getCert func(*tls.ClientHelloInfo) (*tls.Certificate, error), log *slog.Logger) (*server, error) {
	if err := validEdgeServer(kind); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--%s %s: %w", name, addr, err)
	}
	s := &server{name: name, ln: ln, tls: useTLS, stdLn: ln, srv: &http.Server{
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}}
	var tlsCfg *tls.Config
	if useTLS {
		tlsCfg = &tls.Config{GetCertificate: getCert, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
		s.srv.TLSConfig = tlsCfg
		s.stdLn = tls.NewListener(ln, tlsCfg)
	}
	if kind == EdgeServerLoop && !useTLS {
		s.loops = runtime.GOMAXPROCS(0)
	}
	if kind == EdgeServerFast || kind == EdgeServerLoop {
		s.fast = &httpserver.Server{ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout,
			MaxHeaderBytes: maxHeaderBytes, Logger: log, HoldProcs: addProcs}
		s.fastLn, s.stdLn = ln, nil
		if useTLS {
			s.fastLn, s.stdLn = httpserver.SplitTLS(ln, tlsCfg, readHeaderTimeout)
		}
	}
	return s, nil
}

func (s *server) setHandler(h http.Handler) {
	s.srv.Handler = h
	if s.fast != nil {
		s.fast.Handler = h
	}
}

// serve serves until shutdown (then nil) or until a server fails.
func (s *server) serve() error {
	errc := make(chan error, 2)
	n := 0
	if s.stdLn != nil {
		n++
		go func() { errc <- ignoreClosed(s.srv.Serve(s.stdLn)) }()
	}
	if s.fast != nil && s.loops > 0 {
		n++
		// A busy loop keeps a P while it waits; HoldProcs (addProcs) adds one for the rest.
		go func() { errc <- ignoreClosed(s.fast.ServeLoop(s.fastLn, s.loops)) }()
	} else if s.fast != nil {
		n++
		go func() { errc <- ignoreClosed(s.fast.Serve(s.fastLn)) }()
	}
	for ; n > 0; n-- {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// procsMu serializes changes to GOMAXPROCS, which is the process's, not an App's: several
// Apps (tests) may start and stop event loops at once.
var procsMu sync.Mutex

func addProcs(n int) {
	procsMu.Lock()
	defer procsMu.Unlock()
	runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + n)
}

func ignoreClosed(err error) error {
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// shutdown drains both servers at once.
func (s *server) shutdown(ctx context.Context) error {
	if s.fast == nil {
		return s.srv.Shutdown(ctx)
	}
	fastErr := make(chan error, 1)
	go func() { fastErr <- s.fast.Shutdown(ctx) }()
	return errors.Join(s.srv.Shutdown(ctx), <-fastErr)
}

// close ends everything at once, the listener included (also when nothing served yet).
func (s *server) close() {
	_ = s.srv.Close()
	if s.fast != nil {
		_ = s.fast.Close()
	}
	_ = s.ln.Close()
}
