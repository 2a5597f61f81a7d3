package s3api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/objstore/disk"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

const (
	testAccessKey = "AKIAIOSFODNN7EXAMPLE"
	testSecret    = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	// testMinPart keeps multipart tests small; the store enforces it like S3's 5 MiB.
	testMinPart = 64 << 10
)

var testOwner = Owner{
	AccountID:   "123456789012",
	CanonicalID: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
	DisplayName: "imgcdn",
}

// testEnv is a Server over a real disk store in a temporary directory, behind an httptest
// server, and a client that signs its requests with aws-sdk-go-v2's SigV4 signer.
type testEnv struct {
	t      testing.TB
	store  objstore.Store
	srv    *Server
	ts     *httptest.Server
	region string // the region requests are signed for
	// client does not ask for gzip: a stored Content-Encoding must reach tests untouched.
	client *http.Client
}

func newTestEnv(t testing.TB, mutate ...func(*Config)) *testEnv {
	t.Helper()
	return newTestEnvStore(t, nil, mutate...)
}

// newTestEnvStore is newTestEnv with a hook on the disk store's configuration.
func newTestEnvStore(t testing.TB, storeMutate func(*disk.Config), mutate ...func(*Config)) *testEnv {
	t.Helper()
	dc := disk.NewDefaultConfig()
	dc.Dir = t.TempDir()
	dc.NoSync = true
	dc.MinPartSize = testMinPart
	if storeMutate != nil {
		storeMutate(&dc)
	}
	store, err := disk.Open(dc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg := Config{
		Store: store,
		Verifier: &sigv4.Verifier{Secret: func(ak string) (string, bool) {
			return testSecret, ak == testAccessKey
		}},
		Owner:               testOwner,
		VirtualHostSuffixes: []string{"s3.localhost"},
	}
	for _, m := range mutate {
		m(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(client.CloseIdleConnections)
	return &testEnv{t: t, store: store, srv: srv, ts: ts, region: "us-east-1", client: client}
}

// req builds a request to path (which may hold a query) on the test server.
func (e *testEnv) req(method, path string, body []byte) *http.Request {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// sign signs r for S3 with the test key, the payload hash of body declared in
// X-Amz-Content-Sha256.
func (e *testEnv) sign(r *http.Request, body []byte) *http.Request {
	e.t.Helper()
	return e.signAs(r, body, testAccessKey, testSecret)
}

// signAs signs r with another key pair.
func (e *testEnv) signAs(r *http.Request, body []byte, accessKey, secret string) *http.Request {
	e.t.Helper()
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if r.Header.Get("X-Amz-Content-Sha256") == "UNSIGNED-PAYLOAD" {
		hash = "UNSIGNED-PAYLOAD"
	}
	r.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secret}
	// S3 signs the path encoded once, never twice (IAM guide, create-signed-request.html).
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := signer.SignHTTP(context.Background(), creds, r, hash, "s3", e.region, time.Now()); err != nil {
		e.t.Fatal(err)
	}
	return r
}

// do sends a signed request and returns the answer with its body read.
func (e *testEnv) do(method, path string, body []byte, hdr ...string) (*http.Response, []byte) {
	e.t.Helper()
	r := e.req(method, path, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return e.send(e.sign(r, body))
}

// send sends r as is.
func (e *testEnv) send(r *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := e.client.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, b
}

// mustStatus fails the test unless resp has the wanted status.
func mustStatus(t testing.TB, resp *http.Response, body []byte, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body: %s", resp.Request.Method, resp.Request.URL, resp.StatusCode, want, body)
	}
}

// errorDoc is an S3 <Error> document as clients parse it.
type errorDoc struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource"`
	RequestID string   `xml:"RequestId"`
	HostID    string   `xml:"HostId"`
	Key       string   `xml:"Key"`
	Bucket    string   `xml:"BucketName"`
	ArgName   string   `xml:"ArgumentName"`
	ArgValue  string   `xml:"ArgumentValue"`
	Size      string   `xml:"ActualObjectSize"`
}

// mustError fails the test unless the answer is an S3 error with that status and code.
func mustError(t testing.TB, resp *http.Response, body []byte, status int, code string) errorDoc {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d (%s); body: %s", resp.Request.Method, resp.Request.URL, resp.StatusCode, status, code, body)
	}
	var d errorDoc
	if resp.Request.Method == http.MethodHead {
		if len(body) != 0 {
			t.Fatalf("HEAD error answer has a body: %q", body)
		}
		return d
	}
	if err := xml.Unmarshal(body, &d); err != nil {
		t.Fatalf("error body is not XML: %v: %s", err, body)
	}
	if d.Code != code {
		t.Fatalf("%s %s: code %q, want %q; body: %s", resp.Request.Method, resp.Request.URL, d.Code, code, body)
	}
	if d.RequestID == "" || d.RequestID != resp.Header.Get("X-Amz-Request-Id") {
		t.Fatalf("RequestId %q does not match header %q", d.RequestID, resp.Header.Get("X-Amz-Request-Id"))
	}
	return d
}

// createBucket creates a bucket in the default region and fails the test otherwise.
func (e *testEnv) createBucket(name string) {
	e.t.Helper()
	resp, body := e.do(http.MethodPut, "/"+name, nil)
	mustStatus(e.t, resp, body, http.StatusOK)
}

// put stores an object and returns the answer.
func (e *testEnv) put(bucket, key string, data []byte, hdr ...string) *http.Response {
	e.t.Helper()
	resp, body := e.do(http.MethodPut, "/"+bucket+"/"+escapeKey(key), data, hdr...)
	mustStatus(e.t, resp, body, http.StatusOK)
	return resp
}

// escapeKey percent-encodes a key for a URL path the way the AWS SDKs do: everything but
// unreserved characters and '/'.
func escapeKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
		}
	}
	return b.String()
}

func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
