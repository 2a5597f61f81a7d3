package syncapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Test keys: an edge key, and the account root, which is not one.
const (
	edgeKey  = "AKIAEDGEEDGEEDGE0001"
	rootKey  = "AKIAROOTROOTROOT0001"
	secret   = "test/Secret+Key"
	endpoint = "http://control.test"
)

type principalsFunc func(string) (auth.Principal, bool)

func (f principalsFunc) Principal(k string) (auth.Principal, bool) { return f(k) }

// testPrincipals knows edgeKey (an edge) and rootKey (the root).
var testPrincipals = principalsFunc(func(k string) (auth.Principal, bool) {
	switch k {
	case edgeKey:
		return auth.Principal{AccessKeyID: k, Service: auth.EdgeService, Edge: true}, true
	case rootKey:
		return auth.Principal{AccessKeyID: k, Root: true}, true
	}
	return auth.Principal{}, false
})

type harness struct {
	t   *testing.T
	h   *Handler
	svc *distrib.Service
}

func newHarness(t *testing.T, maxHashed int64) *harness {
	t.Helper()
	cfg := distrib.NewDefaultConfig()
	cfg.Dir = t.TempDir()
	svc, err := distrib.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	h, err := New(Config{
		Service: svc,
		Verifier: &sigv4.Verifier{Secret: func(k string) (string, bool) {
			return secret, k == edgeKey || k == rootKey
		}, MaxHashedBody: maxHashed},
		Principals: testPrincipals,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return &harness{t: t, h: h, svc: svc}
}

// call describes one request.
type call struct {
	method, path, body string
	key                string // "" means edgeKey, "-" means unsigned
	service            string // "" means SigningService
	secret             string // "" means the right one
}

// do signs c as follow.Remote does (no X-Amz-Content-Sha256) and serves it.
func (hs *harness) do(c call) *httptest.ResponseRecorder {
	hs.t.Helper()
	req := httptest.NewRequest(c.method, endpoint+c.path, bytes.NewReader([]byte(c.body)))
	if c.key != "-" {
		key, svc, sec := c.key, c.service, c.secret
		if key == "" {
			key = edgeKey
		}
		if svc == "" {
			svc = SigningService
		}
		if sec == "" {
			sec = secret
		}
		sum := sha256.Sum256([]byte(c.body))
		if svc == "s3" {
			req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
		}
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: sec},
			req, hex.EncodeToString(sum[:]), svc, "us-east-1", time.Now())
		if err != nil {
			hs.t.Fatal(err)
		}
	}
	w := httptest.NewRecorder()
	hs.h.ServeHTTP(w, req)
	return w
}

// errorCode decodes an error answer and checks its shape.
func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var e ErrorBody
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("error Content-Type %q, want application/json", ct)
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == "" || e.Message == "" {
		t.Fatalf("status %d, body is not a JSON error: %v\n%s", w.Code, err, w.Body)
	}
	return e.Code
}

// decode reads a JSON answer into v.
func decode[T any](t *testing.T, r io.Reader) T {
	t.Helper()
	var v T
	if err := json.NewDecoder(r).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// seedConfig is a minimal valid distribution config.
func seedConfig(ref string) distrib.DistributionConfig {
	return distrib.DistributionConfig{
		CallerReference: ref,
		Origins:         []distrib.Origin{{ID: "o", DomainName: "bucket.s3.amazonaws.com", S3: &distrib.S3Origin{}}},
		DefaultCacheBehavior: distrib.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: "allow-all",
			ForwardedValues: &distrib.ForwardedValues{CookiesForward: "none"}},
		Enabled: true,
	}
}
