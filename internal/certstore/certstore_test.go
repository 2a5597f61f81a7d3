package certstore

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func selfSigned(t *testing.T, names []string, notAfter time.Time) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]},
		DNSNames: names, NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

func TestInstallGetRemove(t *testing.T) {
	s := New(filepath.Join(t.TempDir(), "certs"))
	crt, key := selfSigned(t, []string{"img.example.test"}, time.Now().Add(24*time.Hour))
	if _, err := s.Get("img.example.test"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Install: %v", err)
	}
	if err := s.Install("IMG.example.test.", crt, key); err != nil {
		t.Fatal(err)
	}
	c, err := s.Get("img.example.test")
	if err != nil || c.Leaf == nil && len(c.Certificate) == 0 {
		t.Fatalf("Get: %v", err)
	}
	fi, err := os.Stat(filepath.Join(s.Dir(), "img.example.test.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", fi, err)
	}
	if err := s.Remove("img.example.test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("img.example.test"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Remove: %v", err)
	}
}

func TestInstallRefuses(t *testing.T) {
	s := New(t.TempDir())
	crt, key := selfSigned(t, []string{"img.example.test"}, time.Now().Add(24*time.Hour))
	_, otherKey := selfSigned(t, []string{"img.example.test"}, time.Now().Add(24*time.Hour))
	old, oldKey := selfSigned(t, []string{"old.example.test"}, time.Now().Add(-time.Minute))
	for _, c := range []struct {
		name     string
		crt, key []byte
		hostname string
	}{
		{"another name", crt, key, "cdn.example.test"},
		{"mismatched key", crt, otherKey, "img.example.test"},
		{"expired", old, oldKey, "old.example.test"},
		{"path in the name", crt, key, "../img.example.test"},
		{"slash", crt, key, "a/img.example.test"},
		{"garbage", []byte("not pem"), key, "img.example.test"},
	} {
		if err := s.Install(c.hostname, c.crt, c.key); err == nil {
			t.Errorf("%s: Install accepted it", c.name)
		}
	}
	for _, name := range []string{"../../etc/passwd", "", ".", "a..b"} {
		if _, err := s.Get(name); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q) = %v, want ErrNotFound", name, err)
		}
	}
}

func TestWildcard(t *testing.T) {
	s := New(t.TempDir())
	crt, key := selfSigned(t, []string{"*.example.test"}, time.Now().Add(24*time.Hour))
	if err := s.Install("*.example.test", crt, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("*.example.test"); err != nil {
		t.Fatal(err)
	}
}
