package origin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

var (
	testEdgeKey  = auth.Key{AccessKeyID: "AKIAEDGEEDGEEDGE0001", SecretAccessKey: "edge/secret+key/0123456789abcdefghijklmn", Edge: true}
	testMinioKey = Credentials{AccessKeyID: "minioadmin", SecretAccessKey: "minio-secret-key", Region: "eu-west-1"}
)

// seen is what the verifying origin reports about a request.
type seen struct {
	Path, Query, Access, Region, Service, Auth, OAI, SourceARN, CfID string
	Anonymous                                                        bool
	Err                                                              string
}

// verifyingOrigin is an S3-like origin that checks signatures with internal/sigv4's Verifier,
// the one imgcdn's S3 API uses, and answers what it saw as JSON.
func verifyingOrigin(t *testing.T) *httptest.Server {
	t.Helper()
	v := &sigv4.Verifier{Secret: func(ak string) (string, bool) {
		switch ak {
		case testEdgeKey.AccessKeyID:
			return testEdgeKey.SecretAccessKey, true
		case testMinioKey.AccessKeyID:
			return testMinioKey.SecretAccessKey, true
		}
		return "", false
	}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := seen{Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"),
			OAI: r.Header.Get(auth.HeaderEdgeOAI), SourceARN: r.Header.Get(auth.HeaderSourceARN), CfID: r.Header.Get("X-Amz-Cf-Id")}
		a, err := v.Verify(r)
		if err != nil {
			s.Err = err.Error()
		} else {
			s.Anonymous, s.Access, s.Region, s.Service = a.Anonymous, a.AccessKey, a.Region, a.Service
		}
		json.NewEncoder(w).Encode(s)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func fetchSeen(t *testing.T, f *Fetcher, tg Target, path, query string, h http.Header) seen {
	t.Helper()
	resp, err := f.Fetch(context.Background(), tg, "GET", path, query, h, nil)
	if err != nil {
		t.Fatalf("Fetch %s: %v", path, err)
	}
	defer resp.Body.Close()
	var s seen
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return s
}

// TestSignedKeysVerify: the signature over awkward keys and queries verifies with the S3
// API's own verifier, and the key reaches it exactly.
func TestSignedKeysVerify(t *testing.T) {
	ts := verifyingOrigin(t)
	cfg := NewDefaultConfig()
	cfg.EdgeKey, cfg.LocalS3, cfg.Region = testEdgeKey, mustURL(t, ts.URL), "us-west-2"
	f := newFetcher(t, cfg)
	tg := Target{S3: true, Local: true, Bucket: "photos", PathPrefix: "/pre fix", OAI: "E2QWRUHAPOMQZL"}
	for _, tc := range []struct{ path, query string }{
		{"/a.jpg", ""},
		{"/dir/a b+c.jpg", ""},
		{"/ü/😀.png", ""},
		{"/a//b/../c", ""},
		{"/%2F/x?y#z", ""},
		{"/q.jpg", "w=100&h=50"},
		{"/q.jpg", "z=1&a=2&a=1&b"},
		{"/q.jpg", "name=a+b&sp=a%20b&sl=a/b&eq=%3D"},
	} {
		s := fetchSeen(t, f, tg, tc.path, tc.query, http.Header{"X-Amz-Cf-Id": {"cf-id=="}})
		if s.Err != "" {
			t.Errorf("%s?%s: signature refused: %s", tc.path, tc.query, s.Err)
			continue
		}
		if want := "/photos/pre fix" + tc.path; s.Path != want {
			t.Errorf("key %q reached the origin as %q", want, s.Path)
		}
		if s.Access != testEdgeKey.AccessKeyID || s.Region != "us-west-2" || s.Service != "s3" || s.OAI != "E2QWRUHAPOMQZL" || s.CfID != "cf-id==" {
			t.Errorf("%s: %+v", tc.path, s)
		}
	}
}

// TestSigningBehaviours: who signs, and with which delegation header, for each kind of S3
// origin (OAI; OAC always, never, no-override; none; another endpoint).
func TestSigningBehaviours(t *testing.T) {
	ts := verifyingOrigin(t)
	cfg := NewDefaultConfig()
	cfg.EdgeKey, cfg.LocalS3 = testEdgeKey, mustURL(t, ts.URL)
	f := newFetcher(t, cfg)
	const arn = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD632BHDS5"
	viewerAuth := "AWS4-HMAC-SHA256 Credential=VIEWER/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"
	local := Target{S3: true, Local: true, Bucket: "b"}
	remote := customTargetFor(t, ts)
	remote.S3 = true
	oac := func(b string) *OAC { return &OAC{DistributionARN: arn, SigningBehavior: b} }
	cases := []struct {
		name       string
		t          Target
		viewerAuth bool
		access     string // "" anonymous, "viewer" the forwarded viewer signature
		oai, arn   string
	}{
		{"OAI", with(local, func(t *Target) { t.OAI = "E1" }), false, testEdgeKey.AccessKeyID, "E1", ""},
		{"OAI replaces the viewer's Authorization", with(local, func(t *Target) { t.OAI = "E1" }), true, testEdgeKey.AccessKeyID, "E1", ""},
		{"OAC always", with(local, func(t *Target) { t.OAC = oac(SignAlways) }), true, testEdgeKey.AccessKeyID, "", arn},
		{"OAC never", with(local, func(t *Target) { t.OAC = oac(SignNever) }), false, "", "", ""},
		{"OAC never forwards the viewer's", with(local, func(t *Target) { t.OAC = oac(SignNever) }), true, "viewer", "", ""},
		{"OAC no-override signs", with(local, func(t *Target) { t.OAC = oac(SignNoOverride) }), false, testEdgeKey.AccessKeyID, "", arn},
		{"OAC no-override keeps the viewer's", with(local, func(t *Target) { t.OAC = oac(SignNoOverride) }), true, "viewer", "", ""},
		{"no OAI or OAC: anonymous", local, false, "", "", ""},
		{"another endpoint with credentials", with(remote, func(t *Target) { t.Credentials = &testMinioKey }), false, testMinioKey.AccessKeyID, "", ""},
		{"another endpoint, OAC, credentials", with(remote, func(t *Target) { t.Credentials = &testMinioKey; t.OAC = oac(SignAlways) }), false, testMinioKey.AccessKeyID, "", arn},
		{"another endpoint without credentials", remote, false, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{auth.HeaderEdgeOAI: {"VIEWERCHOICE"}} // never passed on
			if tc.viewerAuth {
				h.Set("Authorization", viewerAuth)
			}
			s := fetchSeen(t, f, tc.t, "/k", "", h)
			switch tc.access {
			case "":
				if !s.Anonymous || s.Auth != "" {
					t.Errorf("want an anonymous request, origin saw %+v", s)
				}
			case "viewer":
				if s.Auth != viewerAuth {
					t.Errorf("want the viewer's Authorization forwarded, origin saw %+v", s)
				}
			default:
				if s.Err != "" || s.Access != tc.access {
					t.Errorf("want a valid signature by %s, origin saw %+v", tc.access, s)
				}
			}
			if s.OAI != tc.oai || s.SourceARN != tc.arn {
				t.Errorf("delegation headers oai=%q arn=%q, want %q %q", s.OAI, s.SourceARN, tc.oai, tc.arn)
			}
		})
	}
	if tc := with(remote, func(t *Target) { t.OAI = "E1" }); true {
		if _, err := f.Fetch(context.Background(), tc, "GET", "/k", "", nil, nil); !errors.Is(err, ErrInvalidTarget) {
			t.Errorf("OAI on an endpoint without credentials: %v, want ErrInvalidTarget", err)
		}
	}
	noKey := newFetcher(t, Config{LocalS3: cfg.LocalS3})
	if _, err := noKey.Fetch(context.Background(), with(local, func(t *Target) { t.OAI = "E1" }), "GET", "/k", "", nil, nil); !errors.Is(err, ErrInvalidTarget) {
		t.Errorf("OAI without an edge key: %v, want ErrInvalidTarget", err)
	}
	noLocal := newFetcher(t, Config{EdgeKey: testEdgeKey})
	if _, err := noLocal.Fetch(context.Background(), local, "GET", "/k", "", nil, nil); !errors.Is(err, ErrInvalidTarget) {
		t.Errorf("local bucket without LocalS3: %v, want ErrInvalidTarget", err)
	}
}

func with(t Target, f func(*Target)) Target {
	f(&t)
	return t
}

// TestTargetForS3 resolves S3 origins with and without identities.
func TestTargetForS3(t *testing.T) {
	const arn = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD632BHDS5"
	always := &distrib.OAC{ID: "E1OAC", Config: distrib.OACConfig{SigningBehavior: "always", OriginType: "s3", SigningProtocol: "sigv4"}}
	o := distrib.Origin{ID: "s3", DomainName: "My.Bucket.s3.us-east-1.amazonaws.com", OriginPath: "/images",
		S3: &distrib.S3Origin{OriginAccessIdentity: "origin-access-identity/cloudfront/ERTF9F3HTHDQ"}, ConnectionTimeout: 4}
	tg, err := TargetFor(o, arn, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !tg.S3 || !tg.Local || tg.Bucket != "my.bucket" || tg.OAI != "ERTF9F3HTHDQ" || tg.OAC != nil || tg.PathPrefix != "/images" ||
		tg.ConnectTimeout.Seconds() != 4 || tg.ConnectionAttempts != 3 || tg.ReadTimeout != DefaultReadTimeout {
		t.Fatalf("%+v", tg)
	}
	o.S3.OriginAccessIdentity, o.OriginAccessControlID = "", "E1OAC"
	if tg, err = TargetFor(o, arn, always); err != nil || tg.OAI != "" || tg.OAC == nil || *tg.OAC != (OAC{arn, "always"}) {
		t.Fatalf("OAC: %+v %v", tg, err)
	}
	for name, bad := range map[string]func() (Target, error){
		"OAC not resolved": func() (Target, error) { return TargetFor(o, arn, nil) },
		"OAC without ARN":  func() (Target, error) { return TargetFor(o, "", always) },
		"bad OAI path": func() (Target, error) {
			o := o
			o.OriginAccessControlID = ""
			o.S3 = &distrib.S3Origin{OriginAccessIdentity: "ERTF"}
			return TargetFor(o, arn, nil)
		},
		"both OAI and OAC": func() (Target, error) {
			o := o
			o.S3 = &distrib.S3Origin{OriginAccessIdentity: "origin-access-identity/cloudfront/E1"}
			return TargetFor(o, arn, always)
		},
		"bad signing behavior": func() (Target, error) {
			b := *always
			b.Config.SigningBehavior = "sometimes"
			return TargetFor(o, arn, &b)
		},
		"no domain": func() (Target, error) { o := o; o.DomainName = ""; return TargetFor(o, arn, always) },
		"S3 and custom": func() (Target, error) {
			o := o
			o.Custom = &distrib.CustomOrigin{OriginProtocolPolicy: "http-only"}
			return TargetFor(o, arn, always)
		},
	} {
		if _, err := bad(); !errors.Is(err, ErrInvalidTarget) {
			t.Errorf("%s: %v, want ErrInvalidTarget", name, err)
		}
	}
	for domain, want := range map[string]string{
		"bucket.s3.amazonaws.com": "bucket", "a.b.s3.eu-west-1.amazonaws.com": "a.b", "xy1.s3-us-west-2.amazonaws.com": "xy1",
		"bb2.s3.dualstack.us-east-1.amazonaws.com": "bb2", "b2.s3.amazonaws.com": "", "minio.local:9000": "", "bucket.s3.example.com": "", "s3.amazonaws.com": "",
	} {
		if got, ok := S3Bucket(domain); got != want || ok != (want != "") {
			t.Errorf("S3Bucket(%q) = %q %v, want %q", domain, got, ok, want)
		}
	}
}

// TestTargetForCustom maps a CustomOriginConfig.
func TestTargetForCustom(t *testing.T) {
	o := distrib.Origin{ID: "web", DomainName: "origin.example", OriginPath: "/v1",
		CustomHeaders: []distrib.CustomHeader{{Name: "x-origin-token", Value: "t"}},
		Custom: &distrib.CustomOrigin{HTTPPort: 8080, HTTPSPort: 8443, OriginProtocolPolicy: "match-viewer",
			OriginSSLProtocols: []string{"TLSv1.1", "TLSv1.2"}, OriginReadTimeout: 7, OriginKeepaliveTimeout: 9}}
	tg, err := TargetFor(o, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if tg.S3 || tg.Scheme != MatchViewer || tg.ReadTimeout.Seconds() != 7 || tg.KeepAlive.Seconds() != 9 ||
		tg.MinTLSVersion != 0x0302 || tg.CustomHeaders.Get("X-Origin-Token") != "t" || tg.ConnectTimeout != DefaultConnectTimeout {
		t.Fatalf("%+v", tg)
	}
	if h := tg.ForViewer(true); h.Scheme != SchemeHTTPS || h.hostPort() != "origin.example:8443" {
		t.Errorf("https viewer: %s %s", h.Scheme, h.hostPort())
	}
	if h := tg.ForViewer(false); h.Scheme != SchemeHTTP || h.hostPort() != "origin.example:8080" {
		t.Errorf("http viewer: %s %s", h.Scheme, h.hostPort())
	}
	o.Custom.HTTPPort, o.Custom.OriginProtocolPolicy = 80, "http-only"
	if tg, _ = TargetFor(o, "", nil); tg.ForViewer(true).hostPort() != "origin.example" {
		t.Errorf("default port kept in the host: %s", tg.hostPort())
	}
	o.Custom.OriginProtocolPolicy = "ftp-only"
	if _, err := TargetFor(o, "", nil); !errors.Is(err, ErrInvalidTarget) {
		t.Errorf("bad policy: %v", err)
	}
}
