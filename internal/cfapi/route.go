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
)

// Path prefixes of the resources, from the requestUri of each operation in botocore's model.
const (
	apiVersion = "/2020-05-31"
	oaiPath    = apiVersion + "/origin-access-identity/cloudfront"
	oacPath    = apiVersion + "/origin-access-control"
	distPath   = apiVersion + "/distribution"
)

// route classifies a request by method and path into an operation and the resource id in
// the path ("" when there is none). It is pure, so that the table in route_test.go pins the
// whole API surface. Anything else is opUnsupported.
func route(method, path string) (op, string) {
	for _, res := range []struct {
		prefix                                    string
		create, list, get, getConfig, update, del op
	}{
		{oaiPath, opCreateOAI, opListOAIs, opGetOAI, opGetOAIConfig, opUpdateOAI, opDeleteOAI},
		{oacPath, opCreateOAC, opListOACs, opGetOAC, opGetOACConfig, opUpdateOAC, opDeleteOAC},
		{distPath, opCreateDistribution, opListDistributions, opGetDistribution, opGetDistributionConfig, opUpdateDistribution, opDeleteDistribution},
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
		case hasSub && sub == "config" && method == http.MethodGet:
			return res.getConfig, id
		case hasSub && sub == "config" && method == http.MethodPut:
			return res.update, id
		}
		return opUnsupported, ""
	}
	return opUnsupported, ""
}

// withQuery refines an operation by its query string: CreateDistributionWithTags is
// POST /2020-05-31/distribution?WithTags (botocore's requestUri).
func withQuery(o op, q url.Values) op {
	if o == opCreateDistribution && q.Has("WithTags") {
		return opCreateDistributionWithTags
	}
	return o
}
