package s3api

import (
	"context"
	"crypto/md5"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

func TestEveryAnswerCarriesRequestIDs(t *testing.T) {
	e := newTestEnv(t)
	seen := map[string]bool{}
	for _, path := range []string{"/", "/nosuchbucket", "/nosuchbucket/key"} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			resp, _ := e.do(method, path, nil)
			id := resp.Header.Get("X-Amz-Request-Id")
			if !regexp.MustCompile(`^[0-9A-F]{16}$`).MatchString(id) {
				t.Errorf("%s %s: x-amz-request-id %q", method, path, id)
			}
			if seen[id] {
				t.Errorf("request id %s repeated", id)
			}
			seen[id] = true
			if resp.Header.Get("X-Amz-Id-2") == "" {
				t.Errorf("%s %s: no x-amz-id-2", method, path)
			}
			if resp.Header.Get("Server") != "imgcdn" {
				t.Errorf("%s %s: Server %q", method, path, resp.Header.Get("Server"))
			}
		}
	}
}

func TestCreateBucketLocationConstraintRules(t *testing.T) {
	conf := func(lc string) []byte {
		return []byte(`<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>` + lc + `</LocationConstraint></CreateBucketConfiguration>`)
	}
	tests := []struct {
		name, signedFor string
		body            []byte
		status          int
		code            string
		region          string // the bucket's region when created
	}{
		{"no-config", "us-east-1", nil, 200, "", "us-east-1"},
		{"empty-constraint", "us-east-1", conf(""), 200, "", "us-east-1"},
		{"explicit-us-east-1", "us-east-1", conf("us-east-1"), 400, "InvalidLocationConstraint", ""},
		{"west-from-global", "us-east-1", conf("us-west-2"), 200, "", "us-west-2"},
		{"west-from-west", "us-west-2", conf("us-west-2"), 200, "", "us-west-2"},
		{"none-from-west", "us-west-2", nil, 400, "IllegalLocationConstraintException", ""},
		{"eu-from-west", "us-west-2", conf("eu-west-1"), 400, "IllegalLocationConstraintException", ""},
		{"garbage-constraint", "us-east-1", conf("Mars Base 1"), 400, "InvalidLocationConstraint", ""},
		{"malformed-xml", "us-east-1", []byte("<CreateBucketConfiguration><LocationConstraint>"), 400, "MalformedXML", ""},
		{"wrong-root", "us-east-1", []byte("<Delete></Delete>"), 400, "MalformedXML", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.region = tc.signedFor
			resp, body := e.do(http.MethodPut, "/bucket-"+tc.name, tc.body)
			if tc.code != "" {
				mustError(t, resp, body, tc.status, tc.code)
				if _, err := e.store.GetBucket(context.Background(), "bucket-"+tc.name); err == nil {
					t.Fatal("bucket created despite the error")
				}
				return
			}
			mustStatus(t, resp, body, tc.status)
			wantLoc := "/bucket-" + tc.name
			if tc.region != "us-east-1" {
				wantLoc = e.ts.URL + "/bucket-" + tc.name + "/"
			}
			if got := resp.Header.Get("Location"); got != wantLoc {
				t.Errorf("Location %q, want %q", got, wantLoc)
			}
			b, err := e.store.GetBucket(context.Background(), "bucket-"+tc.name)
			if err != nil || b.Region != tc.region {
				t.Fatalf("stored bucket %+v, %v; want region %s", b, err, tc.region)
			}
			// HeadBucket and GetBucketLocation report the region.
			resp, _ = e.do(http.MethodHead, "/bucket-"+tc.name, nil)
			if resp.StatusCode != 200 || resp.Header.Get("X-Amz-Bucket-Region") != tc.region {
				t.Errorf("HeadBucket: %d region %q", resp.StatusCode, resp.Header.Get("X-Amz-Bucket-Region"))
			}
			resp, body = e.do(http.MethodGet, "/bucket-"+tc.name+"?location", nil)
			mustStatus(t, resp, body, 200)
			var lc struct {
				XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
				Value   string   `xml:",chardata"`
			}
			if err := xml.Unmarshal(body, &lc); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			want := tc.region
			if want == "us-east-1" {
				want = "" // GetBucketLocation answers null for us-east-1
			}
			if lc.Value != want {
				t.Errorf("LocationConstraint %q, want %q", lc.Value, want)
			}
		})
	}
}

func TestCreateBucketTwice(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("in-virginia")
	// AWS's legacy behaviour in us-east-1: re-creating your own bucket is 200 OK.
	e.createBucket("in-virginia")
	west := []byte(`<CreateBucketConfiguration><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>`)
	resp, body := e.do(http.MethodPut, "/in-oregon", west)
	mustStatus(t, resp, body, 200)
	resp, body = e.do(http.MethodPut, "/in-oregon", west)
	d := mustError(t, resp, body, http.StatusConflict, "BucketAlreadyOwnedByYou")
	if d.Bucket != "in-oregon" || d.Resource != "/in-oregon" {
		t.Errorf("error details %+v", d)
	}
	// Re-creating the us-east-1 bucket from another region is not the legacy case either.
	e.region = "us-west-2"
	resp, body = e.do(http.MethodPut, "/in-virginia", west)
	mustError(t, resp, body, http.StatusConflict, "BucketAlreadyOwnedByYou")
}

func TestCreateBucketRefusals(t *testing.T) {
	e := newTestEnv(t)
	for _, name := range []string{"ab", "Upper", "under_score", "-dash", "dots..dots", "192.168.5.4", "xn--punycode", "name-s3alias"} {
		resp, body := e.do(http.MethodPut, "/"+name, nil)
		d := mustError(t, resp, body, http.StatusBadRequest, "InvalidBucketName")
		if d.Bucket != name {
			t.Errorf("%s: BucketName %q", name, d.Bucket)
		}
	}
	resp, body := e.do(http.MethodPut, "/locked", nil, "X-Amz-Bucket-Object-Lock-Enabled", "true")
	mustError(t, resp, body, http.StatusNotImplemented, "NotImplemented")
	resp, body = e.do(http.MethodPut, "/public", nil, "X-Amz-Acl", "public-read")
	mustError(t, resp, body, http.StatusBadRequest, "InvalidBucketAclWithObjectOwnership")
	resp, body = e.do(http.MethodPut, "/private", nil, "X-Amz-Acl", "private")
	mustStatus(t, resp, body, 200)
}

func TestHeadAndDeleteBucket(t *testing.T) {
	e := newTestEnv(t)
	resp, body := e.do(http.MethodHead, "/missing", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
	resp, body = e.do(http.MethodDelete, "/missing", nil)
	d := mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
	if d.Bucket != "missing" {
		t.Errorf("BucketName %q", d.Bucket)
	}

	e.createBucket("full")
	if _, err := e.store.PutObject(context.Background(), objstore.PutInput{
		Bucket: "full", Key: "k", Body: strings.NewReader("x"), Size: 1,
	}); err != nil {
		t.Fatal(err)
	}
	resp, body = e.do(http.MethodDelete, "/full", nil)
	mustError(t, resp, body, http.StatusConflict, "BucketNotEmpty")

	e.createBucket("empty")
	resp, body = e.do(http.MethodDelete, "/empty", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.do(http.MethodHead, "/empty", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
}

func TestListBuckets(t *testing.T) {
	e := newTestEnv(t)
	resp, body := e.do(http.MethodGet, "/", nil)
	mustStatus(t, resp, body, 200)
	if !strings.Contains(string(body), "<Buckets></Buckets>") {
		t.Errorf("empty listing lacks <Buckets></Buckets>: %s", body)
	}
	for _, b := range []string{"alpha", "beta", "bravo", "charlie"} {
		e.createBucket(b)
	}
	type result struct {
		Buckets []struct {
			Name, CreationDate, BucketRegion string
		} `xml:"Buckets>Bucket"`
		Owner             struct{ ID, DisplayName string }
		ContinuationToken string
		Prefix            string
	}
	list := func(query string) result {
		resp, body := e.do(http.MethodGet, "/"+query, nil)
		mustStatus(t, resp, body, 200)
		var r result
		if err := xml.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	names := func(r result) string {
		var s []string
		for _, b := range r.Buckets {
			s = append(s, b.Name)
		}
		return strings.Join(s, ",")
	}
	r := list("")
	if names(r) != "alpha,beta,bravo,charlie" || r.Owner.ID != testOwner.CanonicalID || r.Owner.DisplayName != "imgcdn" {
		t.Fatalf("listing %+v", r)
	}
	if r.Buckets[0].BucketRegion != "us-east-1" || !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(r.Buckets[0].CreationDate) {
		t.Errorf("bucket entry %+v", r.Buckets[0])
	}
	r = list("?prefix=b")
	if names(r) != "beta,bravo" || r.Prefix != "b" {
		t.Errorf("prefix listing %+v", r)
	}
	r = list("?max-buckets=3")
	if names(r) != "alpha,beta,bravo" || r.ContinuationToken == "" {
		t.Fatalf("first page %+v", r)
	}
	r = list("?max-buckets=3&continuation-token=" + r.ContinuationToken)
	if names(r) != "charlie" || r.ContinuationToken != "" {
		t.Errorf("second page %+v", r)
	}
	resp, body = e.do(http.MethodGet, "/?max-buckets=0", nil)
	mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
}

func TestAuthenticationErrors(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("photos")

	// Anonymous requests are refused until policies exist.
	resp, body := e.send(e.req(http.MethodGet, "/photos", nil))
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")

	// A wrong secret: SignatureDoesNotMatch with the server's StringToSign.
	r := e.req(http.MethodGet, "/photos", nil)
	e.sign(r, nil)
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Signature=", "Signature=00", 1)[:len(r.Header.Get("Authorization"))])
	resp, body = e.send(r)
	mustError(t, resp, body, http.StatusForbidden, "SignatureDoesNotMatch")
	var sig struct{ StringToSign, CanonicalRequest, AWSAccessKeyId string }
	if err := xml.Unmarshal(body, &sig); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sig.StringToSign, "AWS4-HMAC-SHA256\n") || !strings.HasPrefix(sig.CanonicalRequest, "GET\n/photos\n") ||
		sig.AWSAccessKeyId != testAccessKey {
		t.Errorf("SignatureDoesNotMatch lacks the server's strings: %s", body)
	}

	// An unknown access key.
	r = e.req(http.MethodGet, "/photos", nil)
	e.sign(r, nil)
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), testAccessKey, "AKIAUNKNOWNUNKNOWN00", 1))
	resp, body = e.send(r)
	mustError(t, resp, body, http.StatusForbidden, "InvalidAccessKeyId")

	// A custom Authorizer sees the classified operation and can refuse it.
	var seen AuthzRequest
	e2 := newTestEnv(t, func(c *Config) {
		c.Authorizer = AuthorizerFunc(func(_ context.Context, req AuthzRequest) error {
			seen = req
			return ErrAccessDenied
		})
	})
	resp, body = e2.do(http.MethodGet, "/photos/a%2Fb.jpg?versionId=v1", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	if seen.Op != OpGetObject || seen.Action != "s3:GetObjectVersion" || seen.Bucket != "photos" || seen.Key != "a/b.jpg" ||
		seen.VersionID != "v1" || seen.Auth == nil || seen.Auth.AccessKey != testAccessKey || !seen.Principal.Root {
		t.Errorf("authorizer saw %+v", seen)
	}
}

func TestUnimplementedOperationsAnswer501(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("photos")
	for _, c := range []struct{ method, target string }{
		{http.MethodPut, "/photos?lifecycle"},
		{http.MethodGet, "/photos?cors"},
		{http.MethodDelete, "/photos?website"},
		{http.MethodGet, "/photos?replication"},
		{http.MethodPost, "/photos/k?restore"},
		{http.MethodPut, "/photos/k?tagging"},
	} {
		resp, body := e.do(c.method, c.target, nil)
		d := mustError(t, resp, body, http.StatusNotImplemented, "NotImplemented")
		if !strings.Contains(d.Message, "not implemented") {
			t.Errorf("%s %s: message %q", c.method, c.target, d.Message)
		}
	}
}

func TestVirtualHostedStyle(t *testing.T) {
	e := newTestEnv(t)
	r := e.req(http.MethodPut, "/", nil)
	r.Host = "vhosted.s3.localhost"
	resp, body := e.send(e.sign(r, nil))
	mustStatus(t, resp, body, 200)
	if _, err := e.store.GetBucket(context.Background(), "vhosted"); err != nil {
		t.Fatal(err)
	}
	r = e.req(http.MethodHead, "/", nil)
	r.Host = "vhosted.s3.localhost:9000"
	resp, _ = e.send(e.sign(r, nil))
	if resp.StatusCode != 200 {
		t.Fatalf("HeadBucket by host: %d", resp.StatusCode)
	}
}

func TestXMLBodyIntegrityAndSize(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxXMLBodySize = 200 })
	conf := []byte(`<CreateBucketConfiguration><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>`)
	wrong := md5.Sum([]byte("other"))
	resp, body := e.do(http.MethodPut, "/md5-bucket", conf, "Content-MD5", b64(wrong[:]))
	mustError(t, resp, body, http.StatusBadRequest, "BadDigest")
	resp, body = e.do(http.MethodPut, "/crc-bucket", conf, "X-Amz-Checksum-Crc32", crc32b64([]byte("other")))
	mustError(t, resp, body, http.StatusBadRequest, "BadDigest")
	right := md5.Sum(conf)
	resp, body = e.do(http.MethodPut, "/md5-bucket", conf, "Content-MD5", b64(right[:]))
	mustStatus(t, resp, body, http.StatusOK)
	big := []byte(`<CreateBucketConfiguration><LocationConstraint>` + strings.Repeat(" ", 200) + `</LocationConstraint></CreateBucketConfiguration>`)
	resp, body = e.do(http.MethodPut, "/big-bucket", big)
	mustError(t, resp, body, http.StatusBadRequest, "MaxMessageLengthExceeded")

	// On CompleteMultipartUpload a Content-MD5 covers the body; x-amz-checksum-* does not.
	e.createBucket("bkt")
	id := e.createUpload("bkt", "k")
	etag := e.uploadPart("bkt", "k", id, 1, []byte("x"))
	done := completeBody([]string{etag}, nil)
	resp, body = e.do(http.MethodPost, "/bkt/k?uploadId="+id, done, "Content-MD5", b64(wrong[:]))
	mustError(t, resp, body, http.StatusBadRequest, "BadDigest")
	sum := md5.Sum(done)
	resp, body = e.do(http.MethodPost, "/bkt/k?uploadId="+id, done, "Content-MD5", b64(sum[:]))
	mustStatus(t, resp, body, http.StatusOK)
}

func TestACLsAreOwnerOnly(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "k", []byte("x"))
	type acl struct {
		Owner struct{ ID, DisplayName string }
		Grant []struct {
			Grantee struct {
				Type string `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
				ID   string
			}
			Permission string
		} `xml:"AccessControlList>Grant"`
	}
	for _, path := range []string{"/bkt?acl", "/bkt/k?acl"} {
		resp, body := e.do(http.MethodGet, path, nil)
		mustStatus(t, resp, body, 200)
		var a acl
		if err := xml.Unmarshal(body, &a); err != nil {
			t.Fatal(err)
		}
		if a.Owner.ID != testOwner.CanonicalID || len(a.Grant) != 1 || a.Grant[0].Permission != "FULL_CONTROL" ||
			a.Grant[0].Grantee.ID != testOwner.CanonicalID || a.Grant[0].Grantee.Type != "CanonicalUser" {
			t.Errorf("%s: %+v", path, a)
		}
	}
	resp, body := e.do(http.MethodGet, "/bkt/missing?acl", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchKey")
	resp, body = e.do(http.MethodGet, "/bkt?versioning", nil)
	mustStatus(t, resp, body, 200)
	if !strings.Contains(string(body), "<VersioningConfiguration") || strings.Contains(string(body), "<Status>") {
		t.Errorf("GetBucketVersioning %s", body)
	}
}
