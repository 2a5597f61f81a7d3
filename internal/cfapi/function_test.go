package cfapi

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

const optimizerPath = functionPath + "/" + distrib.ImageOptimizerFunctionName

func TestRouteFunction(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		op           op
		name         string
		ok           bool
	}{
		{"POST", "/2020-05-31/function", opCreateFunction, "", true},
		{"GET", "/2020-05-31/function", opListFunctions, "", true},
		{"GET", "/2020-05-31/function/f1", opGetFunction, "f1", true},
		{"PUT", "/2020-05-31/function/f1", opUpdateFunction, "f1", true},
		{"DELETE", "/2020-05-31/function/f1", opDeleteFunction, "f1", true},
		{"GET", "/2020-05-31/function/f1/describe", opDescribeFunction, "f1", true},
		{"POST", "/2020-05-31/function/f1/publish", opPublishFunction, "f1", true},
		{"POST", "/2020-05-31/function/f1/test", opTestFunction, "f1", true},
		{"PUT", "/2020-05-31/function", opUnsupported, "", true},
		{"GET", "/2020-05-31/function/", opUnsupported, "", true},
		{"GET", "/2020-05-31/function/f1/publish", opUnsupported, "", true},
		{"POST", "/2020-05-31/function/f1/describe", opUnsupported, "", true},
		{"GET", "/2020-05-31/function/f1/describe/x", opUnsupported, "", true},
		{"POST", "/2020-05-31/function/f1", opUnsupported, "", true},
		{"GET", "/2020-05-31/functions", opUnsupported, "", false},
		{"GET", "/2020-05-31/distribution", opUnsupported, "", false},
	} {
		o, name, ok := routeFunction(tc.method, tc.path)
		if o != tc.op || name != tc.name || ok != tc.ok {
			t.Errorf("routeFunction(%s %s) = %v %q %v, want %v %q %v", tc.method, tc.path, o, name, ok, tc.op, tc.name, tc.ok)
		}
	}
}

func TestDescribeAndGetFunction(t *testing.T) {
	hs := newHarness(t, nil)
	w := hs.do(call{method: "GET", path: optimizerPath + "/describe"})
	if w.Code != 200 || w.Header().Get("ETag") != optimizerETag {
		t.Fatalf("describe: %d ETag %q\n%s", w.Code, w.Header().Get("ETag"), w.Body)
	}
	if !regexp.MustCompile(`^E[A-Z0-9]{13}$`).MatchString(optimizerETag) {
		t.Errorf("ETag %q is not CloudFront-shaped", optimizerETag)
	}
	var s functionSummaryDoc
	if err := xml.Unmarshal(w.Body.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	if s.Name != distrib.ImageOptimizerFunctionName || s.Status != statusUnassociated || s.FunctionConfig.Runtime != "cloudfront-js-2.0" ||
		s.FunctionMetadata.Stage != stageLive || s.FunctionMetadata.FunctionARN != "arn:aws:cloudfront::123456789012:function/imgcdn-image-optimizer" {
		t.Errorf("summary %+v", s)
	}
	w = hs.do(call{method: "GET", path: optimizerPath + "/describe?Stage=DEVELOPMENT"})
	if err := xml.Unmarshal(w.Body.Bytes(), &s); err != nil || w.Code != 200 || s.FunctionMetadata.Stage != stageDevelopment {
		t.Errorf("describe DEVELOPMENT: %d %+v %v", w.Code, s.FunctionMetadata, err)
	}

	w = hs.do(call{method: "GET", path: optimizerPath})
	if w.Code != 200 || w.Header().Get("ETag") != optimizerETag || w.Header().Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("get: %d %v", w.Code, w.Header())
	}
	if body := w.Body.String(); !strings.Contains(body, "function handler(event)") || !strings.Contains(body, "/cdn-cgi/image/") {
		t.Errorf("code does not explain the built-in function:\n%s", body)
	}

	for _, c := range []struct {
		call
		status int
		code   string
	}{
		{call{method: "GET", path: functionPath + "/other/describe"}, 404, "NoSuchFunctionExists"},
		{call{method: "GET", path: functionPath + "/other"}, 404, "NoSuchFunctionExists"},
		{call{method: "GET", path: optimizerPath + "/describe?Stage=BETA"}, 400, "InvalidArgument"},
		{call{method: "GET", path: optimizerPath + "/describe", key: userKey}, 403, "AccessDenied"},
		{call{method: "GET", path: optimizerPath + "/describe", key: "-"}, 403, "MissingAuthenticationToken"},
	} {
		w := hs.do(c.call)
		if w.Code != c.status || errorCode(t, w) != c.code {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, w.Code, errorCode(t, w), c.status, c.code)
		}
	}
}

func TestFunctionChangesRefused(t *testing.T) {
	hs := newHarness(t, nil)
	create := func(name string) string {
		return `<CreateFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Name>` + name +
			`</Name><FunctionConfig><Comment>c</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>ZnVuY3Rpb24gaGFuZGxlcihlKXtyZXR1cm4gZS5yZXF1ZXN0fQ==</FunctionCode></CreateFunctionRequest>`
	}
	for _, c := range []struct {
		call
		status int
		code   string
	}{
		{call{method: "POST", path: functionPath, body: create(distrib.ImageOptimizerFunctionName)}, 409, "FunctionAlreadyExists"},
		{call{method: "POST", path: functionPath, body: create("rewrite-urls")}, 400, "UnsupportedOperation"},
		{call{method: "POST", path: functionPath, body: create("bad name!")}, 400, "InvalidArgument"},
		{call{method: "POST", path: functionPath, body: `<CreateFunctionRequest/>`}, 400, "InvalidArgument"},
		{call{method: "POST", path: functionPath, body: `<Other/>`}, 400, "MalformedInput"},
		{call{method: "POST", path: functionPath}, 400, "MissingBody"},
		{call{method: "PUT", path: optimizerPath, body: create(distrib.ImageOptimizerFunctionName), ifMatch: optimizerETag}, 400, "UnsupportedOperation"},
		{call{method: "PUT", path: optimizerPath, body: create(distrib.ImageOptimizerFunctionName)}, 400, "InvalidIfMatchVersion"},
		{call{method: "PUT", path: optimizerPath, body: create(distrib.ImageOptimizerFunctionName), ifMatch: "EWRONG"}, 412, "PreconditionFailed"},
		{call{method: "POST", path: optimizerPath + "/publish", ifMatch: optimizerETag}, 400, "UnsupportedOperation"},
		{call{method: "POST", path: optimizerPath + "/test", ifMatch: optimizerETag, body: "<TestFunctionRequest/>"}, 400, "UnsupportedOperation"},
		{call{method: "DELETE", path: optimizerPath, ifMatch: optimizerETag}, 400, "UnsupportedOperation"},
		{call{method: "DELETE", path: optimizerPath}, 400, "InvalidIfMatchVersion"},
		{call{method: "DELETE", path: functionPath + "/other", ifMatch: optimizerETag}, 404, "NoSuchFunctionExists"},
		{call{method: "POST", path: functionPath + "/other/publish", ifMatch: "E1"}, 404, "NoSuchFunctionExists"},
		{call{method: "PATCH", path: functionPath}, 501, "NotImplemented"},
	} {
		w := hs.do(c.call)
		if w.Code != c.status || errorCode(t, w) != c.code {
			t.Errorf("%s %s (If-Match %q): %d %s, want %d %s", c.method, c.path, c.ifMatch, w.Code, errorCode(t, w), c.status, c.code)
		}
	}
	// The function is still there, unchanged.
	if w := hs.do(call{method: "GET", path: optimizerPath + "/describe"}); w.Code != 200 || w.Header().Get("ETag") != optimizerETag {
		t.Errorf("after the refused changes: %d %q", w.Code, w.Header().Get("ETag"))
	}
}

func TestListFunctions(t *testing.T) {
	hs := newHarness(t, nil)
	list := func(query string) functionListXML {
		t.Helper()
		w := hs.do(call{method: "GET", path: functionPath + query})
		var l functionListXML
		if err := xml.Unmarshal(w.Body.Bytes(), &l); err != nil || w.Code != 200 {
			t.Fatalf("list%s: %d %v\n%s", query, w.Code, err, w.Body)
		}
		return l
	}
	if l := list(""); l.Quantity != 1 || l.MaxItems != 100 || l.Items == nil || l.Items.Summaries[0].Name != distrib.ImageOptimizerFunctionName ||
		l.Items.Summaries[0].FunctionMetadata.Stage != stageLive {
		t.Errorf("list: %+v", l)
	}
	if l := list("?Stage=DEVELOPMENT&MaxItems=5"); l.Quantity != 1 || l.MaxItems != 5 || l.Items.Summaries[0].FunctionMetadata.Stage != stageDevelopment {
		t.Errorf("list DEVELOPMENT: %+v", l)
	}
	if l := list("?Marker=" + distrib.ImageOptimizerFunctionName); l.Quantity != 0 || l.Items != nil {
		t.Errorf("list after the only function: %+v", l)
	}
	if w := hs.do(call{method: "GET", path: functionPath + "?MaxItems=0"}); w.Code != 400 || errorCode(t, w) != "InvalidArgument" {
		t.Errorf("MaxItems=0: %d", w.Code)
	}
}

// TestFunctionAssociationInDistribution: the optimizer's ARN is accepted in a cache behavior
// (and its status turns DEPLOYED); any other function ARN is InvalidFunctionAssociation.
func TestFunctionAssociationInDistribution(t *testing.T) {
	// The control plane knows the account, as internal/app sets it up.
	hs := newHarness(t, func(c *distrib.Config) { c.AccountID = "123456789012" })
	w := hs.do(call{method: "POST", path: oaiPath, body: oaiBody})
	var o oaiXML
	if err := xml.Unmarshal(w.Body.Bytes(), &o); err != nil || w.Code != 201 {
		t.Fatalf("create OAI: %d %v", w.Code, err)
	}
	body := strings.Replace(seedDistBody, "OAIID", o.ID, 1)
	withFunc := func(body, arn, event string) string {
		return strings.Replace(body, "<Compress>true</Compress>", "<Compress>true</Compress><FunctionAssociations><Quantity>1</Quantity><Items><FunctionAssociation><FunctionARN>"+
			arn+"</FunctionARN><EventType>"+event+"</EventType></FunctionAssociation></Items></FunctionAssociations>", 1)
	}
	for _, c := range []struct{ arn, event string }{
		{"arn:aws:cloudfront::123456789012:function/rewrite-urls", "viewer-request"},
		{"arn:aws:cloudfront::999999999999:function/imgcdn-image-optimizer", "viewer-request"},
		{"arn:aws:cloudfront::123456789012:function/imgcdn-image-optimizer", "viewer-response"},
	} {
		w := hs.do(call{method: "POST", path: distPath, body: withFunc(body, c.arn, c.event)})
		if w.Code != 400 || errorCode(t, w) != "InvalidFunctionAssociation" {
			t.Errorf("%s on %s: %d %s, want 400 InvalidFunctionAssociation", c.arn, c.event, w.Code, w.Body)
		}
	}
	w = hs.do(call{method: "POST", path: distPath, body: withFunc(body, distrib.ImageOptimizerARN("123456789012"), "viewer-request")})
	if w.Code != 201 {
		t.Fatalf("create with the optimizer: %d %s", w.Code, w.Body)
	}
	var d distributionXML
	if err := xml.Unmarshal(w.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Body.String(), "<FunctionARN>arn:aws:cloudfront::123456789012:function/imgcdn-image-optimizer</FunctionARN>") {
		t.Errorf("the association is not returned:\n%s", w.Body)
	}
	var s functionSummaryDoc
	w = hs.do(call{method: "GET", path: optimizerPath + "/describe"})
	if err := xml.Unmarshal(w.Body.Bytes(), &s); err != nil || s.Status != statusDeployed {
		t.Errorf("status after an association = %q, %v; want DEPLOYED", s.Status, err)
	}
}

func TestFunctionGolden(t *testing.T) {
	hs := newHarness(t, nil)
	s, err := hs.h.optimizerSummary(stageLive)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "function_summary", functionSummaryDoc{functionSummaryXML: s})
	checkGolden(t, "function_list", functionListXML{MaxItems: 100, Quantity: 1, Items: &functionItemsXML{[]functionSummaryXML{s}}})
	checkGolden(t, "function_list_empty", functionListXML{MaxItems: 100})
	checkGolden(t, "error_function_exists", errorDocument(errorFor(errFunctionExists), "3b7e1d0c-6f0e-4d3a-9c59-6b1e0a3f5d21"))
}
