package s3api

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/imgcdn/imgcdn/internal/policy"
)

func TestBucketPolicyOperations(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	resp, body := e.do(http.MethodGet, "/bkt?policy", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucketPolicy")
	resp, body = e.do(http.MethodGet, "/bkt?policyStatus", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucketPolicy")

	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": " + bobARN +
		", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bkt/*\"}]\n}"
	e.putPolicy("bkt", doc)
	resp, body = e.do(http.MethodGet, "/bkt?policy", nil)
	mustStatus(t, resp, body, http.StatusOK)
	if string(body) != doc || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("GetBucketPolicy: %q %v", body, resp.Header)
	}
	resp, body = e.do(http.MethodGet, "/bkt?policyStatus", nil)
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(string(body), "<IsPublic>false</IsPublic>") {
		t.Errorf("GetBucketPolicyStatus: %s", body)
	}
	resp, _ = e.do(http.MethodHead, "/bkt?policy", nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("HEAD with ?policy is HeadBucket: %d", resp.StatusCode)
	}
	resp, body = e.do(http.MethodDelete, "/bkt?policy", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.do(http.MethodDelete, "/bkt?policy", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.do(http.MethodGet, "/bkt?policy", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucketPolicy")
	resp, body = e.do(http.MethodPut, "/missing?policy", []byte(doc))
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
}

// TestMalformedPolicy: S3's MalformedPolicy, with the parser's explanation, for documents it
// refuses; nothing is stored.
func TestMalformedPolicy(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	for _, c := range []struct{ name, doc, msg string }{
		{"empty", "", "first byte must be '{'"},
		{"not JSON", "Allow everyone", "first byte must be '{'"},
		{"broken JSON", `{"Statement": [`, "not valid JSON"},
		{"unknown element", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Colour":"red"}]}`, "Colour"},
		{"unknown action", stmt("Allow", `"*"`, `"s3:GetEverything"`, `"arn:aws:s3:::bkt/*"`, ""), "invalid action"},
		{"another service", stmt("Allow", `"*"`, `"ec2:RunInstances"`, `"arn:aws:s3:::bkt/*"`, ""), "invalid action"},
		{"another bucket", stmt("Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::other/*"`, ""), "invalid resource"},
		{"action does not fit", stmt("Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt"`, ""), "Action does not apply"},
		{"bad condition key", stmt("Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"StringEquals":{"aws:Mood":"good"}}`), "condition key"},
		{"too large", `{"Statement":[{"Sid":"` + strings.Repeat("x", policy.MaxBodySize) + `"}]}`, "maximum allowed document size"},
	} {
		resp, body := e.do(http.MethodPut, "/bkt?policy", []byte(c.doc))
		d := mustError(t, resp, body, http.StatusBadRequest, "MalformedPolicy")
		if !strings.Contains(d.Message, c.msg) {
			t.Errorf("%s: message %q, want it to mention %q", c.name, d.Message, c.msg)
		}
	}
	resp, body := e.do(http.MethodGet, "/bkt?policy", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucketPolicy")
}

// TestPolicyIsParsedOncePerChange: requests reuse the parsed policy; a new policy is seen by
// the next request; a deleted bucket's parsed settings are dropped.
func TestPolicyIsParsedOncePerChange(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "k", []byte("x"))
	e.putPolicy("bkt", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""))
	entry := func() *configEntry {
		e.srv.configs.mu.RLock()
		defer e.srv.configs.mu.RUnlock()
		return e.srv.configs.entries[configKey{"bkt", configPolicy}]
	}
	first := entry()
	if first == nil {
		t.Fatal("PutBucketPolicy did not prime the cache")
	}
	for i := 0; i < 3; i++ {
		resp, body := e.as(e.bob, http.MethodGet, "/bkt/k", nil)
		mustStatus(t, resp, body, http.StatusOK)
	}
	if entry() != first {
		t.Error("the policy was parsed again without changing")
	}
	// A policy written behind the server's back (another server on the same store) is
	// picked up too.
	raw := []byte(stmt("Deny", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""))
	if err := e.store.PutBucketConfig(context.Background(), "bkt", configPolicy, raw); err != nil {
		t.Fatal(err)
	}
	resp, body := e.as(e.bob, http.MethodGet, "/bkt/k", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	if got := entry(); got == first || !bytes.Equal(got.raw, raw) {
		t.Error("the changed policy did not replace the cached one")
	}
	resp, body = e.do(http.MethodDelete, "/bkt/k", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.do(http.MethodDelete, "/bkt", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	if entry() != nil {
		t.Error("DeleteBucket left the parsed policy cached")
	}
	// A new bucket of the same name starts without a policy.
	e.createBucket("bkt")
	resp, body = e.do(http.MethodGet, "/bkt?policy", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucketPolicy")
}

// TestServicePrincipal: a key acting as cloudfront.amazonaws.com (origin access control) is
// granted by a {"Service": ...} principal, and by nothing that names accounts or users.
func TestServicePrincipal(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "a", []byte("a"))
	e.putPolicy("bkt", stmt("Allow", `{"AWS":"123456789012"}`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""))
	resp, body := e.as(e.cloudfront, http.MethodGet, "/bkt/a", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	e.putPolicy("bkt", stmt("Allow", `{"Service":"cloudfront.amazonaws.com"}`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`,
		`{"Bool":{"aws:PrincipalIsAWSService":"true"}}`))
	resp, body = e.as(e.cloudfront, http.MethodGet, "/bkt/a", nil)
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.as(e.oai, http.MethodGet, "/bkt/a", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.anon(http.MethodGet, "/bkt/a", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
}

// TestPolicyChangesUnderLoad: reads racing policy changes see one policy or the other,
// never an error (run with -race to check the cache and the pooled request contexts).
func TestPolicyChangesUnderLoad(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "k", []byte("x"))
	allow := stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, "")
	deny := stmt("Deny", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, "")
	e.putPolicy("bkt", allow)
	done := make(chan struct{})
	errs := make(chan string, 64)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				r := e.req(http.MethodGet, "/bkt/k", nil)
				e.signAs(r, nil, e.bob.accessKey, e.bob.secret)
				resp, err := e.client.Do(r)
				if err != nil {
					errs <- err.Error()
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusForbidden {
					errs <- resp.Status
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		doc := allow
		if i%2 == 0 {
			doc = deny
		}
		e.putPolicy("bkt", doc)
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	resp, body := e.as(e.bob, http.MethodGet, "/bkt/k", nil)
	mustStatus(t, resp, body, http.StatusOK) // the last policy written allows
}
