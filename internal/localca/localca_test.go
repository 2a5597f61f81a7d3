package localca

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
)

func TestIssuedLeafVerifiesAgainstRoot(t *testing.T) {
	dir := t.TempDir()
	ca, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"d1234567890abc.cdn.localhost", "127.0.0.1", ""} {
		leaf, err := ca.GetCertificate(&tls.ClientHelloInfo{ServerName: name})
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		want := name
		if want == "" {
			want = "localhost"
		}
		if _, err := leaf.Leaf.Verify(x509.VerifyOptions{DNSName: want, Roots: ca.Pool()}); err != nil {
			t.Errorf("%q: leaf does not verify: %v", name, err)
		}
	}
	st, err := os.Stat(filepath.Join(dir, caKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("CA key mode %v, want 0600", st.Mode().Perm())
	}
}

func TestReopenKeepsTheSameRoot(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !a.cert.Equal(b.cert) {
		t.Fatal("reopening the CA produced another root")
	}
	// A leaf from the first instance verifies against the second's pool.
	leaf, err := a.GetCertificate(&tls.ClientHelloInfo{ServerName: "x.cdn.localhost"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Leaf.Verify(x509.VerifyOptions{DNSName: "x.cdn.localhost", Roots: b.Pool()}); err != nil {
		t.Fatal(err)
	}
}

func TestAllowRefusesUnknownNames(t *testing.T) {
	ca, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ca.Allow = func(name string) bool { return name == "ok.cdn.localhost" }
	if _, err := ca.GetCertificate(&tls.ClientHelloInfo{ServerName: "evil.example"}); err == nil {
		t.Fatal("issued a certificate for a name Allow refused")
	}
	if _, err := ca.GetCertificate(&tls.ClientHelloInfo{ServerName: "OK.cdn.localhost."}); err != nil {
		t.Fatalf("refused an allowed name: %v", err)
	}
}

func TestHalfPresentCAIsAnError(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadOrCreate(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, caKeyFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(dir); err == nil {
		t.Fatal("a CA certificate without its key was accepted")
	}
}
