package cfapi

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
)

var etagPattern = regexp.MustCompile(`^E[A-Z0-9]{13}$`)

// TestOAIFlow drives every OAI operation and checks status, headers and documents.
func TestOAIFlow(t *testing.T) {
	hs := newHarness(t, nil)
	w := hs.do(call{method: "POST", path: oaiPath, body: oaiBody})
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var o oaiXML
	if err := xml.Unmarshal(w.Body.Bytes(), &o); err != nil {
		t.Fatal(err)
	}
	etag := w.Header().Get("ETag")
	if !etagPattern.MatchString(o.ID) || !etagPattern.MatchString(etag) || o.S3CanonicalUserID != auth.OAICanonicalID(o.ID) {
		t.Errorf("create: id %q etag %q canonical %q", o.ID, etag, o.S3CanonicalUserID)
	}
	if loc := w.Header().Get("Location"); loc != endpoint+"/2020-05-31/origin-access-identity/cloudfront/"+o.ID {
		t.Errorf("Location = %q", loc)
	}
	if o.Config.CallerReference != "ref" || o.Config.Comment != "c" || o.XMLName.Space != namespace {
		t.Errorf("create document %+v", o)
	}

	// The same CallerReference and config: the same identity, again 201.
	again := hs.do(call{method: "POST", path: oaiPath, body: oaiBody})
	if again.Code != http.StatusCreated || again.Header().Get("ETag") != etag || !strings.Contains(again.Body.String(), o.ID) {
		t.Errorf("idempotent create: %d %s %s", again.Code, again.Header().Get("ETag"), again.Body)
	}

	for _, path := range []string{oaiPath + "/" + o.ID, oaiPath + "/" + o.ID + "/config"} {
		g := hs.do(call{method: "GET", path: path})
		if g.Code != 200 || g.Header().Get("ETag") != etag || !strings.Contains(g.Body.String(), "<CallerReference>ref</CallerReference>") {
			t.Errorf("GET %s: %d etag %q %s", path, g.Code, g.Header().Get("ETag"), g.Body)
		}
	}

	updated := strings.Replace(oaiBody, "<Comment>c</Comment>", "<Comment>new</Comment>", 1)
	u := hs.do(call{method: "PUT", path: oaiPath + "/" + o.ID + "/config", body: updated, ifMatch: etag})
	newETag := u.Header().Get("ETag")
	if u.Code != 200 || newETag == etag || !etagPattern.MatchString(newETag) || !strings.Contains(u.Body.String(), "<Comment>new</Comment>") {
		t.Fatalf("update: %d etag %q %s", u.Code, newETag, u.Body)
	}

	l := hs.do(call{method: "GET", path: oaiPath + "?MaxItems=10"})
	var list oaiListXML
	if err := xml.Unmarshal(l.Body.Bytes(), &list); err != nil || l.Code != 200 {
		t.Fatalf("list: %d %v %s", l.Code, err, l.Body)
	}
	if list.Quantity != 1 || list.Items == nil || len(list.Items.Summaries) != 1 || list.Items.Summaries[0].ID != o.ID || list.Items.Summaries[0].Comment != "new" || list.MaxItems != 10 || list.IsTruncated {
		t.Errorf("list = %+v", list)
	}

	d := hs.do(call{method: "DELETE", path: oaiPath + "/" + o.ID, ifMatch: newETag})
	if d.Code != http.StatusNoContent || d.Body.Len() != 0 {
		t.Errorf("delete: %d %s", d.Code, d.Body)
	}
	if g := hs.do(call{method: "GET", path: oaiPath + "/" + o.ID}); g.Code != 404 || errorCode(t, g) != "NoSuchCloudFrontOriginAccessIdentity" {
		t.Errorf("get after delete: %d %s", g.Code, g.Body)
	}
}

// TestOACFlow drives the OAC operations.
func TestOACFlow(t *testing.T) {
	hs := newHarness(t, nil)
	w := hs.do(call{method: "POST", path: oacPath, body: oacBody})
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var o oacXML
	if err := xml.Unmarshal(w.Body.Bytes(), &o); err != nil {
		t.Fatal(err)
	}
	etag := w.Header().Get("ETag")
	if w.Header().Get("Location") != endpoint+"/2020-05-31/origin-access-control/"+o.ID || o.Config.Name != "images" || o.Config.OriginType != "s3" {
		t.Errorf("create: Location %q document %+v", w.Header().Get("Location"), o)
	}
	if g := hs.do(call{method: "GET", path: oacPath + "/" + o.ID + "/config"}); g.Code != 200 || g.Header().Get("ETag") != etag ||
		!strings.Contains(g.Body.String(), "<OriginAccessControlConfig xmlns=") {
		t.Errorf("get config: %d %s", g.Code, g.Body)
	}
	u := hs.do(call{method: "PUT", path: oacPath + "/" + o.ID + "/config", ifMatch: etag,
		body: strings.Replace(oacBody, "always", "no-override", 1)})
	if u.Code != 200 || !strings.Contains(u.Body.String(), "<SigningBehavior>no-override</SigningBehavior>") {
		t.Fatalf("update: %d %s", u.Code, u.Body)
	}
	l := hs.do(call{method: "GET", path: oacPath})
	if l.Code != 200 || !strings.Contains(l.Body.String(), "<Quantity>1</Quantity>") || !strings.Contains(l.Body.String(), "<OriginAccessControlSummary><Id>"+o.ID) {
		t.Errorf("list: %d %s", l.Code, l.Body)
	}
	if d := hs.do(call{method: "DELETE", path: oacPath + "/" + o.ID, ifMatch: u.Header().Get("ETag")}); d.Code != 204 {
		t.Errorf("delete: %d %s", d.Code, d.Body)
	}
}

// TestErrors is the table of refused requests: each gets CloudFront's status and code.
func TestErrors(t *testing.T) {
	hs := newHarness(t, func(c *distrib.Config) {
		c.OAIInUse = func(string) bool { return true }
		c.OACInUse = func(string) bool { return true }
	})
	create := hs.do(call{method: "POST", path: oaiPath, body: oaiBody})
	var o oaiXML
	xml.Unmarshal(create.Body.Bytes(), &o)
	etag := create.Header().Get("ETag")
	cw := hs.do(call{method: "POST", path: oacPath, body: oacBody})
	var c oacXML
	xml.Unmarshal(cw.Body.Bytes(), &c)
	oacETag := cw.Header().Get("ETag")
	oaiConfig := oaiPath + "/" + o.ID + "/config"
	oacConfig := oacPath + "/" + c.ID + "/config"

	for _, tc := range []struct {
		name   string
		c      call
		status int
		code   string
	}{
		{"unsigned", call{method: "GET", path: oaiPath, key: "-"}, 403, "MissingAuthenticationToken"},
		{"unknown key", call{method: "GET", path: oaiPath, key: "AKIAUNKNOWNUNKNOWN01"}, 403, "InvalidClientTokenId"},
		{"not root", call{method: "GET", path: oaiPath, key: userKey}, 403, "AccessDenied"},
		{"key groups", call{method: "GET", path: "/2020-05-31/key-group"}, 501, "NotImplemented"},
		{"wrong method", call{method: "PATCH", path: oaiPath}, 501, "NotImplemented"},
		{"missing body", call{method: "POST", path: oaiPath}, 400, "MissingBody"},
		{"blank body", call{method: "POST", path: oaiPath, body: "  \n"}, 400, "MissingBody"},
		{"bad xml", call{method: "POST", path: oaiPath, body: "<CloudFrontOriginAccessIdentityConfig>"}, 400, "MalformedInput"},
		{"wrong root", call{method: "POST", path: oaiPath, body: "<Other><CallerReference>r</CallerReference></Other>"}, 400, "MalformedInput"},
		{"trailing element", call{method: "POST", path: oaiPath, body: oaiBody + "<x/>"}, 400, "MalformedInput"},
		{"too large", call{method: "POST", path: oaiPath, body: strings.Replace(oaiBody, "<Comment>c", "<Comment>"+strings.Repeat("x", MaxBodySize), 1)}, 400, "MalformedInput"},
		{"no caller reference", call{method: "POST", path: oaiPath, body: "<CloudFrontOriginAccessIdentityConfig><Comment>c</Comment></CloudFrontOriginAccessIdentityConfig>"}, 400, "InvalidArgument"},
		{"no comment", call{method: "POST", path: oaiPath, body: "<CloudFrontOriginAccessIdentityConfig><CallerReference>x</CallerReference></CloudFrontOriginAccessIdentityConfig>"}, 400, "InvalidArgument"},
		{"long comment", call{method: "POST", path: oaiPath, body: strings.Replace(oaiBody, "<Comment>c", "<Comment>"+strings.Repeat("x", 129), 1)}, 400, "InvalidArgument"},
		{"reference reused", call{method: "POST", path: oaiPath, body: strings.Replace(oaiBody, "<Comment>c", "<Comment>other", 1)}, 409, "CloudFrontOriginAccessIdentityAlreadyExists"},
		{"no such oai", call{method: "GET", path: oaiPath + "/ENOSUCHIDENTITY"}, 404, "NoSuchCloudFrontOriginAccessIdentity"},
		{"odd id", call{method: "GET", path: oaiPath + "/lower%20case"}, 404, "NoSuchCloudFrontOriginAccessIdentity"},
		{"update without If-Match", call{method: "PUT", path: oaiConfig, body: oaiBody}, 400, "InvalidIfMatchVersion"},
		{"update stale If-Match", call{method: "PUT", path: oaiConfig, body: oaiBody, ifMatch: "ESTALEESTALE12"}, 412, "PreconditionFailed"},
		{"update reference", call{method: "PUT", path: oaiConfig, ifMatch: etag, body: strings.Replace(oaiBody, ">ref<", ">other<", 1)}, 400, "IllegalUpdate"},
		{"update missing", call{method: "PUT", path: oaiPath + "/ENOSUCH/config", body: oaiBody, ifMatch: etag}, 404, "NoSuchCloudFrontOriginAccessIdentity"},
		{"delete without If-Match", call{method: "DELETE", path: oaiPath + "/" + o.ID}, 400, "InvalidIfMatchVersion"},
		{"delete in use", call{method: "DELETE", path: oaiPath + "/" + o.ID, ifMatch: etag}, 409, "CloudFrontOriginAccessIdentityInUse"},
		{"list bad MaxItems", call{method: "GET", path: oaiPath + "?MaxItems=lots"}, 400, "InvalidArgument"},
		{"list zero MaxItems", call{method: "GET", path: oacPath + "?MaxItems=0"}, 400, "InvalidArgument"},
		{"oac name taken", call{method: "POST", path: oacPath, body: oacBody}, 409, "OriginAccessControlAlreadyExists"},
		{"oac lambda", call{method: "POST", path: oacPath, body: strings.Replace(oacBody, ">s3<", ">lambda<", 1)}, 400, "InvalidArgument"},
		{"oac protocol", call{method: "POST", path: oacPath, body: strings.Replace(oacBody, ">sigv4<", ">sigv2<", 1)}, 400, "InvalidArgument"},
		{"oac no behavior", call{method: "POST", path: oacPath, body: strings.Replace(oacBody, "<SigningBehavior>always</SigningBehavior>", "", 1)}, 400, "InvalidArgument"},
		{"oac bad xml", call{method: "POST", path: oacPath, body: "<OriginAccessControlConfig><Name>"}, 400, "MalformedInput"},
		{"no such oac", call{method: "GET", path: oacPath + "/ENOSUCH/config"}, 404, "NoSuchOriginAccessControl"},
		{"oac update stale", call{method: "PUT", path: oacConfig, body: oacBody, ifMatch: "ESTALE"}, 412, "PreconditionFailed"},
		{"oac delete in use", call{method: "DELETE", path: oacPath + "/" + c.ID, ifMatch: oacETag}, 409, "OriginAccessControlInUse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := hs.do(tc.c)
			if got := errorCode(t, w); w.Code != tc.status || got != tc.code {
				t.Errorf("%d %s, want %d %s\n%s", w.Code, got, tc.status, tc.code, w.Body)
			}
		})
	}
}

// TestTooManyOAIs checks the quota answer.
func TestTooManyOAIs(t *testing.T) {
	hs := newHarness(t, func(c *distrib.Config) { c.MaxOAIs = 1 })
	if w := hs.do(call{method: "POST", path: oaiPath, body: oaiBody}); w.Code != 201 {
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}
	w := hs.do(call{method: "POST", path: oaiPath, body: strings.Replace(oaiBody, ">ref<", ">ref2<", 1)})
	if code := errorCode(t, w); w.Code != 400 || code != "TooManyCloudFrontOriginAccessIdentities" {
		t.Errorf("second: %d %s", w.Code, code)
	}
}

// TestErrorForUnknown: an unexpected error is a 500 whose message leaks nothing.
func TestErrorForUnknown(t *testing.T) {
	e := errorFor(errSecret)
	if e.status != 500 || e.code != "InternalError" || strings.Contains(e.message, "secret") {
		t.Errorf("errorFor(unknown) = %+v", e)
	}
	if d := errorDocument(e, "id"); d.Type != "Receiver" {
		t.Errorf("500 Type = %q, want Receiver", d.Type)
	}
	if d := errorDocument(errorFor(errUnsupported), "id"); d.Type != "Sender" || d.Code != "NotImplemented" {
		t.Errorf("NotImplemented document = %+v", d)
	}
}

var errSecret = errorString("disk path /secret/thing failed")

type errorString string

func (e errorString) Error() string { return string(e) }
