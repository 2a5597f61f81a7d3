package app

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestBindServerKinds serves one handler on each kind of edge listener and checks which
// protocol each client gets: HTTP/1.1 on both kinds, and h2 over TLS (net/http in both).
func TestBindServerKinds(t *testing.T) {
	cert := testCert(t)
	getCert := func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return cert, nil }
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, kind := range []string{EdgeServerFast, EdgeServerStdlib} {
		for _, useTLS := range []bool{false, true} {
			s, err := bindServer("http", "127.0.0.1:0", useTLS, kind, getCert, log)
			if err != nil {
				t.Fatal(err)
			}
			if (s.fast != nil) != (kind == EdgeServerFast) {
				t.Fatalf("%s: fast server %v", kind, s.fast != nil)
			}
			s.setHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, r.Proto)
			}))
			done := make(chan error, 1)
			go func() { done <- s.serve() }()
			scheme := "http"
			protos := []string{"HTTP/1.1"}
			if useTLS {
				scheme, protos = "https", []string{"HTTP/1.1", "HTTP/2.0"}
			}
			for _, proto := range protos {
				tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: proto == "HTTP/2.0"}
				if proto == "HTTP/1.1" {
					tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
				}
				resp, err := (&http.Client{Transport: tr}).Get(scheme + "://" + s.ln.Addr().String() + "/")
				if err != nil {
					t.Fatalf("%s tls=%v %s: %v", kind, useTLS, proto, err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				tr.CloseIdleConnections()
				if string(b) != proto {
					t.Errorf("%s tls=%v: served %q, want %q", kind, useTLS, b, proto)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if err := s.shutdown(ctx); err != nil {
				t.Errorf("%s tls=%v: shutdown: %v", kind, useTLS, err)
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("%s tls=%v: serve: %v", kind, useTLS, err)
			}
			s.close()
		}
	}
	if _, err := bindServer("http", "127.0.0.1:0", false, "nginx", getCert, log); err == nil {
		t.Error("an unknown --edge-server was accepted")
	}
}

func testCert(t *testing.T) *tls.Certificate {
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
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}
