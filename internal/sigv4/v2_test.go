package sigv4

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// docBucket is the S3 layer's host rule for the documentation's examples.
func docBucket(r *http.Request) string {
	host, _, _ := strings.Cut(r.Host, ":")
	if b, ok := strings.CutSuffix(host, ".s3.amazonaws.com"); ok {
		return b
	}
	if host == "s3.amazonaws.com" {
		return ""
	}
	return host // a CNAME: the whole host is the bucket
}

func v2Request(t *testing.T, name string) *http.Request {
	t.Helper()
	r := exampleRequest(t, "../s3-examples-v2/"+name, nil)
	return r
}

func TestV2DocumentationExamples(t *testing.T) {
	for _, name := range []string{"object-get", "object-put", "list", "fetch-acl", "delete", "upload", "list-buckets", "unicode-keys", "presigned-get"} {
		t.Run(name, func(t *testing.T) {
			r := v2Request(t, name)
			now := time.Unix(1175139620-60, 0)
			if d := r.Header.Get("Date"); d != "" {
				now, _ = http.ParseTime(d)
			}
			v := verifierAt(now, docAccessKey, docSecret)
			v.VirtualHostBucket = docBucket
			a, err := v.Verify(r)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if a.SignatureVersion != 2 || a.AccessKey != docAccessKey || a.Service != "s3" || a.Payload != PayloadUnsigned ||
				a.Presigned != (name == "presigned-get") {
				t.Errorf("auth = %+v", a)
			}

			// Without the host rule the virtual-hosted examples cannot verify.
			v.VirtualHostBucket = nil
			_, err = v.Verify(v2Request(t, name))
			if docBucket(r) != "" && !errors.Is(err, ErrSignatureDoesNotMatch) {
				t.Errorf("without VirtualHostBucket: %v", err)
			}
		})
	}
}

func TestV2Errors(t *testing.T) {
	at := func(name string, now time.Time, change func(*http.Request)) error {
		r := v2Request(t, name)
		if change != nil {
			change(r)
		}
		v := verifierAt(now, docAccessKey, docSecret)
		v.VirtualHostBucket = docBucket
		_, err := v.Verify(r)
		return err
	}
	getTime := time.Date(2007, 3, 27, 19, 36, 42, 0, time.UTC)
	expires := time.Unix(1175139620, 0)
	for _, tc := range []struct {
		name   string
		req    string
		now    time.Time
		change func(*http.Request)
		want   error
	}{
		{"skewed", "object-get", getTime.Add(16 * time.Minute), nil, ErrRequestTimeTooSkewed},
		{"no date", "object-get", getTime, func(r *http.Request) { r.Header.Del("Date") }, ErrMissingDate},
		{"unknown key", "object-get", getTime, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), docAccessKey, "AKIDOTHER", 1))
		}, ErrInvalidAccessKeyID},
		{"malformed", "object-get", getTime, func(r *http.Request) { r.Header.Set("Authorization", "AWS "+docAccessKey) }, ErrAuthorizationHeaderMalformed},
		{"bad base64", "object-get", getTime, func(r *http.Request) { r.Header.Set("Authorization", "AWS "+docAccessKey+":!!") }, ErrSignatureDoesNotMatch},
		{"path changed", "object-get", getTime, func(r *http.Request) { r.URL.Path, r.RequestURI = "/photos/kitten.jpg", "/photos/kitten.jpg" }, ErrSignatureDoesNotMatch},
		{"amz header added", "object-get", getTime, func(r *http.Request) { r.Header.Set("X-Amz-Acl", "public-read") }, ErrSignatureDoesNotMatch},
		{"content type changed", "object-put", time.Date(2007, 3, 27, 21, 15, 45, 0, time.UTC), func(r *http.Request) { r.Header.Set("Content-Type", "text/html") }, ErrSignatureDoesNotMatch},
		{"sub-resource added", "fetch-acl", time.Date(2007, 3, 27, 19, 44, 46, 0, time.UTC), func(r *http.Request) { r.URL.RawQuery, r.RequestURI = "acl&versionId=1", "/?acl&versionId=1" }, ErrSignatureDoesNotMatch},
		{"expired", "presigned-get", expires.Add(time.Second), nil, ErrRequestExpired},
		{"expires changed", "presigned-get", expires.Add(-time.Hour), func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "1175139620", "1175139621", 1)
		}, ErrSignatureDoesNotMatch},
		{"expires missing", "presigned-get", expires, func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "&Expires=1175139620", "", 1)
		}, ErrAuthorizationQueryParametersError},
		{"both header and query", "presigned-get", expires, func(r *http.Request) { r.Header.Set("Authorization", "AWS a:b") }, ErrMultipleAuthMechanisms},
	} {
		if err := at(tc.req, tc.now, tc.change); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestV2SubResources(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want []string
	}{
		{"", []string{""}},
		{"prefix=a&max-keys=2", []string{""}},
		{"acl", []string{"?acl"}},
		{"uploads=", []string{"?uploads=", "?uploads"}},
		{"versionId=3&acl&prefix=x", []string{"?acl&versionId=3"}},
		{"response-content-disposition=attachment%3B%20filename%3D%22a.jpg%22&partNumber=2&uploadId=a%2Bb",
			[]string{`?partNumber=2&response-content-disposition=attachment; filename="a.jpg"&uploadId=a+b`}},
	} {
		got := v2SubResourceStrings(tc.raw)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("v2SubResourceStrings(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}
