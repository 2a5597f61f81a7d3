package cfapi

import (
	"net/url"
	"testing"
)

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
		{"POST", "/2020-05-31/distribution", opCreateDistribution, ""},
		{"GET", "/2020-05-31/distribution", opListDistributions, ""},
		{"GET", "/2020-05-31/distribution/E3", opGetDistribution, "E3"},
		{"GET", "/2020-05-31/distribution/E3/config", opGetDistributionConfig, "E3"},
		{"PUT", "/2020-05-31/distribution/E3/config", opUpdateDistribution, "E3"},
		{"DELETE", "/2020-05-31/distribution/E3", opDeleteDistribution, "E3"},
		{"POST", "/2020-05-31/distribution/E3/invalidation", opUnsupported, ""},
		{"GET", "/2020-05-31/distributionX", opUnsupported, ""},
		{"PUT", "/2020-05-31/distribution/E3", opUnsupported, ""},
		{"POST", "/2019-03-26/origin-access-identity/cloudfront", opUnsupported, ""},
		{"GET", "/", opUnsupported, ""},
		{"POST", "/2020-05-31/cache-policy", opCreateCachePolicy, ""},
		{"GET", "/2020-05-31/cache-policy", opListCachePolicies, ""},
		{"GET", "/2020-05-31/cache-policy/658327ea-f89d-4fab-a63d-7e88639e58f6", opGetCachePolicy, "658327ea-f89d-4fab-a63d-7e88639e58f6"},
		{"GET", "/2020-05-31/cache-policy/p1/config", opGetCachePolicyConfig, "p1"},
		{"PUT", "/2020-05-31/cache-policy/p1", opUpdateCachePolicy, "p1"},
		{"PUT", "/2020-05-31/cache-policy/p1/config", opUnsupported, ""},
		{"DELETE", "/2020-05-31/cache-policy/p1", opDeleteCachePolicy, "p1"},
		{"POST", "/2020-05-31/origin-request-policy", opCreateOriginRequestPolicy, ""},
		{"GET", "/2020-05-31/origin-request-policy", opListOriginRequestPolicies, ""},
		{"GET", "/2020-05-31/origin-request-policy/p2", opGetOriginRequestPolicy, "p2"},
		{"GET", "/2020-05-31/origin-request-policy/p2/config", opGetOriginRequestPolicyConfig, "p2"},
		{"PUT", "/2020-05-31/origin-request-policy/p2", opUpdateOriginRequestPolicy, "p2"},
		{"DELETE", "/2020-05-31/origin-request-policy/p2", opDeleteOriginRequestPolicy, "p2"},
		{"POST", "/2020-05-31/response-headers-policy", opCreateResponseHeadersPolicy, ""},
		{"GET", "/2020-05-31/response-headers-policy", opListResponseHeadersPolicies, ""},
		{"GET", "/2020-05-31/response-headers-policy/p3", opGetResponseHeadersPolicy, "p3"},
		{"GET", "/2020-05-31/response-headers-policy/p3/config", opGetResponseHeadersPolicyConfig, "p3"},
		{"PUT", "/2020-05-31/response-headers-policy/p3", opUpdateResponseHeadersPolicy, "p3"},
		{"DELETE", "/2020-05-31/response-headers-policy/p3", opDeleteResponseHeadersPolicy, "p3"},
		{"POST", "/2020-05-31/response-headers-policy/p3", opUnsupported, ""},
		{"GET", "/2020-05-31/tagging", opListTagsForResource, ""},
		{"POST", "/2020-05-31/tagging", opTagResource, ""},
		{"DELETE", "/2020-05-31/tagging", opUnsupported, ""},
		{"GET", "/2020-05-31/tagging/x", opUnsupported, ""},
	} {
		o, id := route(tc.method, tc.path)
		if o != tc.op || id != tc.id {
			t.Errorf("route(%s %s) = %v %q, want %v %q", tc.method, tc.path, o, id, tc.op, tc.id)
		}
	}
}

func TestWithQuery(t *testing.T) {
	for _, tc := range []struct {
		in    op
		query string
		want  op
	}{
		{opCreateDistribution, "", opCreateDistribution},
		{opCreateDistribution, "WithTags", opCreateDistributionWithTags},
		{opCreateDistribution, "WithTags=", opCreateDistributionWithTags},
		{opListDistributions, "WithTags", opListDistributions},
		{opTagResource, "Operation=Tag&Resource=arn", opTagResource},
		{opTagResource, "Operation=Untag", opUntagResource},
		{opTagResource, "Operation=Delete", opUnsupported},
		{opTagResource, "", opUnsupported},
		{opListTagsForResource, "Operation=Untag", opListTagsForResource},
	} {
		q, _ := url.ParseQuery(tc.query)
		if got := withQuery(tc.in, q); got != tc.want {
			t.Errorf("withQuery(%v, %q) = %v, want %v", tc.in, tc.query, got, tc.want)
		}
	}
}

func TestRouteInvalidation(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		op           op
		dist, inv    string
		ok           bool
	}{
		{"POST", "/2020-05-31/distribution/E3/invalidation", opCreateInvalidation, "E3", "", true},
		{"GET", "/2020-05-31/distribution/E3/invalidation", opListInvalidations, "E3", "", true},
		{"GET", "/2020-05-31/distribution/E3/invalidation/I4", opGetInvalidation, "E3", "I4", true},
		{"DELETE", "/2020-05-31/distribution/E3/invalidation/I4", opUnsupported, "", "", true},
		{"GET", "/2020-05-31/distribution/E3/invalidation/", opUnsupported, "", "", true},
		{"GET", "/2020-05-31/distribution/E3/invalidation/I4/x", opUnsupported, "", "", true},
		{"GET", "/2020-05-31/distribution/E3/invalidations", opUnsupported, "", "", false},
		{"GET", "/2020-05-31/distribution//invalidation", opUnsupported, "", "", false},
		{"GET", "/2020-05-31/distribution/E3/config", opUnsupported, "", "", false},
		{"GET", "/2020-05-31/distribution/E3", opUnsupported, "", "", false},
	} {
		o, dist, inv, ok := routeInvalidation(tc.method, tc.path)
		if o != tc.op || dist != tc.dist || inv != tc.inv || ok != tc.ok {
			t.Errorf("routeInvalidation(%s %s) = %v %q %q %v, want %v %q %q %v", tc.method, tc.path, o, dist, inv, ok, tc.op, tc.dist, tc.inv, tc.ok)
		}
	}
}
