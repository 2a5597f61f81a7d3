package s3api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// authzCase is one request as the authorization step sees it.
type authzCase struct {
	name string
	req  AuthzRequest
	want error
}

// authzCases builds, on the seed's bucket (versioning, SSE-S3, all of Block Public Access,
// the step-7 OAI policy plus a TLS-only Deny), the requests of the GET path: the OAI's read,
// the root's read and an anonymous read.
func authzCases(tb testing.TB) (*authzEnv, []authzCase) {
	e := newAuthzEnv(tb)
	e.createBucket(seedBucket)
	e.putConfig(seedBucket, "publicAccessBlock", allBlocked)
	e.putConfig(seedBucket, "encryption", sseAES256)
	e.put(seedBucket, "images/a.png", []byte("png"))
	e.putPolicy(seedBucket, `{"Version":"2012-10-17","Statement":[
	  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ERTF9F3HTHDQ"},
	   "Action":"s3:GetObject","Resource":"arn:aws:s3:::image-bucket-2025/*"},
	  {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::image-bucket-2025/*",
	   "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}]}`)
	e.createBucket("plain")
	principal := func(ak string) AuthzRequest {
		p, ok := e.srv.cfg.Principals.Principal(ak)
		if !ok {
			tb.Fatal("unknown key")
		}
		r := httptest.NewRequest(http.MethodGet, "/"+seedBucket+"/images/a.png", nil)
		r.Header.Set("User-Agent", "imgcdn-edge/1.0")
		return AuthzRequest{Auth: &sigv4.Auth{AccessKey: ak, Region: "us-east-1", SignatureVersion: 4}, Principal: p,
			Op: OpGetObject, Action: "s3:GetObject", Bucket: seedBucket, Key: "images/a.png", Request: r, Query: r.URL.Query()}
	}
	oai := principal(e.oai.accessKey)
	root := principal(e.root.accessKey)
	rootPlain := principal(e.root.accessKey)
	rootPlain.Bucket = "plain"
	anon := principal(e.oai.accessKey)
	anon.Auth, anon.Principal.ARN, anon.Principal.OAI = &sigv4.Auth{Anonymous: true}, "", ""
	return e, []authzCase{
		{"oai-get", oai, nil},
		{"root-get", root, nil},
		{"root-get-no-policy", rootPlain, nil},
		{"anonymous-get", anon, ErrAccessDenied},
	}
}

// TestAuthorizeAllocations pins what authorizing a GET costs in allocations: evaluating a
// policy allocates the resource ARN and nothing else; every other allocation is the store's,
// answering that a setting is not set (the bucket's policy, or its Object Ownership on the
// anonymous caller's way to the ACLs).
func TestAuthorizeAllocations(t *testing.T) {
	if raceEnabled {
		t.Log("allocation counts are not meaningful under -race; decisions only")
	}
	e, cases := authzCases(t)
	a := e.srv.cfg.Authorizer
	ctx := context.Background()
	miss := testing.AllocsPerRun(100, func() { _, _ = e.store.GetBucketConfig(ctx, "plain", configPolicy) })
	budget := map[string]float64{"oai-get": 1, "root-get": 1, "root-get-no-policy": miss, "anonymous-get": 1 + miss}
	for _, c := range cases {
		if err := a.Authorize(ctx, c.req); err != c.want {
			t.Fatalf("%s: %v, want %v", c.name, err, c.want)
		}
		n := testing.AllocsPerRun(200, func() { _ = a.Authorize(ctx, c.req) })
		if !raceEnabled && n > budget[c.name] {
			t.Errorf("%s: %.1f allocations per Authorize, want at most %.0f (%.0f per setting the store reports unset)",
				c.name, n, budget[c.name], miss)
		}
	}
}

// BenchmarkAuthorize is the policy-aware authorization of one GET.
func BenchmarkAuthorize(b *testing.B) {
	e, cases := authzCases(b)
	a := e.srv.cfg.Authorizer
	ctx := context.Background()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := a.Authorize(ctx, c.req); err != c.want {
					b.Fatal(err)
				}
			}
		})
	}
}
