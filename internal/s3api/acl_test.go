package s3api

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
)

// aclDoc is an AccessControlPolicy as clients parse it.
type aclDoc struct {
	Owner  struct{ ID string }
	Grants []struct {
		Grantee struct {
			Type string `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
			ID   string
			URI  string
		}
		Permission string
	} `xml:"AccessControlList>Grant"`
}

// grants renders an ACL answer as "type:who:PERMISSION" entries.
func grants(t *testing.T, body []byte) string {
	t.Helper()
	var d aclDoc
	if err := xml.Unmarshal(body, &d); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var out []string
	for _, g := range d.Grants {
		who := g.Grantee.ID
		if who == testOwner.CanonicalID {
			who = "owner"
		}
		if g.Grantee.URI != "" {
			who = g.Grantee.URI[strings.LastIndexByte(g.Grantee.URI, '/')+1:]
		}
		out = append(out, g.Grantee.Type+":"+who+":"+g.Permission)
	}
	return strings.Join(out, " ")
}

func aclPolicyBody(extra string) string {
	return `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>` + testOwner.CanonicalID + `</ID></Owner>` +
		`<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` +
		testOwner.CanonicalID + `</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>` + extra + `</AccessControlList></AccessControlPolicy>`
}

func groupGrant(uri, perm string) string {
	return `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>` + uri +
		`</URI></Grantee><Permission>` + perm + `</Permission></Grant>`
}

// TestACLsDisabledByDefault: new buckets have Object Ownership BucketOwnerEnforced, as on
// AWS since April 2023: ACLs other than the owner-only ones are refused, ACL reads work.
func TestACLsDisabledByDefault(t *testing.T) {
	e := newAuthzEnv(t)
	e.createBucket("bkt")
	resp, body := e.do(http.MethodGet, "/bkt?ownershipControls", nil)
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(string(body), "<ObjectOwnership>BucketOwnerEnforced</ObjectOwnership>") {
		t.Errorf("GetBucketOwnershipControls: %s", body)
	}
	resp, body = e.do(http.MethodPut, "/bkt/k", []byte("x"), "X-Amz-Acl", "public-read")
	mustError(t, resp, body, http.StatusBadRequest, "AccessControlListNotSupported")
	resp, body = e.do(http.MethodPut, "/bkt/k", []byte("x"), "X-Amz-Grant-Read", `uri="`+groupAllUsers+`"`)
	mustError(t, resp, body, http.StatusBadRequest, "AccessControlListNotSupported")
	e.put("bkt", "k", []byte("x"), "X-Amz-Acl", "bucket-owner-full-control")
	resp, body = e.do(http.MethodPut, "/bkt?acl", nil, "X-Amz-Acl", "public-read")
	mustError(t, resp, body, http.StatusBadRequest, "AccessControlListNotSupported")
	resp, body = e.do(http.MethodPut, "/bkt/k?acl", nil, "X-Amz-Acl", "public-read")
	mustError(t, resp, body, http.StatusBadRequest, "AccessControlListNotSupported")
	resp, body = e.do(http.MethodPut, "/bkt/k?acl", nil, "X-Amz-Acl", "private")
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.do(http.MethodPut, "/acl-bucket", nil, "X-Amz-Acl", "public-read")
	mustError(t, resp, body, http.StatusBadRequest, "InvalidBucketAclWithObjectOwnership")
	resp, body = e.do(http.MethodPut, "/acl-bucket", nil, "X-Amz-Object-Ownership", "Nobody")
	mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
	for _, p := range []string{"/bkt?acl", "/bkt/k?acl"} {
		resp, body = e.do(http.MethodGet, p, nil)
		mustStatus(t, resp, body, http.StatusOK)
		if g := grants(t, body); g != "CanonicalUser:owner:FULL_CONTROL" {
			t.Errorf("GET %s: %s", p, g)
		}
	}
}

// TestCannedACLGrants: with ACLs enabled, canned ACLs grant what S3's table says to
// anonymous and authenticated callers, and GetBucketAcl/GetObjectAcl list the grants.
func TestCannedACLGrants(t *testing.T) {
	e := newAuthzEnv(t)
	resp, body := e.do(http.MethodPut, "/bkt", nil, "X-Amz-Object-Ownership", "ObjectWriter", "X-Amz-Acl", "public-read")
	mustStatus(t, resp, body, http.StatusOK)
	e.put("bkt", "pub", []byte("p"), "X-Amz-Acl", "public-read")
	e.put("bkt", "auth", []byte("a"), "X-Amz-Acl", "authenticated-read")
	e.put("bkt", "priv", []byte("s"))
	e.put("bkt", "owner", []byte("o"), "X-Amz-Acl", "bucket-owner-read")

	for _, c := range []struct {
		who          string
		method, path string
		want         int
	}{
		{"anon", "GET", "/bkt/pub", 200},
		{"anon", "HEAD", "/bkt/pub", 200},
		{"anon", "GET", "/bkt/auth", 403},
		{"bob", "GET", "/bkt/auth", 200},
		{"oai", "GET", "/bkt/auth", 200},
		{"anon", "GET", "/bkt/priv", 403},
		{"bob", "GET", "/bkt/owner", 403},
		{"anon", "GET", "/bkt?list-type=2", 200}, // the bucket's public-read
		{"anon", "GET", "/bkt/missing", 404},     // who may list learns what is missing
		{"anon", "PUT", "/bkt/new", 403},         // public-read does not grant WRITE
		{"anon", "GET", "/bkt/pub?acl", 403},     // nor READ_ACP
		{"anon", "GET", "/bkt?policy", 403},
	} {
		id := map[string]keyPair{"bob": e.bob, "oai": e.oai}[c.who]
		var body []byte
		if c.method == http.MethodPut {
			body = []byte("x")
		}
		var resp *http.Response
		var rb []byte
		if c.who == "anon" {
			resp, rb = e.anon(c.method, c.path, body)
		} else {
			resp, rb = e.as(id, c.method, c.path, body)
		}
		if resp.StatusCode != c.want {
			t.Errorf("%s %s as %s: %d, want %d: %s", c.method, c.path, c.who, resp.StatusCode, c.want, rb)
		}
	}
	for p, want := range map[string]string{
		"/bkt?acl":       "CanonicalUser:owner:FULL_CONTROL Group:AllUsers:READ",
		"/bkt/pub?acl":   "CanonicalUser:owner:FULL_CONTROL Group:AllUsers:READ",
		"/bkt/auth?acl":  "CanonicalUser:owner:FULL_CONTROL Group:AuthenticatedUsers:READ",
		"/bkt/priv?acl":  "CanonicalUser:owner:FULL_CONTROL",
		"/bkt/owner?acl": "CanonicalUser:owner:FULL_CONTROL",
	} {
		resp, body := e.do(http.MethodGet, p, nil)
		mustStatus(t, resp, body, http.StatusOK)
		if g := grants(t, body); g != want {
			t.Errorf("GET %s: %s, want %s", p, g, want)
		}
	}

	// public-read-write on the bucket lets anyone write (and not read objects).
	resp, body = e.do(http.MethodPut, "/bkt?acl", nil, "X-Amz-Acl", "public-read-write")
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.anon(http.MethodPut, "/bkt/new", []byte("x"))
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.anon(http.MethodGet, "/bkt/new", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.do(http.MethodPut, "/bkt?acl", nil, "X-Amz-Acl", "private")
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.anon(http.MethodGet, "/bkt?list-type=2", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.anon(http.MethodGet, "/bkt/missing", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")

	// PutObjectAcl changes one object's ACL in place.
	resp, body = e.do(http.MethodPut, "/bkt/priv?acl", nil, "X-Amz-Acl", "public-read")
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.anon(http.MethodGet, "/bkt/priv", nil)
	mustStatus(t, resp, body, http.StatusOK)

	// Disabling ACLs: refused while the bucket ACL is public, then every ACL stops counting.
	resp, body = e.do(http.MethodPut, "/bkt?acl", nil, "X-Amz-Acl", "authenticated-read")
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.do(http.MethodPut, "/bkt?ownershipControls", []byte(ownershipDoc("BucketOwnerEnforced")))
	mustError(t, resp, body, http.StatusBadRequest, "InvalidBucketAclWithObjectOwnership")
	resp, body = e.do(http.MethodPut, "/bkt?acl", nil, "X-Amz-Acl", "private")
	mustStatus(t, resp, body, http.StatusOK)
	e.putConfig("bkt", "ownershipControls", ownershipDoc("BucketOwnerEnforced"))
	resp, body = e.anon(http.MethodGet, "/bkt/pub", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.do(http.MethodGet, "/bkt/pub?acl", nil)
	mustStatus(t, resp, body, http.StatusOK)
	if g := grants(t, body); g != "CanonicalUser:owner:FULL_CONTROL" {
		t.Errorf("GetObjectAcl with ACLs disabled: %s", g)
	}
	// Deleting the ownership controls enables ACLs again (ObjectWriter behaviour).
	resp, body = e.do(http.MethodDelete, "/bkt?ownershipControls", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.do(http.MethodGet, "/bkt?ownershipControls", nil)
	mustError(t, resp, body, http.StatusNotFound, "OwnershipControlsNotFoundError")
	resp, body = e.anon(http.MethodGet, "/bkt/pub", nil)
	mustStatus(t, resp, body, http.StatusOK)
}

// TestAccessControlPolicyBody: PutBucketAcl/PutObjectAcl take an AccessControlPolicy that
// is equivalent to a canned ACL; other grants are answered clearly.
func TestAccessControlPolicyBody(t *testing.T) {
	e := newAuthzEnv(t)
	e.aclBucket("bkt")
	e.put("bkt", "k", []byte("x"))
	for _, c := range []struct {
		name, body string
		hdr        []string
		status     int
		code, want string
	}{
		{"public-read", aclPolicyBody(groupGrant(groupAllUsers, "READ")), nil, 200, "", "CanonicalUser:owner:FULL_CONTROL Group:AllUsers:READ"},
		{"authenticated-read", aclPolicyBody(groupGrant(groupAuthenticatedUsers, "READ")), nil, 200, "", "CanonicalUser:owner:FULL_CONTROL Group:AuthenticatedUsers:READ"},
		{"private", aclPolicyBody(""), nil, 200, "", "CanonicalUser:owner:FULL_CONTROL"},
		{"another account", aclPolicyBody(`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` +
			strings.Repeat("ab", 32) + `</ID></Grantee><Permission>READ</Permission></Grant>`), nil, 501, "NotImplemented", ""},
		{"log delivery", aclPolicyBody(groupGrant("http://acs.amazonaws.com/groups/s3/LogDelivery", "WRITE")), nil, 501, "NotImplemented", ""},
		{"AllUsers READ_ACP", aclPolicyBody(groupGrant(groupAllUsers, "READ_ACP")), nil, 501, "NotImplemented", ""},
		{"bad permission", aclPolicyBody(groupGrant(groupAllUsers, "EVERYTHING")), nil, 400, "MalformedACLError", ""},
		{"not XML", "<AccessControlPolicy", nil, 400, "MalformedACLError", ""},
		{"other owner", strings.Replace(aclPolicyBody(""), "<Owner><ID>"+testOwner.CanonicalID, "<Owner><ID>"+strings.Repeat("cd", 32), 1), nil, 400, "InvalidArgument", ""},
		{"header and body", aclPolicyBody(""), []string{"X-Amz-Acl", "private"}, 400, "UnexpectedContent", ""},
		{"neither", "", nil, 400, "MissingSecurityHeader", ""},
		{"bad canned", "", []string{"X-Amz-Acl", "world-writable"}, 400, "InvalidArgument", ""},
		{"explicit grant header", "", []string{"X-Amz-Grant-Read", "id=" + testOwner.CanonicalID}, 501, "NotImplemented", ""},
	} {
		for _, p := range []string{"/bkt?acl", "/bkt/k?acl"} {
			resp, body := e.do(http.MethodPut, p, []byte(c.body), c.hdr...)
			if c.code != "" {
				mustError(t, resp, body, c.status, c.code)
				continue
			}
			mustStatus(t, resp, body, c.status)
			resp, body = e.do(http.MethodGet, p, nil)
			if g := grants(t, body); g != c.want {
				t.Errorf("%s, then GET %s: %s, want %s", c.name, p, g, c.want)
			}
		}
	}
}

// TestObjectACLFollowsVersions: PutObjectAcl with a versionId changes that version only,
// and a multipart upload's ACL reaches the completed object.
func TestObjectACLFollowsVersions(t *testing.T) {
	e := newAuthzEnv(t)
	e.aclBucket("bkt")
	e.putConfig("bkt", "versioning", `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`)
	v1 := e.put("bkt", "k", []byte("one"), "X-Amz-Acl", "public-read").Header.Get("X-Amz-Version-Id")
	e.put("bkt", "k", []byte("two"))
	resp, body := e.anon(http.MethodGet, "/bkt/k", nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	e.putPolicy("bkt", stmt("Allow", `"*"`, `"s3:GetObjectVersion"`, `"arn:aws:s3:::bkt/*"`, ""))
	resp, body = e.anon(http.MethodGet, "/bkt/k?versionId="+v1, nil)
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.do(http.MethodDelete, "/bkt?policy", nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	// The ACL grants READ, which maps to s3:GetObjectVersion too.
	resp, body = e.anon(http.MethodGet, "/bkt/k?versionId="+v1, nil)
	mustStatus(t, resp, body, http.StatusOK)
	if string(body) != "one" {
		t.Errorf("version 1: %q", body)
	}
	resp, body = e.do(http.MethodPut, "/bkt/k?acl&versionId="+v1, nil, "X-Amz-Acl", "private")
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.anon(http.MethodGet, "/bkt/k?versionId="+v1, nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")

	id := e.createUpload("bkt", "mp", "X-Amz-Acl", "public-read")
	etag := e.uploadPart("bkt", "mp", id, 1, []byte("part"))
	resp, body = e.do(http.MethodPost, "/bkt/mp?uploadId="+id, completeBody([]string{etag}, nil))
	mustStatus(t, resp, body, http.StatusOK)
	resp, body = e.anon(http.MethodGet, "/bkt/mp", nil)
	mustStatus(t, resp, body, http.StatusOK)
}
