package edge

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// loadWithPolicy serves one distribution whose default behaviour uses the response headers
// policy p (id "RHP").
func (e *env) loadWithPolicy(d distrib.Distribution, p distrib.ResponseHeadersPolicyConfig) {
	e.t.Helper()
	d.Config.DefaultCacheBehavior.ResponseHeadersPolicyID = "RHP"
	_, failed := e.h.Load(State{Distributions: []distrib.Distribution{d}, AccountID: "123456789012",
		ResponseHeadersPolicies: map[string]distrib.ResponseHeadersPolicyConfig{"RHP": p}})
	for id, err := range failed {
		e.t.Fatalf("Load: distribution %s: %v", id, err)
	}
}

// TestResponseHeadersPolicy: CORS, security, custom and removed headers are applied to hits
// and misses alike, and Override decides between the policy and the origin.
func TestResponseHeadersPolicy(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("png", "X-Frame-Options", "SAMEORIGIN", "Referrer-Policy", "origin",
		"X-Powered-By", "php", "X-Team", "origin-team"))
	maxAge := int64(600)
	d := dist(o.origin("o"))
	d.Config.DefaultCacheBehavior.AllowedMethods = []string{"GET", "HEAD", "OPTIONS"} // preflights reach the origin
	e.loadWithPolicy(d, distrib.ResponseHeadersPolicyConfig{
		Name: "p",
		CORS: &distrib.CORSConfig{AllowOrigins: []string{"https://*.example.com"}, AllowMethods: []string{"GET", "HEAD", "OPTIONS"},
			AllowHeaders: []string{"X-Requested-With"}, ExposeHeaders: []string{"X-Cache"}, MaxAgeSec: &maxAge, OriginOverride: true},
		SecurityHeaders: &distrib.SecurityHeadersConfig{
			FrameOptions:            &distrib.FrameOptions{Override: true, FrameOption: "DENY"},
			ReferrerPolicy:          &distrib.ReferrerPolicy{Override: false, ReferrerPolicy: "no-referrer"},
			ContentTypeOptions:      &distrib.ContentTypeOptions{Override: true},
			StrictTransportSecurity: &distrib.StrictTransportSecurity{Override: true, AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true},
		},
		CustomHeaders: []distrib.ResponseCustomHeader{{Header: "X-Team", Value: "edge-team", Override: false},
			{Header: "X-Served-By", Value: "imgcdn", Override: true}},
		RemoveHeaders: []string{"X-Powered-By"},
	})
	want := map[string]string{
		"X-Frame-Options":               "DENY",   // override: the policy wins
		"Referrer-Policy":               "origin", // no override: the origin's stays
		"X-Content-Type-Options":        "nosniff",
		"Strict-Transport-Security":     "max-age=31536000; includeSubDomains",
		"X-Team":                        "origin-team", // no override
		"X-Served-By":                   "imgcdn",
		"X-Powered-By":                  "", // removed
		"Access-Control-Allow-Origin":   "https://img.example.com",
		"Access-Control-Expose-Headers": "X-Cache",
	}
	for _, xcache := range []string{"Miss", "Hit"} {
		a := e.get(domain, "/a.png", "Origin", "https://img.example.com")
		e.want(a, 200, xcache, "png")
		for k, v := range want {
			if got := a.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", xcache, k, got, v)
			}
		}
		if !strings.Contains(strings.Join(a.Header.Values("Vary"), ","), "Origin") {
			t.Errorf("%s: Vary %q lacks Origin (the allowed origin is echoed)", xcache, a.Header.Values("Vary"))
		}
	}
	// An origin the policy does not allow gets no CORS header; the others stay.
	a := e.get(domain, "/a.png", "Origin", "https://evil.test")
	if v := a.Header.Get("Access-Control-Allow-Origin"); v != "" || a.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("disallowed origin: Access-Control-Allow-Origin %q, X-Frame-Options %q", v, a.Header.Get("X-Frame-Options"))
	}
	// A preflight (relayed to the origin: OPTIONS is allowed, not cached) gets the allowed
	// methods, headers and max age.
	p := e.do(false, http.MethodOptions, domain, "/a.png", nil, "Origin", "https://img.example.com",
		"Access-Control-Request-Method", "GET")
	if p.Header.Get("Access-Control-Allow-Methods") != "GET, HEAD, OPTIONS" ||
		p.Header.Get("Access-Control-Allow-Headers") != "X-Requested-With" || p.Header.Get("Access-Control-Max-Age") != "600" {
		t.Errorf("preflight: %v", p.Header)
	}
}

var serverTiming = regexp.MustCompile(`^cdn-cache-(hit|miss|refresh),cdn-pop;desc="[A-Z0-9-]+",cdn-rid;desc="([A-Za-z0-9_-]{56})"` +
	`(,cdn-hit-layer;desc="EDGE")?(,cdn-upstream-layer;desc="EDGE",cdn-upstream-fbl;dur=([0-9.]+))?,cdn-downstream-fbl;dur=([0-9.]+)$`)

// TestServerTiming: with ServerTimingHeadersConfig enabled, sampled responses (100%) carry
// CloudFront's Server-Timing metrics: a miss names the origin's first-byte latency, a hit the
// layer that had it, both the POP, the request id (= x-amz-cf-id) and the edge's latency.
func TestServerTiming(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("png"))
	rate := 100.0
	e.loadWithPolicy(dist(o.origin("o")), distrib.ResponseHeadersPolicyConfig{Name: "t",
		ServerTiming: &distrib.ServerTimingConfig{Enabled: true, SamplingRate: &rate}})
	for _, xcache := range []string{"Miss", "Hit"} {
		a := e.get(domain, "/a.png")
		e.want(a, 200, xcache, "png")
		m := serverTiming.FindStringSubmatch(a.Header.Get("Server-Timing"))
		if m == nil {
			t.Fatalf("%s: Server-Timing %q", xcache, a.Header.Get("Server-Timing"))
		}
		if m[2] != a.Header.Get("X-Amz-Cf-Id") {
			t.Errorf("%s: cdn-rid %s, x-amz-cf-id %s", xcache, m[2], a.Header.Get("X-Amz-Cf-Id"))
		}
		switch xcache {
		case "Miss":
			if m[1] != "miss" || m[3] != "" || m[4] == "" {
				t.Errorf("miss: Server-Timing %q", m[0])
			}
		case "Hit":
			if m[1] != "hit" || m[3] == "" || m[4] != "" {
				t.Errorf("hit: Server-Timing %q", m[0])
			}
		}
		if d, err := strconv.ParseFloat(m[6], 64); err != nil || d < 0 {
			t.Errorf("%s: cdn-downstream-fbl %q", xcache, m[6])
		}
	}
}

// TestServerTimingSampling: at a 0% sampling rate only debug requests (Pragma: server-timing)
// get the header; without the config nobody does, debug or not.
func TestServerTimingSampling(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("png"))
	zero := 0.0
	e.loadWithPolicy(dist(o.origin("o")), distrib.ResponseHeadersPolicyConfig{Name: "t",
		ServerTiming: &distrib.ServerTimingConfig{Enabled: true, SamplingRate: &zero}})
	for range 20 {
		if v := e.get(domain, "/a.png").Header.Get("Server-Timing"); v != "" {
			t.Fatalf("sampling rate 0: Server-Timing %q", v)
		}
	}
	if v := e.get(domain, "/a.png", "Pragma", "no-cache, server-timing").Header.Get("Server-Timing"); !serverTiming.MatchString(v) {
		t.Fatalf("debug request: Server-Timing %q", v)
	}

	e.loadWithPolicy(dist(o.origin("o")), distrib.ResponseHeadersPolicyConfig{Name: "t",
		ServerTiming: &distrib.ServerTimingConfig{Enabled: false, SamplingRate: &zero}})
	if v := e.get(domain, "/a.png", "Pragma", "server-timing").Header.Get("Server-Timing"); v != "" {
		t.Fatalf("disabled: Server-Timing %q", v)
	}
}

// TestAddVaryLeavesSharedValuesAlone: a hit's response header holds the cache entry's own
// value slices; adding to Vary must not write into them, even when they have room.
func TestAddVaryLeavesSharedValuesAlone(t *testing.T) {
	stored := make([]string, 1, 4) // as an append-grown decode can leave it
	stored[0] = "Accept-Encoding"
	entry := http.Header{"Vary": stored}
	resp := http.Header{}
	for k, v := range entry {
		resp[k] = v // what serveEntry does
	}
	addVary(resp, "Origin")
	if got := resp.Values("Vary"); len(got) != 2 || got[1] != "Origin" {
		t.Fatalf("response Vary = %q", got)
	}
	if got := stored[:cap(stored)][1]; got != "" {
		t.Fatalf("addVary wrote %q into the entry's shared slice", got)
	}
}
