package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestURIEncode(t *testing.T) {
	for _, tc := range []struct {
		in              string
		path, component string
	}{
		{"", "", ""},
		{"AZaz09-._~", "AZaz09-._~", "AZaz09-._~"},
		{"a b", "a%20b", "a%20b"},
		{"a+b", "a%2Bb", "a%2Bb"},
		{"/a/b/", "/a/b/", "%2Fa%2Fb%2F"},
		{"%2F", "%252F", "%252F"},
		{"=&?#;:@$,!'()*", "%3D%26%3F%23%3B%3A%40%24%2C%21%27%28%29%2A", "%3D%26%3F%23%3B%3A%40%24%2C%21%27%28%29%2A"},
		{"ü😀", "%C3%BC%F0%9F%98%80", "%C3%BC%F0%9F%98%80"},
		{"\x00\xff", "%00%FF", "%00%FF"},
	} {
		if got := uriEncode(tc.in, true); got != tc.path {
			t.Errorf("uriEncode(%q, path) = %q, want %q", tc.in, got, tc.path)
		}
		if got := uriEncode(tc.in, false); got != tc.component {
			t.Errorf("uriEncode(%q, component) = %q, want %q", tc.in, got, tc.component)
		}
	}
}

func TestCanonicalURIs(t *testing.T) {
	for _, tc := range []struct {
		target string
		s3     bool
		want   []string
	}{
		{"/", true, []string{"/"}},
		{"/bucket/a%20b", true, []string{"/bucket/a%20b"}},
		{"/bucket/a+b", true, []string{"/bucket/a%2Bb", "/bucket/a+b"}},
		{"/bucket/a%2Bb", true, []string{"/bucket/a%2Bb"}},
		{"/bucket/%c3%bc", true, []string{"/bucket/%C3%BC", "/bucket/%c3%bc"}},
		{"/bucket/a//b/../c/./", true, []string{"/bucket/a//b/../c/./"}},
		{"/bucket/%252F", true, []string{"/bucket/%252F"}},
		{"/bucket/$x", true, []string{"/bucket/%24x", "/bucket/$x"}},
		{"/bucket/a%2Fb", true, []string{"/bucket/a/b", "/bucket/a%2Fb"}},
		// Other services: UriEncode applied to the already-encoded path.
		{"/2020-05-31/distribution", false, []string{"/2020-05-31/distribution"}},
		{"/a%20b", false, []string{"/a%2520b", "/a%20b"}},
	} {
		r := httptest.NewRequest(http.MethodGet, tc.target, nil)
		if got := canonicalURIs(r, tc.s3); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("canonicalURIs(%q, s3=%v) = %q, want %q", tc.target, tc.s3, got, tc.want)
		}
	}
}

func TestCanonicalQueries(t *testing.T) {
	for _, tc := range []struct {
		raw, skip string
		want      []string
	}{
		{"", "", []string{""}},
		{"uploads", "", []string{"uploads="}},
		{"uploads=", "", []string{"uploads="}},
		{"b=2&a=1&a=0", "", []string{"a=0&a=1&b=2"}},
		{"prefix=a+b", "", []string{"prefix=a%20b", "prefix=a+b"}},
		{"prefix=a%20b", "", []string{"prefix=a%20b"}},
		{"prefix=a%2bb", "", []string{"prefix=a%2Bb", "prefix=a%2bb"}},
		{"k=~-._", "", []string{"k=~-._"}},
		{"k=%7E", "", []string{"k=~", "k=%7E"}},
		{"delimiter=/", "", []string{"delimiter=%2F", "delimiter=/"}},
		{"a=1&&b=2", "", []string{"a=1&b=2"}},
		{"bad=%zz", "", []string{"bad=%25zz", "bad=%zz"}},
		{"X-Amz-Signature=abc&X-Amz-Date=1", "X-Amz-Signature", []string{"X-Amz-Date=1"}},
		// Sorting happens after encoding (a%2Fb sorts before a-b).
		{"k=a-b&k=a/b", "", []string{"k=a%2Fb&k=a-b", "k=a-b&k=a/b"}},
	} {
		if got := canonicalQueries(tc.raw, tc.skip); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("canonicalQueries(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

func TestCanonicalHeaders(t *testing.T) {
	r := httptest.NewRequest(http.MethodPut, "http://example.com:9000/b/k", strings.NewReader("12345"))
	r.Header.Add("X-Amz-Meta-Multi", " one ")
	r.Header.Add("X-Amz-Meta-Multi", "two   three")
	r.Header.Add("X-Amz-Meta-Empty", "")
	r.TransferEncoding = []string{"chunked"}
	got := canonicalHeaders(r, []string{"content-length", "host", "transfer-encoding", "x-amz-meta-absent", "x-amz-meta-empty", "x-amz-meta-multi"})
	want := "content-length:5\nhost:example.com:9000\ntransfer-encoding:chunked\nx-amz-meta-absent:\nx-amz-meta-empty:\nx-amz-meta-multi:one,two three\n"
	if got != want {
		t.Errorf("canonicalHeaders =\n%s\nwant\n%s", got, want)
	}
}

// signCanonical signs a canonical request by hand, for clients whose encodings no SDK here
// produces.
func signCanonical(r *http.Request, creq, signedHeaders string) {
	scope := "20240229/us-west-2/s3/aws4_request"
	sts := "AWS4-HMAC-SHA256\n20240229T120000Z\n" + scope + "\n" + hexSHA256(creq)
	key := signingKey(rtSecret, credential{date: "20240229", region: rtRegion, service: "s3"})
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(sts))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+rtAccessKey+"/"+scope+", SignedHeaders="+signedHeaders+", Signature="+hex.EncodeToString(m.Sum(nil)))
}

// TestVerifyEncodingCandidates: a client may sign the normalised form or the form it sent;
// both verify, anything else does not.
func TestVerifyEncodingCandidates(t *testing.T) {
	for _, tc := range []struct {
		target, signedURI, signedQuery string
		ok                             bool
	}{
		{"/b/a+b?prefix=x+y", "/b/a%2Bb", "prefix=x%20y", true},
		{"/b/a+b?prefix=x+y", "/b/a+b", "prefix=x+y", true},
		{"/b/a+b?prefix=x+y", "/b/a+b", "prefix=x%20y", true},
		{"/b/a+b?prefix=x+y", "/b/a%2Bb", "prefix=x+y", true},
		{"/b/%c3%bc?k=%c3%bc", "/b/%C3%BC", "k=%C3%BC", true},
		{"/b/a+b", "/b/a%20b", "", false},
		{"/b/a%2Fb", "/b/a/b", "", true},
		{"/b/a/b", "/b/a%2Fb", "", false},
		{"/b/k?prefix=x+y", "/b/k", "prefix=x%2By", false},
	} {
		r := httptest.NewRequest(http.MethodGet, "http://localhost:9000"+tc.target, nil)
		r.RequestURI = tc.target
		r.Header.Set("X-Amz-Date", "20240229T120000Z")
		r.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
		creq := "GET\n" + tc.signedURI + "\n" + tc.signedQuery + "\nhost:localhost:9000\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20240229T120000Z\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"
		signCanonical(r, creq, "host;x-amz-content-sha256;x-amz-date")
		_, err := verifierAt(signTime, rtAccessKey, rtSecret).Verify(r)
		if tc.ok && err != nil {
			t.Errorf("%s signed as %s?%s: %v", tc.target, tc.signedURI, tc.signedQuery, err)
		}
		if !tc.ok && !errors.Is(err, ErrSignatureDoesNotMatch) {
			t.Errorf("%s signed as %s?%s: err = %v, want SignatureDoesNotMatch", tc.target, tc.signedURI, tc.signedQuery, err)
		}
	}
}
