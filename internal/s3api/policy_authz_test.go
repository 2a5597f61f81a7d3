package s3api

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// stmt is a policy of one statement on bucket bkt.
func stmt(effect, principal, action, resource, cond string) string {
	s := `{"Version":"2012-10-17","Statement":[{"Effect":"` + effect + `","Principal":` + principal +
		`,"Action":` + action + `,"Resource":` + resource
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + `}]}`
}

const bobARN = `{"AWS":"arn:aws:iam::123456789012:user/bob"}`

// TestExplicitDenyBeatsRoot: the account root is allowed everything except what the bucket
// policy explicitly denies it, and may always manage the policy itself.
func TestExplicitDenyBeatsRoot(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "secret/a", []byte("s"))
	e.put("bkt", "open/b", []byte("o"))
	e.putPolicy("bkt", stmt("Deny", `"*"`, `["s3:GetObject","s3:PutBucketPolicy","s3:DeleteBucketPolicy","s3:GetBucketPolicy"]`,
		`["arn:aws:s3:::bkt/secret/*","arn:aws:s3:::bkt"]`, ""))
	resp, body := e.do(http.MethodGet, "/bkt/secret/a", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.do(http.MethodGet, "/bkt/open/b", nil)
	mustStatus(t, resp, body, http.StatusOK)
	// "the root principal of the bucket owner's account can perform the GetBucketPolicy,
	// PutBucketPolicy, and DeleteBucketPolicy API actions, even if their bucket policy
	// explicitly denies the root principal's access".
	resp, body = e.do(http.MethodGet, "/bkt?policy", nil)
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.do(http.MethodDelete, "/bkt?policy", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.do(http.MethodGet, "/bkt/secret/a", nil)
	mustStatus(t, resp, body, http.StatusOK)
}

// TestPolicyGrants covers what a policy grants a user of the account, and the keys of the
// request context its conditions see.
func TestPolicyGrants(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "pub/a", []byte("a"))
	e.put("bkt", "priv/b", []byte("b"))
	cases := []struct {
		name, policy string
		method, path string
		hdr          []string
		want         int
	}{
		{"no policy", "", "GET", "/bkt/pub/a", nil, 403},
		{"GetObject on a prefix", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/pub/*"`, ""), "GET", "/bkt/pub/a", nil, 200},
		{"GetObject outside the prefix", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/pub/*"`, ""), "GET", "/bkt/priv/b", nil, 403},
		{"HEAD is GetObject", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""), "HEAD", "/bkt/pub/a", nil, 200},
		{"wildcard action", stmt("Allow", bobARN, `"s3:Get*"`, `"arn:aws:s3:::bkt/*"`, ""), "GET", "/bkt/priv/b", nil, 200},
		{"account principal", stmt("Allow", `{"AWS":"123456789012"}`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""), "GET", "/bkt/pub/a", nil, 200},
		{"other user", stmt("Allow", `{"AWS":"arn:aws:iam::123456789012:user/alice"}`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""), "GET", "/bkt/pub/a", nil, 403},
		{"deny beats allow", `{"Statement":[` +
			`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bkt/*"},` +
			`{"Effect":"Deny","Principal":` + bobARN + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/priv/*"}]}`,
			"GET", "/bkt/priv/b", nil, 403},
		{"ListBucket", stmt("Allow", bobARN, `"s3:ListBucket"`, `"arn:aws:s3:::bkt"`, ""), "GET", "/bkt?list-type=2", nil, 200},
		{"ListBucket needs the bucket ARN", stmt("Allow", bobARN, `"s3:ListBucket"`, `["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"]`, ""),
			"GET", "/bkt?versions", nil, 403},
		{"s3:prefix matches", stmt("Allow", bobARN, `"s3:ListBucket"`, `"arn:aws:s3:::bkt"`, `{"StringEquals":{"s3:prefix":"pub/"}}`),
			"GET", "/bkt?list-type=2&prefix=pub/", nil, 200},
		{"s3:prefix differs", stmt("Allow", bobARN, `"s3:ListBucket"`, `"arn:aws:s3:::bkt"`, `{"StringEquals":{"s3:prefix":"pub/"}}`),
			"GET", "/bkt?list-type=2&prefix=priv/", nil, 403},
		{"s3:prefix absent", stmt("Allow", bobARN, `"s3:ListBucket"`, `"arn:aws:s3:::bkt"`, `{"StringEquals":{"s3:prefix":"pub/"}}`),
			"GET", "/bkt?list-type=2", nil, 403},
		{"s3:max-keys", stmt("Allow", bobARN, `"s3:ListBucket"`, `"arn:aws:s3:::bkt"`, `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`),
			"GET", "/bkt?list-type=2&max-keys=10", nil, 200},
		{"aws:SourceIp in range", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}`),
			"GET", "/bkt/pub/a", nil, 200},
		{"aws:SourceIp out of range", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`),
			"GET", "/bkt/pub/a", nil, 403},
		{"X-Forwarded-For is not trusted", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`),
			"GET", "/bkt/pub/a", []string{"X-Forwarded-For", "203.0.113.7"}, 403},
		{"aws:SecureTransport false", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"Bool":{"aws:SecureTransport":"true"}}`),
			"GET", "/bkt/pub/a", nil, 403},
		{"aws:UserAgent", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"StringLike":{"aws:UserAgent":"imgcdn-edge/*"}}`),
			"GET", "/bkt/pub/a", []string{"User-Agent", "imgcdn-edge/1.0"}, 200},
		{"aws:Referer", stmt("Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"StringLike":{"aws:Referer":"https://example.com/*"}}`),
			"GET", "/bkt/pub/a", []string{"Referer", "https://example.org/"}, 403},
		{"aws:PrincipalArn", stmt("Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/bob"}}`),
			"GET", "/bkt/pub/a", nil, 200},
		{"aws:CurrentTime", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`),
			"GET", "/bkt/pub/a", nil, 200},
		{"aws:EpochTime", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"DateLessThan":{"aws:EpochTime":"1577836800"}}`),
			"GET", "/bkt/pub/a", nil, 403},
		{"s3:authType", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"StringEquals":{"s3:authType":"REST-HEADER","s3:signatureversion":"AWS4-HMAC-SHA256"}}`),
			"GET", "/bkt/pub/a", nil, 200},
		{"GetObject does not grant a version", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""),
			"GET", "/bkt/pub/a?versionId=null", nil, 403},
		{"GetObjectVersion grants it", stmt("Allow", bobARN, `"s3:GetObjectVersion"`, `"arn:aws:s3:::bkt/*"`, ""),
			"GET", "/bkt/pub/a?versionId=null", nil, 200},
		{"PutObject", stmt("Allow", bobARN, `"s3:PutObject"`, `"arn:aws:s3:::bkt/up/*"`, ""), "PUT", "/bkt/up/new", nil, 200},
		{"encrypted uploads only: refused", stmt("Allow", bobARN, `"s3:PutObject"`, `"arn:aws:s3:::bkt/up/*"`, `{"StringEquals":{"s3:x-amz-server-side-encryption":"AES256"}}`),
			"PUT", "/bkt/up/new", nil, 403},
		{"encrypted uploads only: accepted", stmt("Allow", bobARN, `"s3:PutObject"`, `"arn:aws:s3:::bkt/up/*"`, `{"StringEquals":{"s3:x-amz-server-side-encryption":"AES256"}}`),
			"PUT", "/bkt/up/new", []string{"X-Amz-Server-Side-Encryption", "AES256"}, 200},
		{"copy needs GetObject on the source", stmt("Allow", bobARN, `"s3:PutObject"`, `"arn:aws:s3:::bkt/up/*"`, ""),
			"PUT", "/bkt/up/copy", []string{"X-Amz-Copy-Source", "/bkt/pub/a"}, 403},
		{"copy with GetObject on the source", stmt("Allow", bobARN, `["s3:PutObject","s3:GetObject"]`, `["arn:aws:s3:::bkt/up/*","arn:aws:s3:::bkt/pub/*"]`, ""),
			"PUT", "/bkt/up/copy", []string{"X-Amz-Copy-Source", "/bkt/pub/a"}, 200},
		{"NotPrincipal", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},` +
			`{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::123456789012:root","arn:aws:iam::123456789012:user/alice"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}]}`,
			"GET", "/bkt/pub/a", nil, 403},
		{"authorized but not implemented", stmt("Allow", bobARN, `"s3:*"`, `"arn:aws:s3:::bkt/*"`, ""), "DELETE", "/bkt/priv/b?tagging", nil, 501},
		{"NotAction allows the others", `{"Statement":[{"Effect":"Allow","Principal":` + bobARN + `,"NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::bkt/*"}]}`,
			"GET", "/bkt/priv/b", nil, 200},
		{"NotAction excludes its own", `{"Statement":[{"Effect":"Allow","Principal":` + bobARN + `,"NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::bkt/*"}]}`,
			"DELETE", "/bkt/priv/b", nil, 403},
		{"NotResource", `{"Statement":[{"Effect":"Allow","Principal":` + bobARN + `,"Action":"s3:GetObject","NotResource":"arn:aws:s3:::bkt/priv/*"}]}`,
			"GET", "/bkt/priv/b", nil, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.policy == "" {
				resp, body := e.do(http.MethodDelete, "/bkt?policy", nil)
				mustStatus(t, resp, body, http.StatusNoContent)
			} else {
				e.putPolicy("bkt", tc.policy)
			}
			resp, body := e.as(e.bob, tc.method, tc.path, bodyFor(tc.method, tc.hdr), tc.hdr...)
			if resp.StatusCode != tc.want {
				t.Errorf("%s %s as bob: %d, want %d: %s", tc.method, tc.path, resp.StatusCode, tc.want, body)
			}
		})
	}
}

func bodyFor(method string, hdr []string) []byte {
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "X-Amz-Copy-Source" {
			return nil
		}
	}
	if method == http.MethodPut {
		return []byte("uploaded")
	}
	return nil
}

// TestTrustedProxies: with the proxy's network configured, aws:SourceIp is the client the
// proxy names in X-Forwarded-For.
func TestTrustedProxies(t *testing.T) {
	e := newAuthzEnv(t, func(c *Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	e.createBucket("bkt")
	e.put("bkt", "a", []byte("a"))
	e.putPolicy("bkt", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`))
	for _, tc := range []struct {
		xff  string
		want int
	}{
		{"", 403}, // the proxy itself
		{"203.0.113.7", 200},
		{"198.51.100.1, 203.0.113.7", 200}, // the nearest untrusted hop decides
		{"203.0.113.7, 198.51.100.1", 403},
		{"203.0.113.7, 127.0.0.5", 200}, // trusted hops are skipped
		{"not-an-ip", 403},
	} {
		var hdr []string
		if tc.xff != "" {
			hdr = []string{"X-Forwarded-For", tc.xff}
		}
		resp, body := e.as(e.bob, http.MethodGet, "/bkt/a", nil, hdr...)
		if resp.StatusCode != tc.want {
			t.Errorf("X-Forwarded-For %q: %d, want %d: %s", tc.xff, resp.StatusCode, tc.want, body)
		}
	}
}

// TestSecureTransportCondition: aws:SecureTransport is true over TLS.
func TestSecureTransportCondition(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "a", []byte("a"))
	e.putPolicy("bkt", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, `{"Bool":{"aws:SecureTransport":"true"},"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`))
	resp, _ := e.as(e.bob, http.MethodGet, "/bkt/a", nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("over HTTP: %d", resp.StatusCode)
	}
	ts := httptest.NewTLSServer(e.srv)
	defer ts.Close()
	r, _ := http.NewRequest(http.MethodGet, ts.URL+"/bkt/a", nil)
	e.signAs(r, nil, e.bob.accessKey, e.bob.secret)
	tlsResp, err := ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	tlsResp.Body.Close()
	if tlsResp.StatusCode != http.StatusOK {
		t.Errorf("over TLS: %d", tlsResp.StatusCode)
	}
}

// TestMissingThings: a caller who may not list learns nothing from 404s.
func TestMissingThings(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.putPolicy("bkt", stmt("Allow", bobARN, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`, ""))
	resp, body := e.as(e.bob, http.MethodGet, "/bkt/missing", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	e.putPolicy("bkt", stmt("Allow", bobARN, `["s3:GetObject","s3:ListBucket"]`, `["arn:aws:s3:::bkt/*","arn:aws:s3:::bkt"]`, ""))
	resp, body = e.as(e.bob, http.MethodGet, "/bkt/missing", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchKey")
	resp, body = e.as(e.bob, http.MethodGet, "/no-such-bucket/k", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.anon(http.MethodGet, "/no-such-bucket", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.do(http.MethodGet, "/no-such-bucket/k", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
	resp, body = e.as(e.bob, http.MethodGet, "/", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.as(e.bob, http.MethodPut, "/bobs-bucket", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
}

// TestDeleteObjectsKeyByKey: each key of a DeleteObjects is authorized on its own.
func TestDeleteObjectsKeyByKey(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "tmp/a", []byte("a"))
	e.put("bkt", "keep/b", []byte("b"))
	e.putPolicy("bkt", stmt("Allow", bobARN, `"s3:DeleteObject"`, `"arn:aws:s3:::bkt/tmp/*"`, ""))
	doc := `<Delete><Object><Key>tmp/a</Key></Object><Object><Key>keep/b</Key></Object><Object><Key>tmp/a</Key><VersionId>null</VersionId></Object></Delete>`
	resp, body := e.as(e.bob, http.MethodPost, "/bkt?delete", []byte(doc), "Content-Md5", md5b64(doc))
	mustStatus(t, resp, body, http.StatusOK)
	var res struct {
		Deleted []struct{ Key string }
		Error   []struct{ Key, VersionId, Code string }
	}
	if err := xml.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Deleted) != 1 || res.Deleted[0].Key != "tmp/a" || len(res.Error) != 2 ||
		res.Error[0].Key != "keep/b" || res.Error[0].Code != "AccessDenied" ||
		res.Error[1].VersionId != "null" || res.Error[1].Code != "AccessDenied" {
		t.Errorf("DeleteObjects: %s", body)
	}
	resp, _ = e.do(http.MethodHead, "/bkt/keep/b", nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("keep/b was deleted")
	}
	if !strings.Contains(string(body), "<Deleted><Key>tmp/a</Key></Deleted>") {
		t.Errorf("DeleteObjects: %s", body)
	}
}
