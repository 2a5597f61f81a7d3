package cfapi

import "net/http"

// createResponseHeadersPolicy is CreateResponseHeadersPolicy: 201 with Location and ETag.
func (h *Handler) createResponseHeadersPolicy(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeResponseHeadersPolicyConfig(b)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.CreateResponseHeadersPolicy(cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusCreated, etag: p.ETag,
		location: h.cfg.endpoint(rq.r) + responseHeadersPolicyPath + "/" + p.ID, doc: responseHeadersPolicyDoc{responseHeadersPolicyXML: toResponseHeadersPolicyXML(p)}}, nil
}

func (h *Handler) getResponseHeadersPolicy(rq *request) (*response, error) {
	p, err := h.svc.ResponseHeadersPolicy(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: p.ETag, doc: responseHeadersPolicyDoc{responseHeadersPolicyXML: toResponseHeadersPolicyXML(p)}}, nil
}

func (h *Handler) getResponseHeadersPolicyConfig(rq *request) (*response, error) {
	p, err := h.svc.ResponseHeadersPolicy(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: p.ETag, doc: responseHeadersPolicyConfigDoc{rhpConfigXML: responseHeadersPolicyConfigOut(p.Config)}}, nil
}

// updateResponseHeadersPolicy is UpdateResponseHeadersPolicy: PUT on the policy, If-Match the current ETag.
func (h *Handler) updateResponseHeadersPolicy(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeResponseHeadersPolicyConfig(b)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.UpdateResponseHeadersPolicy(rq.id, rq.ifMatch(), cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: p.ETag, doc: responseHeadersPolicyDoc{responseHeadersPolicyXML: toResponseHeadersPolicyXML(p)}}, nil
}

// listResponseHeadersPolicies is ListResponseHeadersPolicies, with its Type filter (managed or custom).
func (h *Handler) listResponseHeadersPolicies(rq *request) (*response, error) {
	typ, page, err := rq.policyList()
	if err != nil {
		return nil, err
	}
	l, err := h.svc.ListResponseHeadersPolicies(typ, page)
	if err != nil {
		return nil, err
	}
	doc := responseHeadersPolicyListXML{NextMarker: l.NextMarker, MaxItems: page.MaxItems, Quantity: len(l.Items)}
	if len(l.Items) > 0 {
		items := alloc(&doc.Items)
		for _, p := range l.Items {
			items.Summary = append(items.Summary, responseHeadersPolicySummaryXML{Type: p.Type(), Policy: toResponseHeadersPolicyXML(p)})
		}
	}
	return &response{status: http.StatusOK, doc: doc}, nil
}
