package origin

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// registered is the endpoint `imgcdn origins add` would register for the verifying origin at
// rawURL, path-style, with testMinioKey.
func registered(rawURL string) distrib.OriginEndpoint {
	return distrib.OriginEndpoint{Domain: "photos.minio.local", Endpoint: rawURL, Bucket: "photos", PathStyle: true,
		Region: testMinioKey.Region, AccessKeyID: testMinioKey.AccessKeyID, SecretAccessKey: testMinioKey.SecretAccessKey}
}

// TestWithEndpointSigns: fetches from a registered endpoint reach its bucket path-style and
// are signed with its credentials (verified by the S3 API's own verifier), with the OAI or
// the distribution ARN still named, and unsigned for an OAC that never signs.
func TestWithEndpointSigns(t *testing.T) {
	ts := verifyingOrigin(t)
	cfg := NewDefaultConfig()
	cfg.EdgeKey = testEdgeKey // must not be used for a foreign endpoint
	f := newFetcher(t, cfg)
	const arn = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD632BHDS5"
	oac := func(b string) *distrib.OAC {
		return &distrib.OAC{ID: "E1OAC", Config: distrib.OACConfig{Name: "o", SigningBehavior: b, SigningProtocol: "sigv4", OriginType: "s3"}}
	}
	tests := []struct {
		name           string
		origin         distrib.Origin
		oac            *distrib.OAC
		wantAnon       bool
		wantOAI, wantS string
	}{
		{"credentials only", distrib.Origin{ID: "o", DomainName: "photos.minio.local", S3: &distrib.S3Origin{}}, nil, false, "", ""},
		{"OAI", distrib.Origin{ID: "o", DomainName: "photos.minio.local", S3: &distrib.S3Origin{OriginAccessIdentity: distrib.OAIPathPrefix + "E2OAI"}}, nil, false, "E2OAI", ""},
		{"OAC always", distrib.Origin{ID: "o", DomainName: "photos.minio.local", S3: &distrib.S3Origin{}, OriginAccessControlID: "E1OAC"}, oac(SignAlways), false, "", arn},
		{"OAC never", distrib.Origin{ID: "o", DomainName: "photos.minio.local", S3: &distrib.S3Origin{}, OriginAccessControlID: "E1OAC"}, oac(SignNever), true, "", ""},
		{"a local-looking domain, registered", distrib.Origin{ID: "o", DomainName: "photos.s3.amazonaws.com", S3: &distrib.S3Origin{}, OriginAccessControlID: "E1OAC"}, oac(SignAlways), false, "", arn},
	}
	for _, tt := range tests {
		tg, err := TargetFor(tt.origin, arn, tt.oac)
		if err != nil {
			t.Fatalf("%s: TargetFor: %v", tt.name, err)
		}
		if tg, err = tg.WithEndpoint(registered(ts.URL)); err != nil {
			t.Fatalf("%s: WithEndpoint: %v", tt.name, err)
		}
		s := fetchSeen(t, f, tg, "/img/a b.jpg", "", http.Header{"X-Amz-Cf-Id": {"cf-1"}})
		if s.Path != "/photos/img/a b.jpg" {
			t.Errorf("%s: origin saw path %q, want the bucket then the key", tt.name, s.Path)
		}
		if s.Err != "" || s.Anonymous != tt.wantAnon {
			t.Errorf("%s: signature: anonymous=%v err=%q, want anonymous=%v and a valid signature", tt.name, s.Anonymous, s.Err, tt.wantAnon)
		}
		if !tt.wantAnon && (s.Access != testMinioKey.AccessKeyID || s.Region != testMinioKey.Region || s.Service != "s3") {
			t.Errorf("%s: signed as %s in %s for %s, want the endpoint's key in its region for s3", tt.name, s.Access, s.Region, s.Service)
		}
		if s.OAI != tt.wantOAI || s.SourceARN != tt.wantS {
			t.Errorf("%s: delegation headers oai=%q source-arn=%q, want %q and %q", tt.name, s.OAI, s.SourceARN, tt.wantOAI, tt.wantS)
		}
	}
}

// TestWithEndpointAddressing: virtual-hosted endpoints put the bucket in the host, the
// endpoint's port wins, and targets that cannot work are refused.
func TestWithEndpointAddressing(t *testing.T) {
	f := newFetcher(t, NewDefaultConfig())
	s3o := distrib.Origin{ID: "o", DomainName: "photos.example", OriginPath: "/pre", S3: &distrib.S3Origin{}}
	tg, err := TargetFor(s3o, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		endpoint         string
		pathStyle        bool
		scheme, host, rp string
	}{
		{"https://s3.eu-west-1.amazonaws.com", false, "https", "photos.s3.eu-west-1.amazonaws.com", "/pre/a%20b.jpg"},
		{"http://minio.internal:9000", false, "http", "photos.minio.internal:9000", "/pre/a%20b.jpg"},
		{"https://ceph.internal:8443", true, "https", "ceph.internal:8443", "/photos/pre/a%20b.jpg"},
		{"http://[::1]:9000", true, "http", "[::1]:9000", "/photos/pre/a%20b.jpg"},
	} {
		e := registered(tc.endpoint)
		e.PathStyle = tc.pathStyle
		et, err := tg.WithEndpoint(e)
		if err != nil {
			t.Fatalf("%s: %v", tc.endpoint, err)
		}
		p, err := f.plan(et, http.MethodGet, "/a b.jpg", "", http.Header{})
		if err != nil {
			t.Fatalf("%s: plan: %v", tc.endpoint, err)
		}
		if p.url.Scheme != tc.scheme || p.host != tc.host || p.url.Host != tc.host || p.url.EscapedPath() != tc.rp || p.signer == nil {
			t.Errorf("%s (path-style %v): %s://%s%s Host %s signed=%v; want %s://%s%s", tc.endpoint, tc.pathStyle,
				p.url.Scheme, p.url.Host, p.url.EscapedPath(), p.host, p.signer != nil, tc.scheme, tc.host, tc.rp)
		}
	}

	custom, err := TargetFor(distrib.Origin{ID: "c", DomainName: "photos.minio.local", Custom: &distrib.CustomOrigin{OriginProtocolPolicy: "http-only"}}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		tg   Target
		mod  func(*distrib.OriginEndpoint)
		want string
	}{
		{"custom origin", custom, func(*distrib.OriginEndpoint) {}, "custom origin"},
		{"virtual-hosted on an IP", tg, func(e *distrib.OriginEndpoint) { e.Endpoint, e.PathStyle = "http://127.0.0.1:9000", false }, "path-style"},
		{"no scheme", tg, func(e *distrib.OriginEndpoint) { e.Endpoint = "127.0.0.1:9000" }, "http(s)://"},
		{"no bucket", tg, func(e *distrib.OriginEndpoint) { e.Bucket = "" }, "no bucket"},
		{"no secret", tg, func(e *distrib.OriginEndpoint) { e.SecretAccessKey = "" }, "no credentials"},
	}
	for _, b := range bad {
		e := registered("http://minio.internal:9000")
		b.mod(&e)
		if _, err := b.tg.WithEndpoint(e); !errors.Is(err, ErrInvalidTarget) || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: WithEndpoint = %v, want ErrInvalidTarget saying %q", b.name, err, b.want)
		}
	}
}
