package cfapi

import (
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGolden pins every response document, byte for byte, with fixed ids.
func TestGolden(t *testing.T) {
	oai := distrib.OAI{ID: "E2QWRUHAPOMQZL", S3CanonicalUserID: auth.OAICanonicalID("E2QWRUHAPOMQZL"),
		Config: distrib.OAIConfig{CallerReference: "aws-cli-example-caller-2025", Comment: "OAI for image-bucket-2025 & <friends>"}}
	oac := distrib.OACConfig{Name: "images", Description: "S3 origin", SigningProtocol: "sigv4", SigningBehavior: "always", OriginType: "s3"}
	for _, tc := range []struct {
		name string
		doc  any
	}{
		{"oai", toOAIXML(oai)},
		{"oai_config", oaiConfigDoc{CallerReference: oai.Config.CallerReference, Comment: oai.Config.Comment}},
		{"oai_list", oaiListXML{Marker: "", NextMarker: "E2QWRUHAPOMQZL", MaxItems: 1, IsTruncated: true, Quantity: 1,
			Items: &oaiItemsXML{[]oaiSummaryXML{{ID: oai.ID, S3CanonicalUserID: oai.S3CanonicalUserID, Comment: oai.Config.Comment}}}}},
		{"oai_list_empty", oaiListXML{Marker: "E2QWRUHAPOMQZL", MaxItems: 100}},
		{"oac", oacXML{ID: "E1OACEXAMPLE12", Config: toOACConfigXML(oac)}},
		{"oac_config", oacConfigDoc{Name: oac.Name, Description: oac.Description, SigningProtocol: oac.SigningProtocol,
			SigningBehavior: oac.SigningBehavior, OriginType: oac.OriginType}},
		{"oac_list", oacListXML{MaxItems: 100, Quantity: 1, Items: &oacItemsXML{[]oacSummaryXML{{ID: "E1OACEXAMPLE12", Description: oac.Description,
			Name: oac.Name, SigningProtocol: oac.SigningProtocol, SigningBehavior: oac.SigningBehavior, OriginType: oac.OriginType}}}}},
		{"error", errorDocument(errorFor(distrib.ErrPreconditionFailed), "3b7e1d0c-6f0e-4d3a-9c59-6b1e0a3f5d21")},
	} {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, tc.name, tc.doc) })
	}
}

// newRecorderXML is what writeXML sends for doc.
func newRecorderXML(doc any) []byte {
	w := httptest.NewRecorder()
	writeXML(w, 200, doc)
	return w.Body.Bytes()
}

// checkGolden compares doc as written by writeXML with testdata/<name>.golden.
func checkGolden(t *testing.T, name string, doc any) {
	t.Helper()
	got := newRecorderXML(doc)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs:\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
