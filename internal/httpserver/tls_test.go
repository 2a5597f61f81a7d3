package httpserver

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"io"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// TestSplitTLS serves one handler over TLS: h2 clients reach net/http, HTTP/1.1 clients
// this server, and both see r.TLS.
func TestSplitTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Proto", r.Proto)
		if r.TLS == nil || !r.TLS.HandshakeComplete {
			http.Error(w, "no TLS state", 500)
			return
		}
		_, _ = io.WriteString(w, "over "+r.TLS.NegotiatedProtocol)
	})
	ln := listen(t)
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}
	h1ln, h2ln := SplitTLS(ln, cfg, 10*time.Second)
	fast := &Server{Handler: h}
	std := &http.Server{Handler: h}
	go func() { _ = fast.Serve(h1ln) }()
	go func() { _ = std.Serve(h2ln) }()
	t.Cleanup(func() { _ = fast.Close(); _ = std.Close() })

	url := "https://" + ln.Addr().String() + "/"
	for _, tc := range []struct {
		name   string
		tr     *http.Transport
		proto  string
		answer string
	}{
		{"h2", &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}, "HTTP/2.0", "over h2"},
		{"http/1.1", &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, NextProtos: []string{"http/1.1"}}}, "HTTP/1.1", "over http/1.1"},
		{"no ALPN", &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}, "HTTP/1.1", "over "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer tc.tr.CloseIdleConnections()
			for i := 0; i < 2; i++ { // the second request reuses the connection
				resp, err := (&http.Client{Transport: tc.tr}).Get(url)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.Proto != tc.proto || resp.Header.Get("X-Proto") != tc.proto || string(b) != tc.answer {
					t.Errorf("%s %s %q, want %s %q", resp.Proto, resp.Header.Get("X-Proto"), b, tc.proto, tc.answer)
				}
			}
		})
	}
	// Closing both sides closes the TCP listener.
	_ = h1ln.Close()
	_ = h2ln.Close()
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Error("listener still accepting after both sides closed")
	}
}

func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// TestSplitTLSSendsRecordsTogether: a response's TLS records leave in one write to the socket
// (crypto/tls writes each 16 KiB record on its own: three for 32 KiB), a large body in
// maxBatch pieces, and every byte arrives.
func TestSplitTLSSendsRecordsTogether(t *testing.T) {
	cert, pool := selfSigned(t)
	small := bytes.Repeat([]byte("s"), 32369)
	large := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := small
		if r.URL.Path == "/large" {
			body = large
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	ln := &countingListener{Listener: listen(t)}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}}
	h1ln, h2ln := SplitTLS(ln, cfg, 10*time.Second)
	fast := &Server{Handler: h}
	go func() { _ = fast.Serve(h1ln) }()
	t.Cleanup(func() { _ = fast.Close(); _ = h2ln.Close() })

	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	get := func(path string, want []byte) int64 {
		t.Helper()
		before := ln.writes.Load()
		resp, err := (&http.Client{Transport: tr}).Get("https://" + ln.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !bytes.Equal(b, want) {
			t.Fatalf("%s: %d bytes (%v), want the %d written", path, len(b), err, len(want))
		}
		return ln.writes.Load() - before
	}
	get("/", small) // the handshake's writes
	for i := 0; i < 3; i++ {
		if n := get("/", small); n != 1 {
			t.Errorf("32,369-byte response in %d writes, want 1", n)
		}
	}
	if n, most := get("/large", large), int64(len(large)/maxBatch+2); n > most {
		t.Errorf("1 MiB response in %d writes, want at most %d", n, most)
	}
}

// countingListener counts the writes to the connections it accepted.
type countingListener struct {
	net.Listener
	writes atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, writes: &l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}
