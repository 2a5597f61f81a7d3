package originsapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Test keys: the account root, a user and an edge key, all with the same secret.
const (
	rootKey = "AKIAROOTROOTROOT0001"
	userKey = "AKIAUSERUSERUSER0001"
	edgeKey = "AKIAEDGEEDGEEDGE0001"
	secret  = "test/Secret+Key"
	// originSecret is the registered endpoint's secret: it must never come back.
	originSecret = "minio/Secret+that-never-comes-back"
)

type principalsFunc func(string) (auth.Principal, bool)

func (f principalsFunc) Principal(k string) (auth.Principal, bool) { return f(k) }

func newServer(t *testing.T) (*httptest.Server, *distrib.Service) {
	t.Helper()
	mk, err := crypt.MasterKeyFromBytes(bytes.Repeat([]byte{3}, crypt.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	cfg := distrib.NewDefaultConfig()
	cfg.Dir, cfg.SecretKey = t.TempDir(), mk
	svc, err := distrib.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	h, err := New(Config{
		Store:    svc,
		Verifier: &sigv4.Verifier{Secret: func(k string) (string, bool) { return secret, k == rootKey || k == userKey || k == edgeKey }, MaxHashedBody: MaxBodySize},
		Principals: principalsFunc(func(k string) (auth.Principal, bool) {
			switch k {
			case rootKey:
				return auth.Principal{AccessKeyID: k, Root: true}, true
			case userKey:
				return auth.Principal{AccessKeyID: k, User: "bob"}, true
			case edgeKey:
				return auth.Principal{AccessKeyID: k, Service: auth.EdgeService, Edge: true}, true
			}
			return auth.Principal{}, false
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts, svc
}

func newTestClient(t *testing.T, url, key, sec string) *Client {
	t.Helper()
	c, err := NewClient(ClientConfig{URL: url, AccessKey: key, Secret: sec})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func minio() distrib.OriginEndpoint {
	return distrib.OriginEndpoint{Domain: "photos.minio.local", Endpoint: "http://127.0.0.1:9000", Bucket: "photos",
		PathStyle: true, AccessKeyID: "AKIAMINIO", SecretAccessKey: originSecret}
}

func wantAPIError(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Status != status || e.Code != code {
		t.Errorf("%s: %v, want %d %s", what, err, status, code)
	}
}

// TestClientRoundTrip registers, lists and deletes with the real Client: secrets never come
// back, invalid input names the field, and the domain errors have their codes.
func TestClientRoundTrip(t *testing.T) {
	ts, svc := newServer(t)
	c := newTestClient(t, ts.URL, rootKey, secret)
	ctx := context.Background()

	got, err := c.Put(ctx, minio())
	if err != nil {
		t.Fatal(err)
	}
	if got.Domain != "photos.minio.local" || got.SecretAccessKey != "" || got.Region != "us-east-1" || got.LastModifiedTime.IsZero() {
		t.Errorf("Put returned %+v", got)
	}
	list, err := c.List(ctx)
	if err != nil || len(list) != 1 || list[0].AccessKeyID != "AKIAMINIO" || list[0].SecretAccessKey != "" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	// The raw answers never carry the secret, in any field.
	for _, m := range []string{http.MethodGet, http.MethodPut} {
		body := ""
		path := EndpointsPath
		if m == http.MethodPut {
			body, path = `{"endpoint":"http://127.0.0.1:9000","bucket":"photos","pathStyle":true,"accessKeyId":"AKIAMINIO","secretAccessKey":"`+originSecret+`"}`, EndpointsPath+"/photos.minio.local"
		}
		resp, b := rawCall(t, ts.URL, m, path, body, rootKey, SigningService)
		if resp.StatusCode != http.StatusOK || bytes.Contains(b, []byte(originSecret)) || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: %s %s (cache-control %q); want 200, no-store and no secret", m, path, resp.Status, b, resp.Header.Get("Cache-Control"))
		}
	}

	bad := minio()
	bad.Bucket = "Not_A_Bucket"
	_, err = c.Put(ctx, bad)
	wantAPIError(t, "Put(invalid bucket)", err, http.StatusBadRequest, "InvalidArgument")
	if err == nil || !strings.Contains(err.Error(), "bucket") {
		t.Errorf("Put(invalid bucket) = %v; the message should name the field", err)
	}
	wantAPIError(t, "Delete(unknown)", c.Delete(ctx, "other.example"), http.StatusNotFound, "NoSuchOriginEndpoint")

	cfg := distrib.DistributionConfig{CallerReference: "r", Enabled: true, Comment: "c", PriceClass: "PriceClass_All",
		Origins: []distrib.Origin{{ID: "o", DomainName: "photos.minio.local", S3: &distrib.S3Origin{}}},
		DefaultCacheBehavior: distrib.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: "allow-all",
			ForwardedValues: &distrib.ForwardedValues{CookiesForward: "none"}},
		ViewerCertificate: distrib.ViewerCertificate{CloudFrontDefaultCertificate: true},
		GeoRestriction:    distrib.GeoRestriction{RestrictionType: "none"}}
	d, _, err := svc.CreateDistribution(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, "Delete(in use)", c.Delete(ctx, "photos.minio.local"), http.StatusConflict, "OriginEndpointInUse")
	cfg.Origins[0].DomainName = "elsewhere.example"
	if _, err := svc.UpdateDistribution(d.ID, d.ETag, cfg); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, "photos.minio.local"); err != nil {
		t.Fatalf("Delete once unused: %v", err)
	}
	if list, err := c.List(ctx); err != nil || len(list) != 0 {
		t.Errorf("List after Delete = %+v, %v", list, err)
	}
}

// TestOnlyRootIsServed: anonymous, user, edge and wrong-service or wrong-secret requests are
// refused before anything is read or stored.
func TestOnlyRootIsServed(t *testing.T) {
	ts, svc := newServer(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, key, sec string
		status         int
		code           string
	}{
		{"user key", userKey, secret, http.StatusForbidden, "AccessDenied"},
		{"edge key", edgeKey, secret, http.StatusForbidden, "AccessDenied"},
		{"unknown key", "AKIANOBODY", secret, http.StatusForbidden, "InvalidClientTokenId"},
		{"wrong secret", rootKey, "wrong", http.StatusForbidden, "SignatureDoesNotMatch"},
	} {
		c := newTestClient(t, ts.URL, tc.key, tc.sec)
		_, err := c.Put(ctx, minio())
		wantAPIError(t, tc.name+" Put", err, tc.status, tc.code)
		_, err = c.List(ctx)
		wantAPIError(t, tc.name+" List", err, tc.status, tc.code)
	}
	resp, b := rawCall(t, ts.URL, http.MethodGet, EndpointsPath, "", "", "")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "MissingAuthenticationToken") {
		t.Errorf("unsigned GET: %s %s", resp.Status, b)
	}
	resp, b = rawCall(t, ts.URL, http.MethodGet, EndpointsPath, "", rootKey, "cloudfront")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "AccessDenied") {
		t.Errorf("root key signed for cloudfront: %s %s", resp.Status, b)
	}
	if list, _ := svc.ListOriginEndpoints(); len(list) != 0 {
		t.Errorf("refused requests stored %+v", list)
	}
}

// TestRouting: unknown paths, methods, bodies and a domain mismatch.
func TestRouting(t *testing.T) {
	ts, _ := newServer(t)
	for _, tc := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{http.MethodGet, "/imgcdn/origins/v1/other", "", http.StatusNotFound, "NotFound"},
		{http.MethodGet, EndpointsPath + "/", "", http.StatusNotFound, "NotFound"},
		{http.MethodPost, EndpointsPath, "", http.StatusMethodNotAllowed, "MethodNotAllowed"},
		{http.MethodGet, EndpointsPath + "/a.example", "", http.StatusMethodNotAllowed, "MethodNotAllowed"},
		{http.MethodPut, EndpointsPath + "/a.example", "{", http.StatusBadRequest, "MalformedInput"},
		{http.MethodPut, EndpointsPath + "/a.example", `{"unknownField":1}`, http.StatusBadRequest, "MalformedInput"},
		{http.MethodPut, EndpointsPath + "/a.example", `{"domain":"b.example"}`, http.StatusBadRequest, "InvalidArgument"},
		{http.MethodPut, EndpointsPath + "/a.example", `{"secretAccessKey":"` + strings.Repeat("x", MaxBodySize) + `"}`, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge"},
	} {
		resp, b := rawCall(t, ts.URL, tc.method, tc.path, tc.body, rootKey, SigningService)
		if resp.StatusCode != tc.status || !strings.Contains(string(b), `"code":"`+tc.code+`"`) {
			t.Errorf("%s %s: %s %s, want %d %s", tc.method, tc.path, resp.Status, truncate(b), tc.status, tc.code)
		}
	}
}

// rawCall sends one request signed with key for service ("" key: unsigned).
func rawCall(t *testing.T, base, method, path, body, key, service string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		sum := sha256.Sum256([]byte(body))
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret},
			req, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}
