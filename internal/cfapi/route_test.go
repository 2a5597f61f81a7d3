package cfapi

import "testing"

func TestRoute(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		op           op
		id           string
	}{
		{"POST", "/2020-05-31/origin-access-identity/cloudfront", opCreateOAI, ""},
		{"GET", "/2020-05-31/origin-access-identity/cloudfront", opListOAIs, ""},
		{"GET", "/2020-05-31/origin-access-identity/cloudfront/E1", opGetOAI, "E1"},
		{"GET", "/2020-05-31/origin-access-identity/cloudfront/E1/config", opGetOAIConfig, "E1"},
		{"PUT", "/2020-05-31/origin-access-identity/cloudfront/E1/config", opUpdateOAI, "E1"},
		{"DELETE", "/2020-05-31/origin-access-identity/cloudfront/E1", opDeleteOAI, "E1"},
		{"POST", "/2020-05-31/origin-access-control", opCreateOAC, ""},
		{"GET", "/2020-05-31/origin-access-control", opListOACs, ""},
		{"GET", "/2020-05-31/origin-access-control/E2", opGetOAC, "E2"},
		{"GET", "/2020-05-31/origin-access-control/E2/config", opGetOACConfig, "E2"},
		{"PUT", "/2020-05-31/origin-access-control/E2/config", opUpdateOAC, "E2"},
		{"DELETE", "/2020-05-31/origin-access-control/E2", opDeleteOAC, "E2"},

		{"PUT", "/2020-05-31/origin-access-identity/cloudfront", opUnsupported, ""},
		{"PUT", "/2020-05-31/origin-access-identity/cloudfront/E1", opUnsupported, ""},
		{"DELETE", "/2020-05-31/origin-access-identity/cloudfront/E1/config", opUnsupported, ""},
		{"GET", "/2020-05-31/origin-access-identity/cloudfront/", opUnsupported, ""},
		{"GET", "/2020-05-31/origin-access-identity/cloudfront//config", opUnsupported, ""},
		{"GET", "/2020-05-31/origin-access-identity/cloudfront/E1/other", opUnsupported, ""},
		{"GET", "/2020-05-31/origin-access-identity/cloudfrontX", opUnsupported, ""},
		{"GET", "/2020-05-31/origin-access-control/E2/config/x", opUnsupported, ""},
		{"GET", "/2020-05-31/distribution", opUnsupported, ""},
		{"POST", "/2019-03-26/origin-access-identity/cloudfront", opUnsupported, ""},
		{"GET", "/", opUnsupported, ""},
	} {
		o, id := route(tc.method, tc.path)
		if o != tc.op || id != tc.id {
			t.Errorf("route(%s %s) = %v %q, want %v %q", tc.method, tc.path, o, id, tc.op, tc.id)
		}
	}
}
