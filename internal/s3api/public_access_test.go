package s3api

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
)

func pabDoc(blockACLs, ignoreACLs, blockPolicy, restrict bool) string {
	b := func(v bool) string {
		if v {
			return "true"
		}
		return "false"
	}
	return `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>` + b(blockACLs) +
		`</BlockPublicAcls><IgnorePublicAcls>` + b(ignoreACLs) + `</IgnorePublicAcls><BlockPublicPolicy>` + b(blockPolicy) +
		`</BlockPublicPolicy><RestrictPublicBuckets>` + b(restrict) + `</RestrictPublicBuckets></PublicAccessBlockConfiguration>`
}

// aclBucket creates a bucket with ACLs enabled (Object Ownership ObjectWriter).
func (e *authzEnv) aclBucket(name string) {
	e.t.Helper()
	resp, body := e.do(http.MethodPut, "/"+name, nil, "X-Amz-Object-Ownership", "ObjectWriter")
	mustStatus(e.t, resp, body, http.StatusOK)
}

func TestPublicAccessBlockDocument(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	resp, body := e.do(http.MethodGet, "/bkt?publicAccessBlock", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration")
	// Without the namespace, and with some flags left out (false).
	e.putConfig("bkt", "publicAccessBlock", `<PublicAccessBlockConfiguration><BlockPublicPolicy>true</BlockPublicPolicy></PublicAccessBlockConfiguration>`)
	resp, body = e.do(http.MethodGet, "/bkt?publicAccessBlock", nil)
	mustStatus(t, resp, body, http.StatusOK)
	if want := pabDoc(false, false, true, false); string(body) != xml.Header+want {
		t.Errorf("GetPublicAccessBlock:\n got %s\nwant %s", body, want)
	}
	resp, body = e.do(http.MethodPut, "/bkt?publicAccessBlock", []byte(`<PublicAccessBlockConfiguration><BlockPublicAcls>maybe</BlockPublicAcls></PublicAccessBlockConfiguration>`))
	mustError(t, resp, body, http.StatusBadRequest, "MalformedXML")
	resp, body = e.do(http.MethodPut, "/bkt?publicAccessBlock", nil)
	mustError(t, resp, body, http.StatusBadRequest, "MissingRequestBodyError")
	resp, body = e.do(http.MethodDelete, "/bkt?publicAccessBlock", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.do(http.MethodGet, "/bkt?publicAccessBlock", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration")
	resp, body = e.do(http.MethodGet, "/no-bucket?publicAccessBlock", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
}

// TestBlockPublicAcls: with the flag on, every request that would set a public ACL is
// refused with 403 AccessDenied; private ACLs still pass; turning it off lets them in.
func TestBlockPublicAcls(t *testing.T) {
	e := newAuthzEnv(t)
	e.aclBucket("bkt")
	e.put("bkt", "k", []byte("x"))
	e.putConfig("bkt", "publicAccessBlock", pabDoc(true, false, false, false))
	id := e.createUpload("bkt", "mp")
	refused := []struct {
		method, path string
		hdr          []string
	}{
		{"PUT", "/bkt/new", []string{"X-Amz-Acl", "public-read"}},
		{"PUT", "/bkt/new", []string{"X-Amz-Acl", "authenticated-read"}},
		{"PUT", "/bkt/copy", []string{"X-Amz-Copy-Source", "/bkt/k", "X-Amz-Acl", "public-read-write"}},
		{"POST", "/bkt/mp2?uploads", []string{"X-Amz-Acl", "public-read"}},
		{"PUT", "/bkt/k?acl", []string{"X-Amz-Acl", "public-read"}},
		{"PUT", "/bkt?acl", []string{"X-Amz-Acl", "public-read"}},
	}
	for _, c := range refused {
		body := []byte(nil)
		if c.path == "/bkt/new" {
			body = []byte("new")
		}
		resp, rb := e.do(c.method, c.path, body, c.hdr...)
		mustError(t, resp, rb, http.StatusForbidden, "AccessDenied")
	}
	e.put("bkt", "private", []byte("x"), "X-Amz-Acl", "private")
	resp, body := e.do(http.MethodPut, "/bkt/k?acl", nil, "X-Amz-Acl", "bucket-owner-full-control")
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.do(http.MethodGet, "/bkt?uploads", nil)
	mustStatus(t, resp, body, http.StatusOK)
	if strings.Contains(string(body), "mp2") || !strings.Contains(string(body), id) {
		t.Errorf("uploads after the refusal: %s", body)
	}
	e.putConfig("bkt", "publicAccessBlock", pabDoc(false, false, false, false))
	e.put("bkt", "new", []byte("new"), "X-Amz-Acl", "public-read")
	resp, body = e.anon(http.MethodGet, "/bkt/new", nil)
	mustStatus(t, resp, body, http.StatusOK)
}

// TestIgnorePublicAcls: public ACLs grant nothing while the flag is on, and again once it
// is off.
func TestIgnorePublicAcls(t *testing.T) {
	e := newAuthzEnv(t)
	e.aclBucket("bkt")
	e.put("bkt", "pub", []byte("x"), "X-Amz-Acl", "public-read")
	resp, body := e.anon(http.MethodGet, "/bkt/pub", nil)
	mustStatus(t, resp, body, http.StatusOK)
	e.putConfig("bkt", "publicAccessBlock", pabDoc(false, true, false, false))
	resp, body = e.anon(http.MethodGet, "/bkt/pub", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.as(e.bob, http.MethodGet, "/bkt/pub", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	// The ACL itself is kept and still reported.
	resp, body = e.do(http.MethodGet, "/bkt/pub?acl", nil)
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(string(body), groupAllUsers) {
		t.Errorf("GetObjectAcl: %s", body)
	}
	resp, body = e.do(http.MethodDelete, "/bkt?publicAccessBlock", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.anon(http.MethodGet, "/bkt/pub", nil)
	mustStatus(t, resp, body, http.StatusOK)
}

// TestRestrictPublicBuckets: while the policy is public and the flag on, the policy serves
// only the account's principals and service principals.
func TestRestrictPublicBuckets(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "a", []byte("a"))
	public := stmt("Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, "")
	e.putPolicy("bkt", public)
	e.putConfig("bkt", "publicAccessBlock", pabDoc(false, false, false, true))
	resp, body := e.anon(http.MethodGet, "/bkt/a", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.as(e.oai, http.MethodGet, "/bkt/a", nil) // another account's identity
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.as(e.bob, http.MethodGet, "/bkt/a", nil) // a user of the account
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.as(e.cloudfront, http.MethodGet, "/bkt/a", nil) // a service principal
	mustStatus(t, resp, body, http.StatusOK)

	// A policy that is not public is not restricted: the OAI's own grant works.
	e.putPolicy("bkt", stmt("Allow", `{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity `+seedOAI+`"}`,
		`"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""))
	resp, body = e.as(e.oai, http.MethodGet, "/bkt/a", nil)
	mustStatus(t, resp, body, http.StatusOK)

	e.putPolicy("bkt", public)
	e.putConfig("bkt", "publicAccessBlock", pabDoc(false, false, false, false))
	resp, body = e.anon(http.MethodGet, "/bkt/a", nil)
	mustStatus(t, resp, body, http.StatusOK)
}

// TestBlockPublicPolicy: a public policy is refused, a non-public one accepted.
func TestBlockPublicPolicy(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.putConfig("bkt", "publicAccessBlock", pabDoc(false, false, true, false))
	for _, doc := range []string{
		stmt("Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""),
		stmt("Allow", `{"AWS":"*"}`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""),
		stmt("Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}`),
	} {
		resp, body := e.do(http.MethodPut, "/bkt?policy", []byte(doc))
		mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	}
	resp, body := e.do(http.MethodGet, "/bkt?policy", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucketPolicy")
	e.putPolicy("bkt", stmt("Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`))
	e.putPolicy("bkt", stmt("Deny", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""))
}
