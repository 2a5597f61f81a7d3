package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/accesslog"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/metrics"
)

// TestAPINameMatchesTheRouter checks that the api label names the handler apiHandler
// actually dispatches each request to.
func TestAPINameMatchesTheRouter(t *testing.T) {
	var reached string
	named := func(name string) http.Handler {
		return http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = name })
	}
	reg := metrics.New()
	router := apiHandler(named("s3"), named("cloudfront"), named("edge-sync"), named("origins"), named("images"), reg)
	signed := func(service string) string {
		return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250601/us-east-1/" + service + "/aws4_request, SignedHeaders=host, Signature=00"
	}
	for _, c := range []struct {
		method, target, auth, want string
	}{
		{"GET", "/healthz", "", "health"},
		{"HEAD", "/healthz", "", "health"},
		{"GET", "/metrics", "", "metrics"},
		{"PUT", "/metrics", "", "s3"},
		{"GET", "/metrics", signed("s3"), "s3"},
		{"GET", "/bucket/key", "", "s3"},
		{"GET", "/2020-05-31/distribution", signed("cloudfront"), "cloudfront"},
		{"GET", "/imgcdn/edge/v1/state", signed("imgcdn-edge"), "edge-sync"},
		{"GET", "/", signed("imgcdn-origins"), "origins"},
		{"GET", "/", signed("imgcdn-images"), "images"},
	} {
		req := httptest.NewRequest(c.method, c.target, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		reached = ""
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		if ct := rec.Header().Get("Content-Type"); reached == "" && rec.Code == http.StatusOK {
			switch {
			case ct == "text/plain; charset=utf-8":
				reached = "health"
			case strings.Contains(ct, "version="): // the Prometheus text format
				reached = "metrics"
			}
		}
		if got := apiName(req); got != c.want || reached != c.want {
			t.Errorf("%s %s (%q): apiName %q, router reached %q, want %q", c.method, c.target, c.auth, got, reached, c.want)
		}
	}
}

func TestLogSettings(t *testing.T) {
	ds := []distrib.Distribution{
		{ID: "E1", Config: distrib.DistributionConfig{Logging: distrib.Logging{Enabled: true, IncludeCookies: true, Prefix: "p/", Bucket: "b.s3.amazonaws.com"}}},
		{ID: "E2"},
	}
	got := logSettings(ds)
	if got["E1"] != (accesslog.Settings{Enabled: true, IncludeCookies: true, Prefix: "p/"}) || got["E2"].Enabled || len(got) != 2 {
		t.Fatalf("logSettings = %+v", got)
	}
}
