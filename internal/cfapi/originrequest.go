package cfapi

import "net/http"

// createOriginRequestPolicy is CreateOriginRequestPolicy: 201 with Location and ETag.
func (h *Handler) createOriginRequestPolicy(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeOriginRequestPolicyConfig(b)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.CreateOriginRequestPolicy(cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusCreated, etag: p.ETag,
		location: h.cfg.endpoint(rq.r) + originRequestPolicyPath + "/" + p.ID, doc: originRequestPolicyDoc{originRequestPolicyXML: toOriginRequestPolicyXML(p)}}, nil
}

func (h *Handler) getOriginRequestPolicy(rq *request) (*response, error) {
	p, err := h.svc.OriginRequestPolicy(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: p.ETag, doc: originRequestPolicyDoc{originRequestPolicyXML: toOriginRequestPolicyXML(p)}}, nil
}

func (h *Handler) getOriginRequestPolicyConfig(rq *request) (*response, error) {
	p, err := h.svc.OriginRequestPolicy(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: p.ETag, doc: originRequestPolicyConfigDoc{originRequestPolicyConfigXML: originRequestPolicyConfigOut(p.Config)}}, nil
}

// updateOriginRequestPolicy is UpdateOriginRequestPolicy: PUT on the policy, If-Match the current ETag.
func (h *Handler) updateOriginRequestPolicy(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeOriginRequestPolicyConfig(b)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.UpdateOriginRequestPolicy(rq.id, rq.ifMatch(), cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: p.ETag, doc: originRequestPolicyDoc{originRequestPolicyXML: toOriginRequestPolicyXML(p)}}, nil
}

// listOriginRequestPolicies is ListOriginRequestPolicies, with its Type filter (managed or custom).
func (h *Handler) listOriginRequestPolicies(rq *request) (*response, error) {
	typ, page, err := rq.policyList()
	if err != nil {
		return nil, err
	}
	l, err := h.svc.ListOriginRequestPolicies(typ, page)
	if err != nil {
		return nil, err
	}
	doc := originRequestPolicyListXML{NextMarker: l.NextMarker, MaxItems: page.MaxItems, Quantity: len(l.Items)}
	if len(l.Items) > 0 {
		items := alloc(&doc.Items)
		for _, p := range l.Items {
			items.Summary = append(items.Summary, originRequestPolicySummaryXML{Type: p.Type(), Policy: toOriginRequestPolicyXML(p)})
		}
	}
	return &response{status: http.StatusOK, doc: doc}, nil
}
