// Package localca is the edge's own certificate authority: created once in the data directory,
// it issues short-lived leaf certificates on the fly for the names viewers ask for through SNI,
// so HTTPS works on a laptop or a private network without any public CA. Users trust it once
// (curl --cacert, the system store or a browser) and every distribution domain is covered.
package localca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

const (
	caCertFile = "ca.pem"
	caKeyFile  = "ca-key.pem"
	// leafLifetime stays under the 398 days browsers accept; leaves are re-issued on demand.
	leafLifetime = 90 * 24 * time.Hour
	// maxCached bounds the leaf cache: SNI names are chosen by clients, so they must not be able
	// to grow the process without limit.
	maxCached = 4096
)

// CA issues leaf certificates signed by a locally generated root.
type CA struct {
	cert     *x509.Certificate
	key      crypto.Signer
	certPath string
	// Allow, when set, decides which server names get a certificate; others fail the handshake.
	Allow func(serverName string) bool
	// DefaultName is used when a client sends no SNI (for example curl to an IP address).
	DefaultName string

	mu    sync.Mutex
	cache map[string]*tls.Certificate
}

// LoadOrCreate opens the CA kept in dir, creating the key (mode 0600) and a 10-year root
// certificate on first use.
func LoadOrCreate(dir string) (*CA, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	certPath, keyPath := filepath.Join(dir, caCertFile), filepath.Join(dir, caKeyFile)
	certPEM, certErr := os.ReadFile(certPath)
	keyPEM, keyErr := os.ReadFile(keyPath)
	if errors.Is(certErr, os.ErrNotExist) && errors.Is(keyErr, os.ErrNotExist) {
		var err error
		if certPEM, keyPEM, err = create(); err != nil {
			return nil, err
		}
		if err := writeFile(keyPath, keyPEM, 0o600); err != nil {
			return nil, err
		}
		if err := writeFile(certPath, certPEM, 0o644); err != nil {
			return nil, err
		}
	} else if certErr != nil || keyErr != nil {
		return nil, fmt.Errorf("localca: %s and %s must both exist or both be absent: %v", certPath, keyPath, errors.Join(certErr, keyErr))
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("localca: %s: %w", dir, err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, err
	}
	signer, ok := pair.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, errors.New("localca: CA key cannot sign")
	}
	return &CA{cert: cert, key: signer, certPath: certPath, cache: map[string]*tls.Certificate{}, DefaultName: "localhost"}, nil
}

// CertPath is the PEM file of the root certificate, the one users add to their trust store.
func (c *CA) CertPath() string { return c.certPath }

// Pool returns a pool holding the root, for clients (tests, edge-to-edge) that trust it.
func (c *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c.cert)
	return p
}

// GetCertificate is a tls.Config.GetCertificate that issues (and caches) a leaf for the SNI name.
func (c *CA) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := strings.ToLower(strings.TrimSuffix(hello.ServerName, "."))
	if name == "" {
		name = c.DefaultName
	}
	if c.Allow != nil && !c.Allow(name) {
		return nil, fmt.Errorf("localca: no certificate for %q", name)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if leaf, ok := c.cache[name]; ok && time.Until(leaf.Leaf.NotAfter) > 24*time.Hour {
		return leaf, nil
	}
	leaf, err := c.issue(name)
	if err != nil {
		return nil, err
	}
	if len(c.cache) >= maxCached {
		for k := range c.cache { // drop an arbitrary entry; re-issuing is cheap
			delete(c.cache, k)
			break
		}
	}
	c.cache[name] = leaf
	return leaf, nil
}

func (c *CA) issue(name string) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(leafLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(name); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{name}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &key.PublicKey, c.key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der, c.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

func create() (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "imgcdn local CA", Organization: []string{"imgcdn"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}

func writeFile(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
