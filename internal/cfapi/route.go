package cfapi

import (
	"net/http"
	"net/url"
	"strings"
)

// op is one CloudFront operation.
type op int

const (
	opUnsupported op = iota
	opCreateOAI
	opGetOAI
	opGetOAIConfig
	opUpdateOAI
	opDeleteOAI
	opListOAIs
	opCreateOAC
	opGetOAC
	opGetOACConfig
	opUpdateOAC
	opDeleteOAC
	opListOACs
	opCreateDistribution
	opCreateDistributionWithTags
	opGetDistribution
	opGetDistributionConfig
	opUpdateDistribution
	opDeleteDistribution
	opListDistributions
	opCreateInvalidation
	opGetInvalidation
	opListInvalidations
	opCreateCachePolicy
	opGetCachePolicy
	opGetCachePolicyConfig
	opUpdateCachePolicy
	opDeleteCachePolicy
	opListCachePolicies
	opCreateOriginRequestPolicy
	opGetOriginRequestPolicy
	opGetOriginRequestPolicyConfig
	opUpdateOriginRequestPolicy
	opDeleteOriginRequestPolicy
	opListOriginRequestPolicies
	opCreateResponseHeadersPolicy
	opGetResponseHeadersPolicy
	opGetResponseHeadersPolicyConfig
	opUpdateResponseHeadersPolicy
	opDeleteResponseHeadersPolicy
	opListResponseHeadersPolicies
	opTagResource
	opUntagResource
	opListTagsForResource
	opCreateFunction
	opDescribeFunction
	opGetFunction
	opListFunctions
	opUpdateFunction
	opDeleteFunction
	opPublishFunction
	opTestFunction
)

// Path prefixes of the resources, from the requestUri of each operation in botocore's model.
const (
	apiVersion = "/2020-05-31"
	oaiPath    = apiVersion + "/origin-access-identity/cloudfront"
	oacPath    = apiVersion + "/origin-access-control"
	distPath   = apiVersion + "/distribution"
	// Policies are updated with PUT on the policy itself, not on /config.
	cachePolicyPath           = apiVersion + "/cache-policy"
	originRequestPolicyPath   = apiVersion + "/origin-request-policy"
	responseHeadersPolicyPath = apiVersion + "/response-headers-policy"
	taggingPath               = apiVersion + "/tagging"
)

// route classifies a request by method and path into an operation and the resource id in
// the path ("" when there is none). It is pure, so that the table in route_test.go pins the
// whole API surface. Anything else is opUnsupported.
func route(method, path string) (op, string) {
	if path == taggingPath {
		switch method {
		case http.MethodGet:
			return opListTagsForResource, ""
		case http.MethodPost:
			// TagResource or UntagResource, as the Operation query parameter says (withQuery).
			return opTagResource, ""
		}
		return opUnsupported, ""
	}
	for _, res := range []struct {
		prefix                                    string
		create, list, get, getConfig, update, del op
		// updateOnID: the update is PUT on the resource itself (policies), not on /config.
		updateOnID bool
	}{
		{oaiPath, opCreateOAI, opListOAIs, opGetOAI, opGetOAIConfig, opUpdateOAI, opDeleteOAI, false},
		{oacPath, opCreateOAC, opListOACs, opGetOAC, opGetOACConfig, opUpdateOAC, opDeleteOAC, false},
		{distPath, opCreateDistribution, opListDistributions, opGetDistribution, opGetDistributionConfig, opUpdateDistribution, opDeleteDistribution, false},
		{cachePolicyPath, opCreateCachePolicy, opListCachePolicies, opGetCachePolicy, opGetCachePolicyConfig, opUpdateCachePolicy, opDeleteCachePolicy, true},
		{originRequestPolicyPath, opCreateOriginRequestPolicy, opListOriginRequestPolicies, opGetOriginRequestPolicy,
			opGetOriginRequestPolicyConfig, opUpdateOriginRequestPolicy, opDeleteOriginRequestPolicy, true},
		{responseHeadersPolicyPath, opCreateResponseHeadersPolicy, opListResponseHeadersPolicies, opGetResponseHeadersPolicy,
			opGetResponseHeadersPolicyConfig, opUpdateResponseHeadersPolicy, opDeleteResponseHeadersPolicy, true},
	} {
		rest, ok := strings.CutPrefix(path, res.prefix)
		if !ok {
			continue
		}
		if rest == "" {
			switch method {
			case http.MethodPost:
				return res.create, ""
			case http.MethodGet:
				return res.list, ""
			}
			return opUnsupported, ""
		}
		rest, ok = strings.CutPrefix(rest, "/")
		if !ok || rest == "" {
			return opUnsupported, ""
		}
		id, sub, hasSub := strings.Cut(rest, "/")
		switch {
		case id == "":
		case !hasSub && method == http.MethodGet:
			return res.get, id
		case !hasSub && method == http.MethodDelete:
			return res.del, id
		case !hasSub && method == http.MethodPut && res.updateOnID:
			return res.update, id
		case hasSub && sub == "config" && method == http.MethodGet:
			return res.getConfig, id
		case hasSub && sub == "config" && method == http.MethodPut && !res.updateOnID:
			return res.update, id
		}
		return opUnsupported, ""
	}
	return opUnsupported, ""
}

// withQuery refines an operation by its query string: CreateDistributionWithTags is
// POST /2020-05-31/distribution?WithTags (botocore's requestUri).
//
// TagResource and UntagResource are POST /2020-05-31/tagging?Operation=Tag|Untag; any other
// Operation is not an operation CloudFront has.
func withQuery(o op, q url.Values) op {
	switch {
	case o == opCreateDistribution && q.Has("WithTags"):
		return opCreateDistributionWithTags
	case o == opTagResource:
		switch q.Get("Operation") {
		case "Tag":
			return opTagResource
		case "Untag":
			return opUntagResource
		}
		return opUnsupported
	}
	return o
}
