package cfapi

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestListPagination walks ListOriginAccessControls with MaxItems 2: Marker and NextMarker
// chain the pages and every control is listed once.
func TestListPagination(t *testing.T) {
	hs := newHarness(t, nil)
	for i := range 5 {
		body := strings.Replace(oacBody, "<Name>images</Name>", fmt.Sprintf("<Name>oac-%d</Name>", i), 1)
		if w := hs.do(call{method: "POST", path: oacPath, body: body}); w.Code != 201 {
			t.Fatalf("create %d: %d %s", i, w.Code, w.Body)
		}
	}
	seen := map[string]bool{}
	marker := ""
	for page := 0; ; page++ {
		if page > 5 {
			t.Fatal("pagination does not end")
		}
		w := hs.do(call{method: "GET", path: oacPath + "?MaxItems=2&Marker=" + url.QueryEscape(marker)})
		var l oacListXML
		if err := xml.Unmarshal(w.Body.Bytes(), &l); err != nil || w.Code != 200 {
			t.Fatalf("page %d: %d %v %s", page, w.Code, err, w.Body)
		}
		n := 0
		if l.Items != nil {
			n = len(l.Items.Summaries)
			for _, s := range l.Items.Summaries {
				if seen[s.ID] {
					t.Errorf("%s listed twice", s.ID)
				}
				seen[s.ID] = true
			}
		}
		if l.Quantity != n || n > 2 || l.MaxItems != 2 || l.Marker != marker {
			t.Errorf("page %d: %+v", page, l)
		}
		if !l.IsTruncated {
			if l.NextMarker != "" {
				t.Errorf("last page has NextMarker %q", l.NextMarker)
			}
			break
		}
		marker = l.NextMarker
	}
	if len(seen) != 5 {
		t.Errorf("listed %d controls, want 5", len(seen))
	}
}
