package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEdgeUserCertificate installs the owner's certificate for an alias with `imgcdn certs
// add`: the HTTPS edge then presents it for that name (curl trusting only that certificate
// succeeds), while distribution domains keep certificates from the local CA.
func TestEdgeUserCertificate(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("hello from the origin " + r.URL.Path))
	}))
	t.Cleanup(origin.Close)
	_, originPort, _ := net.SplitHostPort(origin.Listener.Addr().String())

	const alias = "img.example.test"
	cfg := `{"CallerReference": "certs-test", "Aliases": {"Quantity": 1, "Items": ["` + alias + `"]},
	  "Origins": {"Quantity": 1, "Items": [{"Id": "web", "DomainName": "127.0.0.1",
	    "CustomOriginConfig": {"HTTPPort": ` + originPort + `, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"}}]},
	  "DefaultCacheBehavior": {"TargetOriginId": "web", "ViewerProtocolPolicy": "allow-all",
	    "ForwardedValues": {"QueryString": false, "Cookies": {"Forward": "none"}}, "MinTTL": 0},
	  "Comment": "", "Enabled": true}`
	var created struct{ Distribution cfDistribution }
	cli.json(t, &created, "cloudfront", "create-distribution", "--distribution-config", cfg)
	waitDeployed(t, cli, created.Distribution.ID)

	dir := t.TempDir()
	crtFile, keyFile := filepath.Join(dir, "alias.crt"), filepath.Join(dir, "alias.key")
	writeSelfSigned(t, alias, crtFile, keyFile)
	out, err := exec.Command(pkg.bin, "certs", "add", "--data", srv.data, "--domain", alias, "--cert", crtFile, "--key", keyFile).CombinedOutput()
	if err != nil {
		t.Fatalf("imgcdn certs add: %v\n%s", err, out)
	}

	_, httpsPort, _ := strings.Cut(srv.https, ":")
	url := "https://" + alias + ":" + httpsPort + "/a.txt"
	resolve := alias + ":" + httpsPort + ":127.0.0.1"
	resp, body := curl(t, "--resolve", resolve, "--cacert", crtFile, url)
	if resp.StatusCode != 200 || string(body) != "hello from the origin /a.txt" {
		t.Fatalf("alias with its own certificate: %d %q", resp.StatusCode, body)
	}
	// The local CA does not vouch for the alias's certificate: curl trusting only the CA fails.
	ca := filepath.Join(srv.data, "ca", "ca.pem")
	if err := exec.Command("curl", "-sS", "-o", "/dev/null", "--resolve", resolve, "--cacert", ca, url).Run(); err == nil {
		t.Errorf("the alias's answer verified against the local CA: the user certificate was not used")
	}
	// The distribution's own domain is still served with the local CA's certificate.
	dom := "https://" + created.Distribution.DomainName + ":" + httpsPort + "/b.txt"
	if resp, body := curl(t, "--cacert", ca, dom); resp.StatusCode != 200 || string(body) != "hello from the origin /b.txt" {
		t.Fatalf("distribution domain: %d %q", resp.StatusCode, body)
	}
	// A certificate for another name is refused at install time.
	writeSelfSigned(t, "other.example.test", crtFile, keyFile)
	if out, err := exec.Command(pkg.bin, "certs", "add", "--data", srv.data, "--domain", alias, "--cert", crtFile, "--key", keyFile).CombinedOutput(); err == nil {
		t.Errorf("certs add accepted a certificate for another name:\n%s", out)
	}
}

func writeSelfSigned(t *testing.T, name, crtFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		DNSNames: []string{name}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(crtFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
}
