// Package certstore holds user-supplied TLS certificates for edge hostnames (a
// distribution's aliases), in front of the local CA that issues certificates for everything
// else. CloudFront takes such certificates from ACM or IAM (ViewerCertificate); a
// self-hosted edge takes them from its data directory: <dir>/<hostname>.crt (the chain, leaf
// first, PEM) and <dir>/<hostname>.key (the private key, PEM, mode 0600).
package certstore

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Store serves certificates from a directory; files are re-read when they change, so a
// renewed certificate is picked up without a restart.
type Store struct {
	dir string
	mu  sync.Mutex
	c   map[string]entry
}

type entry struct {
	cert    *tls.Certificate
	modTime time.Time
}

// New returns a Store over dir (which need not exist yet).
func New(dir string) *Store { return &Store{dir: dir, c: map[string]entry{}} }

// Dir is where the certificates live.
func (s *Store) Dir() string { return s.dir }

// ErrNotFound means no certificate is installed for the name.
var ErrNotFound = errors.New("certstore: no certificate for this name")

// Get returns the certificate installed for name (lower-case host name), or ErrNotFound.
func (s *Store) Get(name string) (*tls.Certificate, error) {
	if !validName(name) {
		return nil, ErrNotFound
	}
	crt, key := s.paths(name)
	fi, err := os.Stat(crt)
	if err != nil {
		return nil, ErrNotFound
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.c[name]; ok && e.modTime.Equal(fi.ModTime()) {
		return e.cert, nil
	}
	c, err := tls.LoadX509KeyPair(crt, key)
	if err != nil {
		return nil, fmt.Errorf("certstore: %s: %w", name, err)
	}
	s.c[name] = entry{cert: &c, modTime: fi.ModTime()}
	return &c, nil
}

// Install checks that certPEM and keyPEM form a pair valid for name and writes them
// atomically (key 0600).
func (s *Store) Install(name string, certPEM, keyPEM []byte) error {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if !validName(name) {
		return fmt.Errorf("certstore: %q is not a host name", name)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return fmt.Errorf("certstore: %w", err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return fmt.Errorf("certstore: %w", err)
	}
	if err := leaf.VerifyHostname(name); err != nil {
		return fmt.Errorf("certstore: the certificate does not cover %s: %w", name, err)
	}
	if time.Now().After(leaf.NotAfter) {
		return fmt.Errorf("certstore: the certificate expired on %s", leaf.NotAfter.Format(time.RFC3339))
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	crt, key := s.paths(name)
	if err := writeAtomic(key, keyPEM, 0o600); err != nil {
		return err
	}
	return writeAtomic(crt, certPEM, 0o644)
}

// Remove deletes the certificate of name.
func (s *Store) Remove(name string) error {
	if !validName(name) {
		return ErrNotFound
	}
	crt, key := s.paths(name)
	err := os.Remove(crt)
	if errors.Is(err, os.ErrNotExist) {
		return ErrNotFound
	}
	_ = os.Remove(key)
	s.mu.Lock()
	delete(s.c, name)
	s.mu.Unlock()
	return err
}

func (s *Store) paths(name string) (crt, key string) {
	return filepath.Join(s.dir, name+".crt"), filepath.Join(s.dir, name+".key")
}

// validName accepts host names only (letters, digits, '-', '.', and a leading "*." for
// wildcards), so a viewer's SNI can never name a path.
func validName(name string) bool {
	n := strings.TrimPrefix(name, "*.")
	if n == "" || len(name) > 253 || strings.HasPrefix(n, ".") || strings.Contains(n, "..") {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func writeAtomic(path string, b []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
