package cfapi

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
)

func invalidationBody(ref string, paths ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Paths><Quantity>%d</Quantity><Items>`, len(paths))
	for _, p := range paths {
		fmt.Fprintf(&b, "<Path>%s</Path>", p)
	}
	fmt.Fprintf(&b, "</Items></Paths><CallerReference>%s</CallerReference></InvalidationBatch>", ref)
	return b.String()
}

func TestInvalidationFlow(t *testing.T) {
	hs, body := distHarness(t)
	w := hs.do(call{method: "POST", path: distPath, body: body})
	var d distributionXML
	if err := xml.Unmarshal(w.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	invPath := distPath + "/" + d.ID + "/invalidation"
	if err := hs.svc.RegisterEdge("edge-1"); err != nil {
		t.Fatal(err)
	}
	w = hs.do(call{method: "POST", path: invPath, body: invalidationBody("ref-1", "/images/*")})
	if w.Code != 201 {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var inv invalidationXML
	if err := xml.Unmarshal(w.Body.Bytes(), &inv); err != nil {
		t.Fatal(err)
	}
	if loc := w.Header().Get("Location"); loc != endpoint+invPath+"/"+inv.ID || inv.Status != "InProgress" {
		t.Errorf("Location %q Status %q", loc, inv.Status)
	}
	if again := hs.do(call{method: "POST", path: invPath, body: invalidationBody("ref-1", "/images/*")}); again.Code != 201 ||
		!strings.Contains(again.Body.String(), "<Id>"+inv.ID+"</Id>") {
		t.Errorf("repeated create: %d %s", again.Code, again.Body)
	}
	g := hs.do(call{method: "GET", path: distPath + "/" + d.ID})
	if !strings.Contains(g.Body.String(), "<InProgressInvalidationBatches>1</InProgressInvalidationBatches>") {
		t.Errorf("get distribution: %s", g.Body)
	}
	if err := hs.svc.MarkInvalidationsApplied("edge-1", 1); err != nil {
		t.Fatal(err)
	}
	g = hs.do(call{method: "GET", path: invPath + "/" + inv.ID})
	if g.Code != 200 || !strings.Contains(g.Body.String(), "<Status>Completed</Status>") || !strings.Contains(g.Body.String(), "<Path>/images/*</Path>") {
		t.Errorf("get: %d %s", g.Code, g.Body)
	}
	l := hs.do(call{method: "GET", path: invPath})
	var list invalidationListXML
	if err := xml.Unmarshal(l.Body.Bytes(), &list); err != nil || list.Quantity != 1 || list.Items.Summary[0].ID != inv.ID {
		t.Errorf("list: %v %s", err, l.Body)
	}

	wild := make([]string, 16)
	for i := range wild {
		wild[i] = fmt.Sprintf("/w%d/*", i)
	}
	many := make([]string, 3001)
	for i := range many {
		many[i] = fmt.Sprintf("/p%d", i)
	}
	for _, tc := range []struct {
		name   string
		c      call
		status int
		code   string
	}{
		{"no body", call{method: "POST", path: invPath}, 400, "MissingBody"},
		{"relative path", call{method: "POST", path: invPath, body: invalidationBody("r2", "images/*")}, 400, "InvalidArgument"},
		{"inner wildcard", call{method: "POST", path: invPath, body: invalidationBody("r2", "/im*/a")}, 400, "InvalidArgument"},
		{"quantity", call{method: "POST", path: invPath, body: strings.Replace(invalidationBody("r2", "/a"), "<Quantity>1", "<Quantity>2", 1)}, 400, "InconsistentQuantities"},
		{"reference reused", call{method: "POST", path: invPath, body: invalidationBody("ref-1", "/other")}, 409, "InvalidationBatchAlreadyExists"},
		{"too large", call{method: "POST", path: invPath, body: invalidationBody("r3", many...)}, 413, "BatchTooLarge"},
		{"16 wildcards", call{method: "POST", path: invPath, body: invalidationBody("r4", wild...)}, 400, "TooManyInvalidationsInProgress"},
		{"no distribution", call{method: "POST", path: distPath + "/ENOSUCHDIST123/invalidation", body: invalidationBody("r5", "/a")}, 404, "NoSuchDistribution"},
		{"no invalidation", call{method: "GET", path: invPath + "/INOSUCHINVAL12"}, 404, "NoSuchInvalidation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := hs.do(tc.c)
			if w.Code != tc.status || errorCode(t, w) != tc.code {
				t.Errorf("%d %.300s, want %d %s", w.Code, w.Body, tc.status, tc.code)
			}
		})
	}
}
