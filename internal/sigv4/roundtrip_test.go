package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

const (
	rtAccessKey = "AKIDROUNDTRIP"
	rtSecret    = "rt/secret+key=="
	rtRegion    = "us-west-2"
)

// awkwardKeys are object keys that clients escape differently from a naive encoder; each
// must verify exactly as the SDKs sign it.
var awkwardKeys = []string{
	"plain.txt", "a//b", "../x", "x/./y", "%2F", "%41", "100%", "a b", "a+b", "a~b", "a=b",
	"semi;colon", "comma,", "quote'", "star*", "paren()", "hash#frag", "question?mark",
	"back\\slash", "emoji 😀", "ü/é/中文", "trailing/", "/leading", "&and", "$dollar", "@at",
	"!bang", ":colon", "[bracket]", "{brace}", "tab\tkey", "caret^", "pipe|", "dot.", "..", ".",
	"very/deep/nested/path/with spaces/and+plus/file.jpg",
}

var awkwardQueries = []string{
	"",
	"uploads",
	"uploads=",
	"list-type=2&prefix=a%20b&delimiter=%2F",
	"list-type=2&prefix=a+b",
	"continuation-token=abc%2B%2F%3D&start-after=%C3%BC&encoding-type=url",
	"prefix=x&prefix=a&prefix=m",
	"response-content-disposition=attachment%3B%20filename%3D%22a%20b.jpg%22",
	"partNumber=1&uploadId=Zm9v%2Bbar%2F%3D%3D",
	"a=~&b=-._&c=%7E",
	"tagging&versionId=null",
}

// echoServer verifies each request with v and answers 200 with the decoded path and body, or
// 403 with the error.
func echoServer(t *testing.T, v *Verifier) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := v.Verify(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		b, err := a.Body(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body, err := io.ReadAll(b)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if a.Anonymous {
			http.Error(w, "anonymous", http.StatusUnauthorized)
			return
		}
		w.Header().Set("X-Path", url.PathEscape(r.URL.Path))
		if tr := b.Trailer(); tr != nil {
			w.Header().Set("X-Trailer", fmt.Sprint(tr))
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, req *http.Request) (int, string, http.Header) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// s3Request builds a request the way the S3 client of aws-sdk-go-v2 does: the key escaped
// with httpbinding.EscapePath, sent and signed as is (DisableURIPathEscaping).
func s3Request(t *testing.T, srv, method, key, query string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, srv, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Path = "/bucket/" + key
	req.URL.RawPath = "/bucket/" + httpbinding.EscapePath(key, false)
	req.URL.RawQuery = query
	return req
}

func TestRoundTripAWSSDKHeaderAuth(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	srv := echoServer(t, verifierAt(now, rtAccessKey, rtSecret))
	signer := awsv4.NewSigner()
	creds := aws.Credentials{AccessKeyID: rtAccessKey, SecretAccessKey: rtSecret}
	for _, key := range awkwardKeys {
		for _, query := range awkwardQueries {
			for _, payload := range []string{"UNSIGNED-PAYLOAD", "sha256"} {
				body := []byte("body of " + key)
				req := s3Request(t, srv.URL, http.MethodPut, key, query, body)
				hash := payload
				if payload == "sha256" {
					sum := sha256.Sum256(body)
					hash = hex.EncodeToString(sum[:])
				}
				req.Header.Set("X-Amz-Content-Sha256", hash)
				req.Header.Set("X-Amz-Meta-Note", "  spaced   value  ")
				req.Header.Set("Content-Type", "image/jpeg")
				err := signer.SignHTTP(context.Background(), creds, req, hash, "s3", rtRegion, now,
					func(o *awsv4.SignerOptions) { o.DisableURIPathEscaping = true })
				if err != nil {
					t.Fatal(err)
				}
				status, got, h := do(t, req)
				if status != http.StatusOK || got != string(body) {
					t.Fatalf("key %q query %q payload %s: %d %s", key, query, payload, status, got)
				}
				if p, _ := url.PathUnescape(h.Get("X-Path")); p != "/bucket/"+key {
					t.Fatalf("key %q: server saw path %q", key, p)
				}
			}
		}
	}
}

func TestRoundTripAWSSDKPresign(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	srv := echoServer(t, verifierAt(now.Add(time.Minute), rtAccessKey, rtSecret))
	signer := awsv4.NewSigner()
	creds := aws.Credentials{AccessKeyID: rtAccessKey, SecretAccessKey: rtSecret}
	for _, key := range awkwardKeys {
		for _, query := range awkwardQueries {
			req := s3Request(t, srv.URL, http.MethodGet, key, query, nil)
			q := req.URL.Query()
			q.Set("X-Amz-Expires", "900")
			req.URL.RawQuery = q.Encode()
			uri, headers, err := signer.PresignHTTP(context.Background(), creds, req, "UNSIGNED-PAYLOAD", "s3", rtRegion, now,
				func(o *awsv4.SignerOptions) { o.DisableURIPathEscaping = true })
			if err != nil {
				t.Fatal(err)
			}
			get, err := http.NewRequest(http.MethodGet, uri, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, vs := range headers {
				if !strings.EqualFold(k, "host") {
					get.Header[k] = vs
				}
			}
			if status, got, _ := do(t, get); status != http.StatusOK {
				t.Fatalf("key %q query %q: %d %s (url %s)", key, query, status, got, uri)
			}
		}
	}
}

// TestRoundTripAWSSDKOtherService signs like aws-sdk-go-v2's non-S3 clients (CloudFront):
// the path escaped twice, no X-Amz-Content-Sha256, the body's hash in the signature.
func TestRoundTripAWSSDKOtherService(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	srv := echoServer(t, verifierAt(now, rtAccessKey, rtSecret))
	signer := awsv4.NewSigner()
	creds := aws.Credentials{AccessKeyID: rtAccessKey, SecretAccessKey: rtSecret}
	for _, path := range []string{"/2020-05-31/distribution", "/2020-05-31/distribution/E2QWRUHEXAMPLE/config", "/2020-05-31/origin-access-identity/cloudfront/a b+c"} {
		for _, body := range []string{"", "<DistributionConfig><CallerReference>x</CallerReference></DistributionConfig>"} {
			req, err := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.URL.Path = path
			req.URL.RawPath = httpbinding.EscapePath(path, false)
			sum := sha256.Sum256([]byte(body))
			if err := signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cloudfront", "us-east-1", now); err != nil {
				t.Fatal(err)
			}
			req.Body = io.NopCloser(strings.NewReader(body))
			if status, got, _ := do(t, req); status != http.StatusOK || got != body {
				t.Fatalf("path %q body %q: %d %s", path, body, status, got)
			}
			if Service(req) != "cloudfront" {
				t.Fatalf("Service = %q", Service(req))
			}
		}
	}
}
