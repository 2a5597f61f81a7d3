package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/logging"
)

// wireAudit wraps a client's transport: it records which SigV4 payload mode each request used
// (so a test can prove it exercised aws-chunked or streaming signatures rather than assume it)
// and every response that lacks x-amz-request-id or x-amz-id-2, which S3 puts on every answer.
type wireAudit struct {
	base http.RoundTripper

	mu      sync.Mutex
	modes   map[string]int
	hosts   map[string]int
	ids     map[string]string // x-amz-request-id -> the request that got it
	missing []string
}

func newWireAudit(t testing.TB, base http.RoundTripper) *wireAudit {
	a := &wireAudit{base: base, modes: map[string]int{}, hosts: map[string]int{}, ids: map[string]string{}}
	t.Cleanup(func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		for _, m := range a.missing {
			t.Errorf("response without x-amz-request-id / x-amz-id-2, or with a reused request id: %s", m)
		}
	})
	return a
}

func (a *wireAudit) RoundTrip(req *http.Request) (*http.Response, error) {
	mode := req.Header.Get("X-Amz-Content-Sha256")
	if len(mode) == 64 && !strings.Contains(mode, "-") {
		mode = "<sha256-hex>"
	}
	if mode == "" && req.URL.Query().Get("X-Amz-Signature") != "" {
		mode = "<presigned>"
	}
	if enc := req.Header.Get("Content-Encoding"); strings.Contains(enc, "aws-chunked") {
		mode += " +aws-chunked"
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	resp, err := a.base.RoundTrip(req)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.modes[req.Method+" "+mode]++
	a.hosts[host]++
	if err == nil {
		what := req.Method + " " + req.URL.String() + " -> " + resp.Status
		id := resp.Header.Get("X-Amz-Request-Id")
		if id == "" || resp.Header.Get("X-Amz-Id-2") == "" {
			a.missing = append(a.missing, what)
		} else if prev, dup := a.ids[id]; dup {
			a.missing = append(a.missing, what+": request id "+id+" already answered "+prev)
		}
		a.ids[id] = what
	}
	return resp, err
}

// sawMode reports whether some request with this method used a payload mode containing want.
func (a *wireAudit) sawMode(method, want string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for m := range a.modes {
		if strings.HasPrefix(m, method+" ") && strings.Contains(m, want) {
			return true
		}
	}
	return false
}

func (a *wireAudit) summary() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var s []string
	for m, n := range a.modes {
		s = append(s, m+"="+strconv.Itoa(n))
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

func (a *wireAudit) sawHost(h string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.hosts[h] > 0
}

// loopbackTransport dials 127.0.0.1 whatever the host name, keeping the Host header as the
// client wrote it. Go's resolver does not map *.localhost to loopback (checked on this
// machine: "lookup s3.localhost: no such host"), but virtual-hosted-style S3 needs
// bucket.s3.localhost in the Host header.
func loopbackTransport(tlsConf *tls.Config) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
	}
	tr.TLSClientConfig = tlsConf
	tr.MaxIdleConnsPerHost = 64
	return tr
}

// sdkClient is an aws-sdk-go-v2 S3 client with the SDK's default behaviour (config.LoadDefaultConfig:
// CRC32 request checksums "when supported", response validation "when supported"), static test
// credentials and an audited transport.
type sdkClient struct {
	*s3.Client
	audit *wireAudit
	http  *http.Client
}

type sdkOpts struct {
	endpoint  string // BaseEndpoint
	pathStyle bool
	tlsConf   *tls.Config
	secret    string // defaults to testSecretKey
	access    string // defaults to testAccessKey
	noRetry   bool
}

func newSDK(t testing.TB, o sdkOpts) *sdkClient {
	t.Helper()
	if o.secret == "" {
		o.secret = testSecretKey
	}
	if o.access == "" {
		o.access = testAccessKey
	}
	audit := newWireAudit(t, loopbackTransport(o.tlsConf))
	hc := &http.Client{Transport: audit}
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(testRegion),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(o.access, o.secret, "")),
	)
	if err != nil {
		t.Fatalf("aws config: %v", err)
	}
	// Set after loading: LoadDefaultConfig wraps only its own buildable client (it applies
	// AWS_CA_BUNDLE from the environment to it).
	cfg.HTTPClient = hc
	// The SDK's notices (such as "Response has no supported checksum") go to the test log.
	cfg.Logger = logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		t.Logf("aws-sdk-go-v2 %s: "+format, append([]any{c}, v...)...)
	})
	if o.noRetry {
		cfg.RetryMaxAttempts = 1
	}
	c := s3.NewFromConfig(cfg, func(so *s3.Options) {
		so.BaseEndpoint = aws.String(o.endpoint)
		so.UsePathStyle = o.pathStyle
	})
	return &sdkClient{Client: c, audit: audit, http: hc}
}

// pathSDK is the usual client: path-style, straight at the API port over plain HTTP.
func pathSDK(t testing.TB, s *server) *sdkClient {
	return newSDK(t, sdkOpts{endpoint: s.endpoint(), pathStyle: true})
}

// tlsFront is a TLS-terminating reverse proxy in front of the API, like a load balancer. The
// Go SDK and botocore only send aws-chunked bodies with trailing checksums over HTTPS
// (aws-sdk-go-v2 service/internal/checksum: "Trailing checksums are only supported when TLS
// is enabled"; botocore httpchecksum.py: trailers only when the scheme is https), so this is
// how the tests reach the server's STREAMING-UNSIGNED-PAYLOAD-TRAILER path with unmodified
// clients. The proxy forwards the Host header and body unchanged, so signatures still verify.
type tlsFront struct {
	url     string
	tlsConf *tls.Config
	caFile  string
}

func newTLSFront(t testing.TB, s *server) *tlsFront {
	t.Helper()
	target := &url.URL{Scheme: "http", Host: s.api}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
		},
		FlushInterval: -1,
	}
	ts := httptest.NewUnstartedServer(proxy)
	ts.StartTLS()
	t.Cleanup(ts.Close)

	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	caFile := filepath.Join(t.TempDir(), "front-ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return &tlsFront{url: ts.URL, tlsConf: &tls.Config{RootCAs: pool}, caFile: caFile}
}

// frontSDK is a default SDK client that talks HTTPS through the TLS front, so its uploads go
// out aws-chunked with a trailing CRC32.
func frontSDK(t testing.TB, f *tlsFront) *sdkClient {
	return newSDK(t, sdkOpts{endpoint: f.url, pathStyle: true, tlsConf: f.tlsConf})
}
