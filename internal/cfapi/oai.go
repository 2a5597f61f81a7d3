package cfapi

import (
	"net/http"
)

// createOAI is CreateCloudFrontOriginAccessIdentity: 201 with Location and ETag. A repeated
// CallerReference with the same config answers the existing identity the same way
// (API_CreateCloudFrontOriginAccessIdentity.html: "the response includes the same
// information returned to the original request").
func (h *Handler) createOAI(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeOAIConfig(b)
	if err != nil {
		return nil, err
	}
	o, _, err := h.svc.CreateOAI(cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusCreated, etag: o.ETag,
		location: h.cfg.endpoint(rq.r) + oaiPath + "/" + o.ID, doc: toOAIXML(o)}, nil
}

func (h *Handler) getOAI(rq *request) (*response, error) {
	o, err := h.svc.GetOAI(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: o.ETag, doc: toOAIXML(o)}, nil
}

func (h *Handler) getOAIConfig(rq *request) (*response, error) {
	o, err := h.svc.GetOAI(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: o.ETag,
		doc: oaiConfigDoc{CallerReference: o.Config.CallerReference, Comment: o.Config.Comment}}, nil
}

// updateOAI is UpdateCloudFrontOriginAccessIdentity: If-Match must be the current ETag.
func (h *Handler) updateOAI(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeOAIConfig(b)
	if err != nil {
		return nil, err
	}
	o, err := h.svc.UpdateOAI(rq.id, rq.ifMatch(), cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: o.ETag, doc: toOAIXML(o)}, nil
}

func (h *Handler) deleteOAI(rq *request) (*response, error) {
	if err := h.svc.DeleteOAI(rq.id, rq.ifMatch()); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

func (h *Handler) listOAIs(rq *request) (*response, error) {
	p, err := rq.page()
	if err != nil {
		return nil, err
	}
	l, err := h.svc.ListOAIs(p)
	if err != nil {
		return nil, err
	}
	doc := oaiListXML{Marker: p.Marker, NextMarker: l.NextMarker, MaxItems: p.MaxItems,
		IsTruncated: l.IsTruncated, Quantity: len(l.Items)}
	if len(l.Items) > 0 {
		doc.Items = &oaiItemsXML{}
	}
	for _, o := range l.Items {
		doc.Items.Summaries = append(doc.Items.Summaries, oaiSummaryXML{ID: o.ID, S3CanonicalUserID: o.S3CanonicalUserID, Comment: o.Config.Comment})
	}
	return &response{status: http.StatusOK, doc: doc}, nil
}
