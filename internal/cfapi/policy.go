package cfapi

import "github.com/imgcdn/imgcdn/internal/distrib"

// servePolicy dispatches the operations of the three policy kinds; ok is false for any other
// operation.
func (h *Handler) servePolicy(o op, rq *request) (_ *response, _ error, ok bool) {
	var fn func(*request) (*response, error)
	switch o {
	case opCreateCachePolicy:
		fn = h.createCachePolicy
	case opGetCachePolicy:
		fn = h.getCachePolicy
	case opGetCachePolicyConfig:
		fn = h.getCachePolicyConfig
	case opUpdateCachePolicy:
		fn = h.updateCachePolicy
	case opDeleteCachePolicy:
		fn = func(rq *request) (*response, error) { return deleted(h.svc.DeleteCachePolicy(rq.id, rq.ifMatch())) }
	case opListCachePolicies:
		fn = h.listCachePolicies
	case opCreateOriginRequestPolicy:
		fn = h.createOriginRequestPolicy
	case opGetOriginRequestPolicy:
		fn = h.getOriginRequestPolicy
	case opGetOriginRequestPolicyConfig:
		fn = h.getOriginRequestPolicyConfig
	case opUpdateOriginRequestPolicy:
		fn = h.updateOriginRequestPolicy
	case opDeleteOriginRequestPolicy:
		fn = func(rq *request) (*response, error) {
			return deleted(h.svc.DeleteOriginRequestPolicy(rq.id, rq.ifMatch()))
		}
	case opListOriginRequestPolicies:
		fn = h.listOriginRequestPolicies
	case opCreateResponseHeadersPolicy:
		fn = h.createResponseHeadersPolicy
	case opGetResponseHeadersPolicy:
		fn = h.getResponseHeadersPolicy
	case opGetResponseHeadersPolicyConfig:
		fn = h.getResponseHeadersPolicyConfig
	case opUpdateResponseHeadersPolicy:
		fn = h.updateResponseHeadersPolicy
	case opDeleteResponseHeadersPolicy:
		fn = func(rq *request) (*response, error) {
			return deleted(h.svc.DeleteResponseHeadersPolicy(rq.id, rq.ifMatch()))
		}
	case opListResponseHeadersPolicies:
		fn = h.listResponseHeadersPolicies
	default:
		return nil, nil, false
	}
	resp, err := fn(rq)
	return resp, err, true
}

// deleted is the answer of a successful Delete (or tagging call): 204 without a body.
func deleted(err error) (*response, error) {
	if err != nil {
		return nil, err
	}
	return &response{status: 204}, nil
}

// policyList reads the Type, Marker and MaxItems query parameters of a List*Policies call.
func (rq *request) policyList() (string, distrib.Page, error) {
	p, err := rq.page()
	return rq.r.URL.Query().Get("Type"), p, err
}
