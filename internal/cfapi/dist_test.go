package cfapi

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// seedDistBody is the seed's step 6.2 config as the aws CLI (botocore's rest-xml serializer)
// sends it; OAIID stands for the id of the identity created first.
const seedDistBody = `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>aws-cli-example-caller-2025</CallerReference><Aliases><Quantity>0</Quantity><Items /></Aliases><DefaultRootObject /><Origins><Quantity>1</Quantity><Items><Origin><Id>S3-image-bucket-2025</Id><DomainName>image-bucket-2025.s3.amazonaws.com</DomainName><OriginPath /><CustomHeaders><Quantity>0</Quantity></CustomHeaders><S3OriginConfig><OriginAccessIdentity>origin-access-identity/cloudfront/OAIID</OriginAccessIdentity></S3OriginConfig></Origin></Items></Origins><DefaultCacheBehavior><TargetOriginId>S3-image-bucket-2025</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy><AllowedMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>HEAD</Method></Items><CachedMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>HEAD</Method></Items></CachedMethods></AllowedMethods><TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies><Headers><Quantity>0</Quantity></Headers><QueryStringCacheKeys><Quantity>0</Quantity></QueryStringCacheKeys></ForwardedValues><MinTTL>0</MinTTL><DefaultTTL>86400</DefaultTTL><MaxTTL>31536000</MaxTTL><Compress>true</Compress></DefaultCacheBehavior><Comment>CloudFront distribution for image hosting</Comment><Enabled>true</Enabled><PriceClass>PriceClass_100</PriceClass><ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate></ViewerCertificate><Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions></DistributionConfig>`

var domainPattern = regexp.MustCompile(`^d[a-z0-9]{13}\.cdn\.test$`)

// distHarness is a harness with an OAI, and the seed body naming it.
func distHarness(t *testing.T) (*harness, string) {
	hs := newHarness(t, nil)
	w := hs.do(call{method: "POST", path: oaiPath, body: oaiBody})
	if w.Code != 201 {
		t.Fatalf("create OAI: %d %s", w.Code, w.Body)
	}
	var o oaiXML
	if err := xml.Unmarshal(w.Body.Bytes(), &o); err != nil {
		t.Fatal(err)
	}
	return hs, strings.Replace(seedDistBody, "OAIID", o.ID, 1)
}

func TestDistributionFlow(t *testing.T) {
	hs, body := distHarness(t)
	w := hs.do(call{method: "POST", path: distPath, body: body})
	if w.Code != 201 {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var d distributionXML
	if err := xml.Unmarshal(w.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	etag := w.Header().Get("ETag")
	if loc := w.Header().Get("Location"); loc != endpoint+distPath+"/"+d.ID || etag == "" {
		t.Errorf("Location %q ETag %q", loc, etag)
	}
	if !domainPattern.MatchString(d.DomainName) || d.ARN != "arn:aws:cloudfront::123456789012:distribution/"+d.ID || d.Status != "Deployed" {
		t.Errorf("distribution %q %q %q", d.DomainName, d.ARN, d.Status)
	}
	again := hs.do(call{method: "POST", path: distPath, body: body})
	if again.Code != 201 || again.Header().Get("ETag") != etag {
		t.Errorf("repeated create: %d %s", again.Code, again.Header().Get("ETag"))
	}

	// GetDistributionConfig answers a complete config that UpdateDistribution takes back.
	cfgPath := distPath + "/" + d.ID + "/config"
	got := hs.do(call{method: "GET", path: cfgPath})
	if got.Code != 200 || got.Header().Get("ETag") != etag {
		t.Fatalf("get config: %d %s", got.Code, got.Header().Get("ETag"))
	}
	for _, want := range []string{"<HttpVersion>http2</HttpVersion>", "<ConnectionAttempts>3</ConnectionAttempts>",
		"<SSLSupportMethod>vip</SSLSupportMethod>", "<OriginGroups><Quantity>0</Quantity></OriginGroups>", "<Compress>true</Compress>"} {
		if !strings.Contains(got.Body.String(), want) {
			t.Errorf("config lacks %s:\n%s", want, got.Body)
		}
	}
	updated := strings.Replace(got.Body.String(), "<Comment>CloudFront distribution for image hosting</Comment>", "<Comment>changed</Comment>", 1)
	if u := hs.do(call{method: "PUT", path: cfgPath, body: updated}); u.Code != 400 || errorCode(t, u) != "InvalidIfMatchVersion" {
		t.Errorf("update without If-Match: %d", u.Code)
	}
	u := hs.do(call{method: "PUT", path: cfgPath, body: updated, ifMatch: etag})
	if u.Code != 200 || u.Header().Get("ETag") == etag || !strings.Contains(u.Body.String(), "<Comment>changed</Comment>") {
		t.Fatalf("update: %d %s", u.Code, u.Body)
	}
	etag = u.Header().Get("ETag")
	round := hs.do(call{method: "GET", path: cfgPath})
	if round.Body.String() != updated {
		t.Errorf("config after a round trip differs:\n got %s\nwant %s", round.Body, updated)
	}

	list := hs.do(call{method: "GET", path: distPath})
	var l distListXML
	if err := xml.Unmarshal(list.Body.Bytes(), &l); err != nil || l.Quantity != 1 || l.Items == nil || l.Items.Summary[0].ID != d.ID ||
		l.Items.Summary[0].DomainName != d.DomainName {
		t.Errorf("list: %v %s", err, list.Body)
	}

	if w := hs.do(call{method: "DELETE", path: distPath + "/" + d.ID, ifMatch: etag}); w.Code != 409 || errorCode(t, w) != "DistributionNotDisabled" {
		t.Errorf("delete while enabled: %d %s", w.Code, w.Body)
	}
	disabled := strings.Replace(updated, "<Enabled>true</Enabled></ViewerCertificate>", "", 1)
	disabled = strings.Replace(disabled, "<PriceClass>PriceClass_100</PriceClass><Enabled>true</Enabled>", "<PriceClass>PriceClass_100</PriceClass><Enabled>false</Enabled>", 1)
	u = hs.do(call{method: "PUT", path: cfgPath, body: disabled, ifMatch: etag})
	if u.Code != 200 {
		t.Fatalf("disable: %d %s", u.Code, u.Body)
	}
	if w := hs.do(call{method: "DELETE", path: distPath + "/" + d.ID, ifMatch: u.Header().Get("ETag")}); w.Code != 204 {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	if w := hs.do(call{method: "GET", path: distPath + "/" + d.ID}); w.Code != 404 || errorCode(t, w) != "NoSuchDistribution" {
		t.Errorf("get after delete: %d", w.Code)
	}
}

func TestCreateDistributionWithTags(t *testing.T) {
	hs, body := distHarness(t)
	cfg := strings.Replace(body, ` xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"`, "", 1)
	doc := `<DistributionConfigWithTags xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">` + cfg +
		`<Tags><Items><Tag><Key>team</Key><Value>images</Value></Tag></Items></Tags></DistributionConfigWithTags>`
	w := hs.do(call{method: "POST", path: distPath + "?WithTags", body: doc})
	if w.Code != 201 {
		t.Fatalf("create with tags: %d %s", w.Code, w.Body)
	}
	var d distributionXML
	if err := xml.Unmarshal(w.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	stored, err := hs.svc.GetDistribution(d.ID)
	if err != nil || len(stored.Tags) != 1 || stored.Tags[0].Key != "team" || stored.Tags[0].Value != "images" {
		t.Errorf("tags: %+v %v", stored.Tags, err)
	}
	if w := hs.do(call{method: "POST", path: distPath + "?WithTags", body: body}); w.Code != 400 || errorCode(t, w) != "MalformedInput" {
		t.Errorf("a bare config on ?WithTags: %d", w.Code)
	}
}

// TestDistributionErrors pins the wire code of each refusal.
func TestDistributionErrors(t *testing.T) {
	hs, body := distHarness(t)
	w := hs.do(call{method: "POST", path: distPath, body: body})
	if w.Code != 201 {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var d distributionXML
	if err := xml.Unmarshal(w.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	etag := w.Header().Get("ETag")
	cfgPath := distPath + "/" + d.ID + "/config"
	// other is body with another CallerReference and the replacements old, new, ...
	other := func(oldNew ...string) string {
		return strings.NewReplacer(append([]string{"aws-cli-example-caller-2025", "other-ref"}, oldNew...)...).Replace(body)
	}
	manyOrigins := "<Quantity>26</Quantity><Items>" + strings.Repeat("<Origin><Id>x</Id><DomainName>localhost</DomainName><S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig></Origin>", 26) + "</Items></Origins>"
	for _, tc := range []struct {
		name   string
		c      call
		status int
		code   string
	}{
		{"no body", call{method: "POST", path: distPath}, 400, "MissingBody"},
		{"not XML", call{method: "POST", path: distPath, body: "{}"}, 400, "MalformedInput"},
		{"wrong root", call{method: "POST", path: distPath, body: oaiBody}, 400, "MalformedInput"},
		{"no Comment", call{method: "POST", path: distPath, body: other("<Comment>CloudFront distribution for image hosting</Comment>", "")}, 400, "InvalidArgument"},
		{"quantity mismatch", call{method: "POST", path: distPath, body: other("<Quantity>1</Quantity><Items><Origin>", "<Quantity>2</Quantity><Items><Origin>")}, 400, "InconsistentQuantities"},
		{"unknown target", call{method: "POST", path: distPath, body: other("<TargetOriginId>S3-image-bucket-2025", "<TargetOriginId>nope")}, 404, "NoSuchOrigin"},
		{"unknown OAI", call{method: "POST", path: distPath, body: other("origin-access-identity/cloudfront/E", "origin-access-identity/cloudfront/EX")}, 400, "InvalidOriginAccessIdentity"},
		{"unknown OAC", call{method: "POST", path: distPath, body: other("<CustomHeaders>", "<OriginAccessControlId>ENOSUCHOAC1234</OriginAccessControlId><CustomHeaders>",
			body[strings.Index(body, "<OriginAccessIdentity>"):strings.Index(body, "</OriginAccessIdentity>")], "<OriginAccessIdentity>")}, 400, "InvalidOriginAccessControl"},
		{"26 origins", call{method: "POST", path: distPath, body: other(body[strings.Index(body, "<Quantity>1</Quantity><Items><Origin>"):strings.Index(body, "</Origins>")+len("</Origins>")], manyOrigins)}, 400, "TooManyOrigins"},
		{"bad origin host", call{method: "POST", path: distPath, body: other("image-bucket-2025.s3.amazonaws.com", "bad host")}, 400, "InvalidArgument"},
		{"root object", call{method: "POST", path: distPath, body: other("<DefaultRootObject />", "<DefaultRootObject>/index.html</DefaultRootObject>")}, 400, "InvalidDefaultRootObject"},
		{"certificate", call{method: "POST", path: distPath, body: other("<CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>", "<CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate><ACMCertificateArn>arn:x</ACMCertificateArn>")}, 400, "InvalidViewerCertificate"},
		{"reference reused", call{method: "POST", path: distPath, body: strings.Replace(body, "<Comment>CloudFront", "<Comment>Other", 1)}, 409, "DistributionAlreadyExists"},
		{"bad MaxItems", call{method: "GET", path: distPath + "?MaxItems=x"}, 400, "InvalidArgument"},
		{"get missing", call{method: "GET", path: distPath + "/ENOSUCHDIST123"}, 404, "NoSuchDistribution"},
		{"update stale", call{method: "PUT", path: cfgPath, body: body, ifMatch: "ESTALEESTALE12"}, 412, "PreconditionFailed"},
		{"update reference", call{method: "PUT", path: cfgPath, body: other(), ifMatch: etag}, 400, "IllegalUpdate"},
		{"delete without If-Match", call{method: "DELETE", path: distPath + "/" + d.ID}, 400, "InvalidIfMatchVersion"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := hs.do(tc.c)
			if w.Code != tc.status || errorCode(t, w) != tc.code {
				t.Errorf("%d %s, want %d %s", w.Code, w.Body, tc.status, tc.code)
			}
		})
	}

	// Settings imgcdn does not serve are refused by name.
	for _, tc := range []struct{ old, new, field string }{
		{"<Enabled>true</Enabled>", "<Enabled>true</Enabled><AnycastIpListId>x</AnycastIpListId>", "DistributionConfig.AnycastIpListId"},
		{"<OriginPath />", "<OriginPath /><VpcOriginConfig><VpcOriginId>v</VpcOriginId></VpcOriginConfig>", "Origins.Items[0].VpcOriginConfig"},
		{"<Compress>true</Compress>", "<Compress>true</Compress><GrpcConfig><Enabled>true</Enabled></GrpcConfig>", "DefaultCacheBehavior.GrpcConfig"},
	} {
		w := hs.do(call{method: "POST", path: distPath, body: other(tc.old, tc.new)})
		if w.Code != 400 || errorCode(t, w) != "InvalidArgument" || !strings.Contains(w.Body.String(), tc.field+" is not supported") {
			t.Errorf("%s: %d %s", tc.field, w.Code, w.Body)
		}
	}

	// Aliases belong to one distribution.
	withAlias := strings.Replace(body, "<Quantity>0</Quantity><Items /></Aliases>", "<Quantity>1</Quantity><Items><CNAME>img.example.com</CNAME></Items></Aliases>", 1)
	a := strings.Replace(withAlias, "aws-cli-example-caller-2025", "alias-1", 1)
	if w := hs.do(call{method: "POST", path: distPath, body: a}); w.Code != 201 {
		t.Fatalf("create with alias: %d %s", w.Code, w.Body)
	}
	b := strings.Replace(withAlias, "aws-cli-example-caller-2025", "alias-2", 1)
	if w := hs.do(call{method: "POST", path: distPath, body: b}); w.Code != 409 || errorCode(t, w) != "CNAMEAlreadyExists" {
		t.Errorf("alias taken: %d %s", w.Code, w.Body)
	}
}

// TestOAIInUseByDistribution: an identity named by a distribution cannot be deleted.
func TestOAIInUseByDistribution(t *testing.T) {
	hs, body := distHarness(t)
	if w := hs.do(call{method: "POST", path: distPath, body: body}); w.Code != 201 {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	l, err := hs.svc.ListOAIs(distribPage())
	if err != nil || len(l.Items) != 1 {
		t.Fatal(err)
	}
	o := l.Items[0]
	w := hs.do(call{method: "DELETE", path: oaiPath + "/" + o.ID, ifMatch: o.ETag})
	if w.Code != 409 || errorCode(t, w) != "CloudFrontOriginAccessIdentityInUse" {
		t.Errorf("delete OAI in use: %d %s", w.Code, w.Body)
	}
}

func distribPage() distrib.Page { return distrib.Page{} }
