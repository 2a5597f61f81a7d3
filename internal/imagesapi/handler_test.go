package imagesapi

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/imaging"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

const (
	rootKey = "AKIAROOTROOTROOT0001"
	userKey = "AKIAUSERUSERUSER0001"
	secret  = "test/Secret+Key"
)

type principalsFunc func(string) (auth.Principal, bool)

func (f principalsFunc) Principal(k string) (auth.Principal, bool) { return f(k) }

// newServer returns the API over a control plane holding one distribution, and its id.
func newServer(t *testing.T) (*httptest.Server, *distrib.Service, string) {
	t.Helper()
	mk, err := crypt.MasterKeyFromBytes(bytes.Repeat([]byte{5}, crypt.KeySize))
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
	ttl := func(v int64) *int64 { return &v }
	d, _, err := svc.CreateDistribution(distrib.DistributionConfig{
		CallerReference: "ref",
		Origins:         []distrib.Origin{{ID: "o", DomainName: "img.s3.amazonaws.com", S3: &distrib.S3Origin{}}},
		DefaultCacheBehavior: distrib.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: "allow-all",
			AllowedMethods: []string{"GET", "HEAD"}, CachedMethods: []string{"GET", "HEAD"},
			ForwardedValues: &distrib.ForwardedValues{CookiesForward: "none"}, MinTTL: ttl(0), DefaultTTL: ttl(60), MaxTTL: ttl(60)},
		Enabled: true, PriceClass: "PriceClass_All", ViewerCertificate: distrib.ViewerCertificate{CloudFrontDefaultCertificate: true},
		GeoRestriction: distrib.GeoRestriction{RestrictionType: "none"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Config{
		Store:    svc,
		Verifier: &sigv4.Verifier{Secret: func(k string) (string, bool) { return secret, k == rootKey || k == userKey }, MaxHashedBody: MaxBodySize},
		Principals: principalsFunc(func(k string) (auth.Principal, bool) {
			return auth.Principal{AccessKeyID: k, Root: k == rootKey}, k == rootKey || k == userKey
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts, svc, d.ID
}

func client(t *testing.T, url, key string) *Client {
	t.Helper()
	c, err := NewClient(ClientConfig{URL: url, AccessKey: key, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantCode fails unless err is an *Error with status and code.
func wantCode(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Status != status || e.Code != code {
		t.Errorf("%s: %v, want %d %s", what, err, status, code)
	}
}

func TestSettingsLifecycle(t *testing.T) {
	ts, svc, id := newServer(t)
	c := client(t, ts.URL, rootKey)
	ctx := context.Background()

	_, err := c.Get(ctx, id)
	wantCode(t, "get before set", err, 404, "NoImageSettings")
	_, err = c.Sign(ctx, id, "/cdn-cgi/image/width=320/a.jpg")
	wantCode(t, "sign before set", err, 404, "NoImageSettings")
	_, err = c.Put(ctx, "E0000000000000", SettingsBody{}, false)
	wantCode(t, "set on a missing distribution", err, 404, "NoSuchDistribution")
	_, err = c.Put(ctx, id, SettingsBody{AllowedWidths: []int{0}}, false)
	wantCode(t, "width 0", err, 400, "InvalidArgument")

	got, err := c.Put(ctx, id, SettingsBody{RequireSigned: true, AllowedWidths: []int{640, 320}}, false)
	if err != nil || !got.RequireSigned || !slices.Equal(got.AllowedWidths, []int{320, 640}) || got.SigningSecret != "" {
		t.Fatalf("Put = %+v, %v", got, err)
	}
	if got, err := c.Get(ctx, id); err != nil || got.DistributionID != id || got.SigningSecret != "" || !got.RequireSigned {
		t.Errorf("Get = %+v, %v", got, err)
	}
	if l, err := c.List(ctx); err != nil || len(l) != 1 || l[0].SigningSecret != "" {
		t.Errorf("List = %+v, %v", l, err)
	}
	sec, err := c.Secret(ctx, id)
	if want, _ := svc.ImageSigningSecret(id); err != nil || sec != want || sec == "" {
		t.Fatalf("Secret = %q, %v; want the control plane's", sec, err)
	}

	signed, err := c.Sign(ctx, id, "https://d1.cdn.test/cdn-cgi/image/w=320,format=auto/images/a.jpg?v=1")
	if err != nil || !strings.HasPrefix(signed, "https://d1.cdn.test/cdn-cgi/image/w=320,format=auto/images/a.jpg?v=1&sig=") {
		t.Fatalf("Sign = %q, %v", signed, err)
	}
	u, _ := url.Parse(signed)
	if !imaging.VerifyURL(sec, u) {
		t.Errorf("the signed URL does not verify under the secret: %s", signed)
	}
	_, err = c.Sign(ctx, id, "/images/a.jpg")
	wantCode(t, "sign a plain path", err, 400, "InvalidTransformURL")
	_, err = c.Sign(ctx, id, "/cdn-cgi/image/width=big/images/a.jpg")
	wantCode(t, "sign bad options", err, 400, "InvalidTransformURL")

	if _, err := c.Put(ctx, id, SettingsBody{}, true); err != nil {
		t.Fatal(err)
	}
	if rotated, _ := c.Secret(ctx, id); rotated == sec {
		t.Error("rotateSecret kept the secret")
	}
	if imaging.VerifyURL(mustSecret(t, c, id), u) {
		t.Error("a URL signed before the rotation still verifies")
	}
}

func mustSecret(t *testing.T, c *Client, id string) string {
	t.Helper()
	s, err := c.Secret(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRefused(t *testing.T) {
	ts, _, id := newServer(t)
	ctx := context.Background()
	root := client(t, ts.URL, rootKey)
	if _, err := root.Put(ctx, id, SettingsBody{RequireSigned: true}, false); err != nil {
		t.Fatal(err)
	}
	user := client(t, ts.URL, userKey)
	_, err := user.Secret(ctx, id)
	wantCode(t, "a user reads the secret", err, 403, "AccessDenied")
	_, err = user.Put(ctx, id, SettingsBody{}, false)
	wantCode(t, "a user sets", err, 403, "AccessDenied")

	for _, tc := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"GET", SettingsPath + "/" + id + "/other", "", 404, "NotFound"},
		{"GET", SettingsPath + "/" + id + "/sign/x", "", 404, "NotFound"},
		{"GET", SettingsPath + "/", "", 404, "NotFound"},
		{"DELETE", SettingsPath + "/" + id, "", 405, "MethodNotAllowed"},
		{"POST", SettingsPath, "", 405, "MethodNotAllowed"},
		{"GET", SettingsPath + "/" + id + "/sign", "", 405, "MethodNotAllowed"},
		{"PUT", SettingsPath + "/" + id, `{"requireSigned": "yes"}`, 400, "MalformedInput"},
		{"PUT", SettingsPath + "/" + id, `{"signingSecret": "mine"}`, 400, "MalformedInput"},
		{"POST", SettingsPath + "/" + id + "/sign", strings.Repeat(" ", MaxBodySize+1), 413, "RequestEntityTooLarge"},
	} {
		var out map[string]any
		err := root.api.Do(ctx, tc.method, tc.path, []byte(tc.body), http.StatusOK, &out)
		wantCode(t, tc.method+" "+tc.path, err, tc.status, tc.code)
	}

	// Unsigned, or signed for another service.
	resp, err := http.Get(ts.URL + SettingsPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("unsigned: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", ts.URL+SettingsPath, nil)
	if err := signFor(req, "imgcdn-origins"); err != nil {
		t.Fatal(err)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("signed for imgcdn-origins: %d", resp.StatusCode)
	}
}
