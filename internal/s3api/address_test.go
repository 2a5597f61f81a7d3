package s3api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	suffixes := []string{"s3.localhost", "s3.example.com"}
	tests := []struct {
		host, target string
		bucket, key  string
		vhost        bool
		code         string
	}{
		{"127.0.0.1:9000", "/", "", "", false, ""},
		{"127.0.0.1:9000", "/photos", "photos", "", false, ""},
		{"127.0.0.1:9000", "/photos/", "photos", "", false, ""},
		{"127.0.0.1:9000", "/photos/a/b.jpg", "photos", "a/b.jpg", false, ""},
		// Keys are data: decoded once, never cleaned.
		{"127.0.0.1:9000", "/photos/a%2Fb", "photos", "a/b", false, ""},
		{"127.0.0.1:9000", "/photos/a%252Fb", "photos", "a%2Fb", false, ""},
		{"127.0.0.1:9000", "/photos/a+b%20c", "photos", "a+b c", false, ""},
		{"127.0.0.1:9000", "/photos/a//b", "photos", "a//b", false, ""},
		{"127.0.0.1:9000", "/photos/../x", "photos", "../x", false, ""},
		{"127.0.0.1:9000", "/photos/dir/", "photos", "dir/", false, ""},
		{"127.0.0.1:9000", "/photos/%F0%9F%98%80", "photos", "😀", false, ""},
		{"127.0.0.1:9000", "/photos/%FF", "", "", false, "InvalidURI"},
		{"127.0.0.1:9000", "/photos/" + strings.Repeat("k", 1024), "photos", strings.Repeat("k", 1024), false, ""},
		{"127.0.0.1:9000", "/photos/" + strings.Repeat("k", 1025), "", "", false, "KeyTooLongError"},
		// Virtual-hosted style.
		{"photos.s3.localhost:9000", "/", "photos", "", true, ""},
		{"photos.s3.localhost:9000", "/a/b.jpg", "photos", "a/b.jpg", true, ""},
		{"my.dotted.bucket.s3.localhost", "/k", "my.dotted.bucket", "k", true, ""},
		{"Photos.S3.LocalHost:9000", "/k", "photos", "k", true, ""},
		{"photos.s3.example.com.", "/k", "photos", "k", true, ""},
		// The suffix alone, or another host, is path style.
		{"s3.localhost:9000", "/photos/k", "photos", "k", false, ""},
		{"xs3.localhost:9000", "/photos/k", "photos", "k", false, ""},
		{"[::1]:9000", "/photos/k", "photos", "k", false, ""},
	}
	for _, tc := range tests {
		r := httptest.NewRequest(http.MethodGet, tc.target, nil)
		r.Host = tc.host
		a, err := parseAddress(r, suffixes)
		if tc.code != "" {
			e, ok := err.(*Error)
			if !ok || e.Code != tc.code {
				t.Errorf("%s %s: err %v, want %s", tc.host, tc.target, err, tc.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", tc.host, tc.target, err)
			continue
		}
		if a.bucket != tc.bucket || a.key != tc.key || a.virtualHost != tc.vhost {
			t.Errorf("%s %s: got (%q, %q, %v), want (%q, %q, %v)", tc.host, tc.target, a.bucket, a.key, a.virtualHost, tc.bucket, tc.key, tc.vhost)
		}
	}
}

func TestParseCopySource(t *testing.T) {
	tests := []struct {
		in                   string
		bucket, key, version string
		code                 string
	}{
		{"awsexamplebucket/reports/january.pdf", "awsexamplebucket", "reports/january.pdf", "", ""},
		{"/awsexamplebucket/reports/january.pdf", "awsexamplebucket", "reports/january.pdf", "", ""},
		{"awsexamplebucket/reports/january.pdf?versionId=QUpfdndhfd8438MNFDN93jdnJFkdmqnh893", "awsexamplebucket", "reports/january.pdf", "QUpfdndhfd8438MNFDN93jdnJFkdmqnh893", ""},
		{"b/a%20b%2Bc+d%3Fe", "b", "a b+c+d?e", "", ""},
		{"b/%F0%9F%98%80/x", "b", "😀/x", "", ""},
		{"b/k?versionId=", "", "", "", "InvalidArgument"},
		{"b/k?foo=bar", "", "", "", "InvalidArgument"},
		{"", "", "", "", "InvalidArgument"},
		{"bucketonly", "", "", "", "InvalidArgument"},
		{"bucket/", "", "", "", "InvalidArgument"},
		{"b/%ZZ", "", "", "", "InvalidArgument"},
		{"arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap/object/k", "", "", "", "NotImplemented"},
	}
	for _, tc := range tests {
		cs, err := parseCopySource(tc.in)
		if tc.code != "" {
			e, ok := err.(*Error)
			if !ok || e.Code != tc.code {
				t.Errorf("%q: err %v, want %s", tc.in, err, tc.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if cs.Bucket != tc.bucket || cs.Key != tc.key || cs.VersionID != tc.version {
			t.Errorf("%q: got %+v", tc.in, *cs)
		}
	}
}
