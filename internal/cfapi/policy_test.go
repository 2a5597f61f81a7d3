package cfapi

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

const cachePolicyBody = `<CachePolicyConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Comment>images</Comment><Name>images</Name><DefaultTTL>3600</DefaultTTL><MaxTTL>86400</MaxTTL><MinTTL>1</MinTTL><ParametersInCacheKeyAndForwardedToOrigin><EnableAcceptEncodingGzip>true</EnableAcceptEncodingGzip><EnableAcceptEncodingBrotli>false</EnableAcceptEncodingBrotli><HeadersConfig><HeaderBehavior>whitelist</HeaderBehavior><Headers><Quantity>1</Quantity><Items><Name>Accept</Name></Items></Headers></HeadersConfig><CookiesConfig><CookieBehavior>none</CookieBehavior></CookiesConfig><QueryStringsConfig><QueryStringBehavior>whitelist</QueryStringBehavior><QueryStrings><Quantity>2</Quantity><Items><Name>w</Name><Name>h</Name></Items></QueryStrings></QueryStringsConfig></ParametersInCacheKeyAndForwardedToOrigin></CachePolicyConfig>`

const originRequestPolicyBody = `<OriginRequestPolicyConfig><Name>cors</Name><HeadersConfig><HeaderBehavior>whitelist</HeaderBehavior><Headers><Quantity>1</Quantity><Items><Name>Origin</Name></Items></Headers></HeadersConfig><CookiesConfig><CookieBehavior>none</CookieBehavior></CookiesConfig><QueryStringsConfig><QueryStringBehavior>all</QueryStringBehavior></QueryStringsConfig></OriginRequestPolicyConfig>`

const responseHeadersPolicyBody = `<ResponseHeadersPolicyConfig><Name>headers</Name><CorsConfig><AccessControlAllowOrigins><Quantity>1</Quantity><Items><Origin>https://example.com</Origin></Items></AccessControlAllowOrigins><AccessControlAllowHeaders><Quantity>0</Quantity></AccessControlAllowHeaders><AccessControlAllowMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>HEAD</Method></Items></AccessControlAllowMethods><AccessControlAllowCredentials>true</AccessControlAllowCredentials><OriginOverride>false</OriginOverride></CorsConfig><SecurityHeadersConfig><FrameOptions><Override>true</Override><FrameOption>DENY</FrameOption></FrameOptions></SecurityHeadersConfig><CustomHeadersConfig><Quantity>1</Quantity><Items><ResponseHeadersPolicyCustomHeader><Header>X-Served-By</Header><Value>imgcdn</Value><Override>false</Override></ResponseHeadersPolicyCustomHeader></Items></CustomHeadersConfig><RemoveHeadersConfig><Quantity>1</Quantity><Items><ResponseHeadersPolicyRemoveHeader><Header>X-Powered-By</Header></ResponseHeadersPolicyRemoveHeader></Items></RemoveHeadersConfig></ResponseHeadersPolicyConfig>`

// policyDistBody is a distribution whose default behavior holds POLICIES.
const policyDistBody = `<DistributionConfig><CallerReference>r</CallerReference><Comment/><Enabled>true</Enabled><Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>localhost</DomainName><CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins><DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>POLICIES</DefaultCacheBehavior></DistributionConfig>`

// TestCachePolicyFlow drives every cache policy operation over HTTP.
func TestCachePolicyFlow(t *testing.T) {
	hs := newHarness(t, nil)
	w := hs.do(call{method: "POST", path: cachePolicyPath, body: cachePolicyBody})
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var p cachePolicyDoc
	if err := xml.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	etag := w.Header().Get("ETag")
	if w.Header().Get("Location") != endpoint+cachePolicyPath+"/"+p.ID || !etagPattern.MatchString(etag) || p.XMLName.Space != namespace {
		t.Errorf("create: Location %q ETag %q root %v", w.Header().Get("Location"), etag, p.XMLName)
	}
	if c := p.Config; deref(c.Name) != "images" || deref(c.MinTTL) != 1 || deref(c.Parameters.QueryStringsConfig.Behavior) != "whitelist" {
		t.Errorf("create document %+v", c)
	}
	g := hs.do(call{method: "GET", path: cachePolicyPath + "/" + p.ID + "/config"})
	if g.Code != 200 || g.Header().Get("ETag") != etag || !strings.HasPrefix(g.Body.String(), xml.Header+`<CachePolicyConfig xmlns=`) {
		t.Errorf("get config: %d %s", g.Code, g.Body)
	}
	// The config answered is a valid update body.
	u := hs.do(call{method: "PUT", path: cachePolicyPath + "/" + p.ID, body: strings.Replace(g.Body.String(), ">images</Name>", ">thumbs</Name>", 1), ifMatch: etag})
	if u.Code != 200 || u.Header().Get("ETag") == etag || !strings.Contains(u.Body.String(), "<Name>thumbs</Name>") {
		t.Fatalf("update: %d %s", u.Code, u.Body)
	}
	newETag := u.Header().Get("ETag")

	l := hs.do(call{method: "GET", path: cachePolicyPath + "?Type=custom"})
	var list cachePolicyListXML
	if err := xml.Unmarshal(l.Body.Bytes(), &list); err != nil || l.Code != 200 {
		t.Fatalf("list: %d %v", l.Code, err)
	}
	if list.Quantity != 1 || list.Items == nil || list.Items.Summary[0].Type != "custom" || list.Items.Summary[0].Policy.ID != p.ID {
		t.Errorf("custom list %+v", list)
	}
	m := hs.do(call{method: "GET", path: cachePolicyPath + "?Type=managed&MaxItems=2"})
	list = cachePolicyListXML{}
	if err := xml.Unmarshal(m.Body.Bytes(), &list); err != nil || list.Quantity != 2 || list.NextMarker == "" || list.Items.Summary[0].Type != "managed" {
		t.Errorf("managed page: %v %s", err, m.Body)
	}
	if g := hs.do(call{method: "GET", path: cachePolicyPath + "/" + distrib.CachingOptimizedID}); g.Code != 200 || !strings.Contains(g.Body.String(), "<Name>Managed-CachingOptimized</Name>") {
		t.Errorf("managed get: %d %s", g.Code, g.Body)
	}
	if d := hs.do(call{method: "DELETE", path: cachePolicyPath + "/" + p.ID, ifMatch: newETag}); d.Code != 204 || d.Body.Len() != 0 {
		t.Errorf("delete: %d %s", d.Code, d.Body)
	}
}

// TestOtherPolicyFlows creates, reads back and deletes an origin request and a response
// headers policy: what GetConfig answers decodes to the config that was sent.
func TestOtherPolicyFlows(t *testing.T) {
	hs := newHarness(t, nil)
	for _, tc := range []struct {
		path, body, root string
	}{
		{originRequestPolicyPath, originRequestPolicyBody, "OriginRequestPolicy"},
		{responseHeadersPolicyPath, responseHeadersPolicyBody, "ResponseHeadersPolicy"},
	} {
		w := hs.do(call{method: "POST", path: tc.path, body: tc.body})
		if w.Code != 201 || !strings.Contains(w.Body.String(), "<"+tc.root+` xmlns="`+namespace+`"><Id>`) {
			t.Fatalf("create %s: %d %s", tc.root, w.Code, w.Body)
		}
		id := strings.TrimPrefix(w.Header().Get("Location"), endpoint+tc.path+"/")
		g := hs.do(call{method: "GET", path: tc.path + "/" + id + "/config"})
		sent, got := strings.NewReplacer(">", ">\n").Replace(tc.body), strings.NewReplacer(">", ">\n").Replace(strings.TrimPrefix(g.Body.String(), xml.Header))
		if strings.Replace(got, ` xmlns="`+namespace+`"`, "", 1) != sent {
			t.Errorf("%s config:\n got %s\nsent %s", tc.root, got, sent)
		}
		if d := hs.do(call{method: "DELETE", path: tc.path + "/" + id, ifMatch: w.Header().Get("ETag")}); d.Code != 204 {
			t.Errorf("delete %s: %d %s", tc.root, d.Code, d.Body)
		}
	}
}

func TestPolicyErrors(t *testing.T) {
	hs := newHarness(t, nil)
	created := hs.do(call{method: "POST", path: cachePolicyPath, body: cachePolicyBody})
	etag := created.Header().Get("ETag")
	id := strings.TrimPrefix(created.Header().Get("Location"), endpoint+cachePolicyPath+"/")
	const unknown = "/00000000-0000-4000-8000-000000000000"
	for _, tc := range []struct {
		name   string
		c      call
		status int
		code   string
	}{
		{"name taken", call{method: "POST", path: cachePolicyPath, body: cachePolicyBody}, 409, "CachePolicyAlreadyExists"},
		{"managed name", call{method: "POST", path: cachePolicyPath, body: strings.Replace(cachePolicyBody, ">images</Name>", ">Managed-CachingDisabled</Name>", 1)}, 409, "CachePolicyAlreadyExists"},
		{"no MinTTL", call{method: "POST", path: cachePolicyPath, body: strings.Replace(cachePolicyBody, "<MinTTL>1</MinTTL>", "", 1)}, 400, "InvalidArgument"},
		{"TTL order", call{method: "POST", path: cachePolicyPath, body: strings.Replace(cachePolicyBody, "<MinTTL>1<", "<MinTTL>99999<", 1)}, 400, "InvalidArgument"},
		{"quantity", call{method: "POST", path: cachePolicyPath, body: strings.Replace(cachePolicyBody, "<Quantity>2</Quantity>", "<Quantity>3</Quantity>", 1)}, 400, "InconsistentQuantities"},
		{"no header behavior", call{method: "POST", path: cachePolicyPath, body: strings.Replace(cachePolicyBody, "<HeaderBehavior>whitelist</HeaderBehavior>", "", 1)}, 400, "InvalidArgument"},
		{"unknown element", call{method: "POST", path: cachePolicyPath, body: strings.Replace(cachePolicyBody, "<MinTTL>", "<Extra/><MinTTL>", 1)}, 400, "InvalidArgument"},
		{"too many headers", call{method: "POST", path: cachePolicyPath, body: strings.Replace(strings.Replace(cachePolicyBody, ">images</Name>", ">x</Name>", 1),
			"<Quantity>1</Quantity><Items><Name>Accept</Name>", "<Quantity>11</Quantity><Items>"+strings.Repeat("<Name>A</Name>", 11), 1)}, 400, "TooManyHeadersInCachePolicy"},
		{"no such policy", call{method: "GET", path: cachePolicyPath + unknown}, 404, "NoSuchCachePolicy"},
		{"odd id", call{method: "GET", path: cachePolicyPath + "/E2QWRUHAPOMQZL/config"}, 404, "NoSuchCachePolicy"},
		{"update without If-Match", call{method: "PUT", path: cachePolicyPath + "/" + id, body: cachePolicyBody}, 400, "InvalidIfMatchVersion"},
		{"update stale", call{method: "PUT", path: cachePolicyPath + "/" + id, body: cachePolicyBody, ifMatch: "ESTALE"}, 412, "PreconditionFailed"},
		{"update managed", call{method: "PUT", path: cachePolicyPath + "/" + distrib.CachingOptimizedID, body: cachePolicyBody, ifMatch: etag}, 400, "IllegalUpdate"},
		{"delete managed", call{method: "DELETE", path: cachePolicyPath + "/" + distrib.CachingOptimizedID, ifMatch: etag}, 400, "IllegalDelete"},
		{"delete without If-Match", call{method: "DELETE", path: cachePolicyPath + "/" + id}, 400, "InvalidIfMatchVersion"},
		{"list bad type", call{method: "GET", path: cachePolicyPath + "?Type=aws"}, 400, "InvalidArgument"},
		{"list bad marker", call{method: "GET", path: cachePolicyPath + "?Marker=nope"}, 404, "NoSuchCachePolicy"},
		{"orp missing cookies", call{method: "POST", path: originRequestPolicyPath, body: strings.Replace(originRequestPolicyBody,
			"<CookiesConfig><CookieBehavior>none</CookieBehavior></CookiesConfig>", "", 1)}, 400, "InvalidArgument"},
		{"orp too many headers", call{method: "POST", path: originRequestPolicyPath, body: strings.Replace(originRequestPolicyBody,
			"<Quantity>1</Quantity><Items><Name>Origin</Name>", "<Quantity>31</Quantity><Items>"+strings.Repeat("<Name>A</Name>", 31), 1)}, 400, "TooManyHeadersInOriginRequestPolicy"},
		{"no such orp", call{method: "DELETE", path: originRequestPolicyPath + unknown, ifMatch: "E1"}, 404, "NoSuchOriginRequestPolicy"},
		{"rhp CSP too long", call{method: "POST", path: responseHeadersPolicyPath, body: strings.Replace(responseHeadersPolicyBody, "<FrameOptions>",
			"<ContentSecurityPolicy><Override>true</Override><ContentSecurityPolicy>"+strings.Repeat("a", 1784)+"</ContentSecurityPolicy></ContentSecurityPolicy><FrameOptions>", 1)}, 400, "TooLongCSPInResponseHeadersPolicy"},
		{"rhp no override", call{method: "POST", path: responseHeadersPolicyPath, body: strings.Replace(responseHeadersPolicyBody, "<Override>true</Override><FrameOption>", "<FrameOption>", 1)}, 400, "InvalidArgument"},
		{"rhp managed name", call{method: "POST", path: responseHeadersPolicyPath, body: strings.Replace(responseHeadersPolicyBody, ">headers</Name>", ">Managed-SimpleCORS</Name>", 1)}, 409, "ResponseHeadersPolicyAlreadyExists"},
		{"no such rhp", call{method: "GET", path: responseHeadersPolicyPath + unknown}, 404, "NoSuchResponseHeadersPolicy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := hs.do(tc.c)
			if got := errorCode(t, w); w.Code != tc.status || got != tc.code {
				t.Errorf("%d %s, want %d %s\n%s", w.Code, got, tc.status, tc.code, w.Body)
			}
		})
	}
}

// TestDistributionPolicyReferences: a behavior's policy ids must exist, and a policy in use
// cannot be deleted.
func TestDistributionPolicyReferences(t *testing.T) {
	hs := newHarness(t, nil)
	created := hs.do(call{method: "POST", path: cachePolicyPath, body: cachePolicyBody})
	id := strings.TrimPrefix(created.Header().Get("Location"), endpoint+cachePolicyPath+"/")
	base := policyDistBody
	for _, tc := range []struct {
		policies, code string
	}{
		{"<CachePolicyId>00000000-0000-4000-8000-000000000000</CachePolicyId>", "NoSuchCachePolicy"},
		{"<CachePolicyId>" + id + "</CachePolicyId><OriginRequestPolicyId>00000000-0000-4000-8000-000000000000</OriginRequestPolicyId>", "NoSuchOriginRequestPolicy"},
		{"<CachePolicyId>" + id + "</CachePolicyId><ResponseHeadersPolicyId>00000000-0000-4000-8000-000000000000</ResponseHeadersPolicyId>", "NoSuchResponseHeadersPolicy"},
		{"<OriginRequestPolicyId>" + distrib.AllViewerID + "</OriginRequestPolicyId><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>", "InvalidArgument"},
		{"<CachePolicyId>" + id + "</CachePolicyId><MinTTL>0</MinTTL>", "InvalidArgument"},
	} {
		w := hs.do(call{method: "POST", path: distPath, body: strings.Replace(base, "POLICIES", tc.policies, 1)})
		if got := errorCode(t, w); got != tc.code {
			t.Errorf("%s: %d %s, want %s", tc.policies, w.Code, got, tc.code)
		}
	}
	w := hs.do(call{method: "POST", path: distPath, body: strings.Replace(base, "POLICIES", "<CachePolicyId>"+id+"</CachePolicyId><OriginRequestPolicyId>"+distrib.AllViewerID+"</OriginRequestPolicyId><ResponseHeadersPolicyId>"+distrib.SimpleCORSID+"</ResponseHeadersPolicyId>", 1)})
	if w.Code != 201 {
		t.Fatalf("create with policies: %d %s", w.Code, w.Body)
	}
	d := hs.do(call{method: "DELETE", path: cachePolicyPath + "/" + id, ifMatch: created.Header().Get("ETag")})
	if got := errorCode(t, d); d.Code != 409 || got != "CachePolicyInUse" {
		t.Errorf("delete in use: %d %s", d.Code, got)
	}
}

func TestTagging(t *testing.T) {
	hs := newHarness(t, nil)
	w := hs.do(call{method: "POST", path: distPath, body: strings.Replace(policyDistBody, "POLICIES", "<CachePolicyId>"+distrib.CachingOptimizedID+"</CachePolicyId>", 1)})
	if w.Code != 201 {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var d distributionXML
	if err := xml.Unmarshal(w.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	res := "?Resource=" + d.ARN
	tags := func() string {
		t.Helper()
		l := hs.do(call{method: "GET", path: taggingPath + res})
		if l.Code != 200 {
			t.Fatalf("list: %d %s", l.Code, l.Body)
		}
		return strings.TrimPrefix(l.Body.String(), xml.Header)
	}
	if got := tags(); got != `<Tags xmlns="`+namespace+`"><Items></Items></Tags>` {
		t.Errorf("no tags: %s", got)
	}
	tag := `<Tags><Items><Tag><Key>team</Key><Value>images</Value></Tag><Tag><Key>env</Key><Value>prod</Value></Tag></Items></Tags>`
	if w := hs.do(call{method: "POST", path: taggingPath + res + "&Operation=Tag", body: tag}); w.Code != 204 {
		t.Fatalf("tag: %d %s", w.Code, w.Body)
	}
	if w := hs.do(call{method: "POST", path: taggingPath + res + "&Operation=Tag", body: `<Tags><Items><Tag><Key>env</Key><Value>dev</Value></Tag></Items></Tags>`}); w.Code != 204 {
		t.Fatalf("retag: %d %s", w.Code, w.Body)
	}
	if got := tags(); !strings.Contains(got, "<Tag><Key>team</Key><Value>images</Value></Tag><Tag><Key>env</Key><Value>dev</Value></Tag>") {
		t.Errorf("after tagging: %s", got)
	}
	// Tags do not change the distribution's ETag.
	if g := hs.do(call{method: "GET", path: distPath + "/" + d.ID}); g.Header().Get("ETag") != w.Header().Get("ETag") {
		t.Errorf("tagging changed the ETag: %s -> %s", w.Header().Get("ETag"), g.Header().Get("ETag"))
	}
	if w := hs.do(call{method: "POST", path: taggingPath + res + "&Operation=Untag", body: `<TagKeys><Items><Key>team</Key><Key>absent</Key></Items></TagKeys>`}); w.Code != 204 {
		t.Fatalf("untag: %d %s", w.Code, w.Body)
	}
	if got := tags(); strings.Contains(got, "team") || !strings.Contains(got, "<Key>env</Key>") {
		t.Errorf("after untagging: %s", got)
	}
	for _, tc := range []struct {
		name string
		c    call
		code string
	}{
		{"other account", call{method: "GET", path: taggingPath + "?Resource=arn:aws:cloudfront::999999999999:distribution/" + d.ID}, "NoSuchResource"},
		{"unknown distribution", call{method: "GET", path: taggingPath + "?Resource=arn:aws:cloudfront::123456789012:distribution/ENOSUCHDIST123"}, "NoSuchResource"},
		{"no resource", call{method: "GET", path: taggingPath}, "InvalidArgument"},
		{"aws prefix", call{method: "POST", path: taggingPath + res + "&Operation=Tag", body: `<Tags><Items><Tag><Key>aws:x</Key></Tag></Items></Tags>`}, "InvalidTagging"},
		{"bad character", call{method: "POST", path: taggingPath + res + "&Operation=Tag", body: `<Tags><Items><Tag><Key>a*b</Key></Tag></Items></Tags>`}, "InvalidTagging"},
		{"long value", call{method: "POST", path: taggingPath + res + "&Operation=Tag", body: `<Tags><Items><Tag><Key>k</Key><Value>` + strings.Repeat("v", 257) + `</Value></Tag></Items></Tags>`}, "InvalidTagging"},
		{"no operation", call{method: "POST", path: taggingPath + res, body: tag}, "NotImplemented"},
		{"bad body", call{method: "POST", path: taggingPath + res + "&Operation=Tag", body: `<Tags>`}, "MalformedInput"},
	} {
		if w := hs.do(tc.c); errorCode(t, w) != tc.code {
			t.Errorf("%s: %d %s, want %s", tc.name, w.Code, w.Body, tc.code)
		}
	}
}
