package cfapi

import "net/http"

// createCachePolicy is CreateCachePolicy: 201 with Location and ETag.
func (h *Handler) createCachePolicy(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeCachePolicyConfig(b)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.CreateCachePolicy(cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusCreated, etag: p.ETag,
		location: h.cfg.endpoint(rq.r) + cachePolicyPath + "/" + p.ID, doc: cachePolicyDoc{cachePolicyXML: toCachePolicyXML(p)}}, nil
}

func (h *Handler) getCachePolicy(rq *request) (*response, error) {
	p, err := h.svc.CachePolicy(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: p.ETag, doc: cachePolicyDoc{cachePolicyXML: toCachePolicyXML(p)}}, nil
}

func (h *Handler) getCachePolicyConfig(rq *request) (*response, error) {
	p, err := h.svc.CachePolicy(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: p.ETag, doc: cachePolicyConfigDoc{cachePolicyConfigXML: cachePolicyConfigOut(p.Config)}}, nil
}

// updateCachePolicy is UpdateCachePolicy: PUT on the policy, If-Match the current ETag.
func (h *Handler) updateCachePolicy(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeCachePolicyConfig(b)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.UpdateCachePolicy(rq.id, rq.ifMatch(), cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: p.ETag, doc: cachePolicyDoc{cachePolicyXML: toCachePolicyXML(p)}}, nil
}

// listCachePolicies is ListCachePolicies, with its Type filter (managed or custom).
func (h *Handler) listCachePolicies(rq *request) (*response, error) {
	typ, page, err := rq.policyList()
	if err != nil {
		return nil, err
	}
	l, err := h.svc.ListCachePolicies(typ, page)
	if err != nil {
		return nil, err
	}
	doc := cachePolicyListXML{NextMarker: l.NextMarker, MaxItems: page.MaxItems, Quantity: len(l.Items)}
	if len(l.Items) > 0 {
		items := alloc(&doc.Items)
		for _, p := range l.Items {
			items.Summary = append(items.Summary, cachePolicySummaryXML{Type: p.Type(), Policy: toCachePolicyXML(p)})
		}
	}
	return &response{status: http.StatusOK, doc: doc}, nil
}
