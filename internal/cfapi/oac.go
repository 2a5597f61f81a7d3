package cfapi

import (
	"net/http"
)

// createOAC is CreateOriginAccessControl: 201 with Location and ETag.
func (h *Handler) createOAC(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeOACConfig(b)
	if err != nil {
		return nil, err
	}
	o, err := h.svc.CreateOAC(cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusCreated, etag: o.ETag,
		location: h.cfg.endpoint(rq.r) + oacPath + "/" + o.ID,
		doc:      oacXML{ID: o.ID, Config: toOACConfigXML(o.Config)}}, nil
}

func (h *Handler) getOAC(rq *request) (*response, error) {
	o, err := h.svc.GetOAC(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: o.ETag, doc: oacXML{ID: o.ID, Config: toOACConfigXML(o.Config)}}, nil
}

func (h *Handler) getOACConfig(rq *request) (*response, error) {
	o, err := h.svc.GetOAC(rq.id)
	if err != nil {
		return nil, err
	}
	c := o.Config
	return &response{status: http.StatusOK, etag: o.ETag, doc: oacConfigDoc{Name: c.Name, Description: c.Description,
		SigningProtocol: c.SigningProtocol, SigningBehavior: c.SigningBehavior, OriginType: c.OriginType}}, nil
}

// updateOAC is UpdateOriginAccessControl: If-Match must be the current ETag.
func (h *Handler) updateOAC(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeOACConfig(b)
	if err != nil {
		return nil, err
	}
	o, err := h.svc.UpdateOAC(rq.id, rq.ifMatch(), cfg)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: o.ETag, doc: oacXML{ID: o.ID, Config: toOACConfigXML(o.Config)}}, nil
}

func (h *Handler) deleteOAC(rq *request) (*response, error) {
	if err := h.svc.DeleteOAC(rq.id, rq.ifMatch()); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

func (h *Handler) listOACs(rq *request) (*response, error) {
	p, err := rq.page()
	if err != nil {
		return nil, err
	}
	l, err := h.svc.ListOACs(p)
	if err != nil {
		return nil, err
	}
	doc := oacListXML{Marker: p.Marker, NextMarker: l.NextMarker, MaxItems: p.MaxItems,
		IsTruncated: l.IsTruncated, Quantity: len(l.Items)}
	if len(l.Items) > 0 {
		doc.Items = &oacItemsXML{}
	}
	for _, o := range l.Items {
		c := o.Config
		doc.Items.Summaries = append(doc.Items.Summaries, oacSummaryXML{ID: o.ID, Description: c.Description, Name: c.Name,
			SigningProtocol: c.SigningProtocol, SigningBehavior: c.SigningBehavior, OriginType: c.OriginType})
	}
	return &response{status: http.StatusOK, doc: doc}, nil
}
