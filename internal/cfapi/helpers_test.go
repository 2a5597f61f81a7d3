package cfapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Test keys: the account root, and a user whose requests must be refused.
const (
	rootKey  = "AKIAROOTROOTROOT0001"
	userKey  = "AKIAUSERUSERUSER0001"
	secret   = "test/Secret+Key"
	endpoint = "http://cf.test"
)

type principalsFunc func(string) (auth.Principal, bool)

func (f principalsFunc) Principal(k string) (auth.Principal, bool) { return f(k) }

type harness struct {
	t   *testing.T
	h   *Handler
	svc *distrib.Service
}

func newHarness(t *testing.T, mod func(*distrib.Config)) *harness {
	t.Helper()
	cfg := distrib.NewDefaultConfig()
	cfg.Dir = t.TempDir()
	if mod != nil {
		mod(&cfg)
	}
	svc, err := distrib.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	h, err := New(Config{
		Service: svc,
		Verifier: &sigv4.Verifier{Secret: func(k string) (string, bool) {
			return secret, k == rootKey || k == userKey
		}, MaxHashedBody: MaxBodySize},
		Principals: principalsFunc(func(k string) (auth.Principal, bool) {
			return auth.Principal{AccessKeyID: k, Root: k == rootKey}, k == rootKey || k == userKey
		}),
		AccountID: "123456789012",
		CDNDomain: "cdn.test",
		Endpoint:  func(*http.Request) string { return endpoint },
	})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, h: h, svc: svc}
}

// call describes one request.
type call struct {
	method, path, body string
	ifMatch            string
	key                string // access key; "" means rootKey, "-" means unsigned
}

// do signs c as the aws CLI does (service cloudfront, no X-Amz-Content-Sha256) and serves it.
func (hs *harness) do(c call) *httptest.ResponseRecorder {
	hs.t.Helper()
	var body io.Reader
	if c.body != "" {
		body = bytes.NewReader([]byte(c.body))
	}
	req := httptest.NewRequest(c.method, endpoint+c.path, body)
	if c.ifMatch != "" {
		req.Header.Set("If-Match", c.ifMatch)
	}
	if c.key != "-" {
		key := c.key
		if key == "" {
			key = rootKey
		}
		sum := sha256.Sum256([]byte(c.body))
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret},
			req, hex.EncodeToString(sum[:]), "cloudfront", "us-east-1", time.Now())
		if err != nil {
			hs.t.Fatal(err)
		}
	}
	w := httptest.NewRecorder()
	hs.h.ServeHTTP(w, req)
	if w.Header().Get("x-amz-request-id") == "" {
		hs.t.Errorf("%s %s: no x-amz-request-id", c.method, c.path)
	}
	return w
}

// errorCode decodes a CloudFront error document.
func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var e errorResponse
	if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("status %d, body is not an ErrorResponse: %v\n%s", w.Code, err, w.Body)
	}
	if e.Type != "Sender" && e.Type != "Receiver" || e.RequestID != w.Header().Get("x-amz-request-id") {
		t.Errorf("error document %+v: want a Type and the x-amz-request-id", e)
	}
	return e.Code
}

const oaiBody = `<CloudFrontOriginAccessIdentityConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>ref</CallerReference><Comment>c</Comment></CloudFrontOriginAccessIdentityConfig>`

const oacBody = `<OriginAccessControlConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Name>images</Name><Description>d</Description><SigningProtocol>sigv4</SigningProtocol><SigningBehavior>always</SigningBehavior><OriginAccessControlOriginType>s3</OriginAccessControlOriginType></OriginAccessControlConfig>`
