package cfapi

import (
	"net/http"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// createDistribution is CreateDistribution, or CreateDistributionWithTags when withTags:
// 201 with Location and ETag. A repeated CallerReference with the same config answers the
// existing distribution the same way (API_CreateDistribution.html).
func (h *Handler) createDistribution(rq *request, withTags bool) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	var cfg distrib.DistributionConfig
	var tags []distrib.Tag
	if withTags {
		cfg, tags, err = decodeDistConfigWithTags(b)
	} else {
		cfg, err = decodeDistConfig(b)
	}
	if err != nil {
		return nil, err
	}
	d, _, err := h.svc.CreateDistribution(cfg, tags)
	if err != nil {
		return nil, err
	}
	doc, err := h.distributionDoc(d)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusCreated, etag: d.ETag,
		location: h.cfg.endpoint(rq.r) + distPath + "/" + d.ID, doc: doc}, nil
}

func (h *Handler) getDistribution(rq *request) (*response, error) {
	d, err := h.svc.GetDistribution(rq.id)
	if err != nil {
		return nil, err
	}
	doc, err := h.distributionDoc(d)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: d.ETag, doc: doc}, nil
}

func (h *Handler) getDistributionConfig(rq *request) (*response, error) {
	d, err := h.svc.GetDistribution(rq.id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: d.ETag, doc: distConfigDoc{distConfigXML: fromDomain(d.Config)}}, nil
}

// updateDistribution is UpdateDistribution: the whole config is replaced, and If-Match must
// be the current ETag (API_UpdateDistribution.html).
func (h *Handler) updateDistribution(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeDistConfig(b)
	if err != nil {
		return nil, err
	}
	d, err := h.svc.UpdateDistribution(rq.id, rq.ifMatch(), cfg)
	if err != nil {
		return nil, err
	}
	doc, err := h.distributionDoc(d)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, etag: d.ETag, doc: doc}, nil
}

func (h *Handler) deleteDistribution(rq *request) (*response, error) {
	if err := h.svc.DeleteDistribution(rq.id, rq.ifMatch()); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

func (h *Handler) listDistributions(rq *request) (*response, error) {
	p, err := rq.page()
	if err != nil {
		return nil, err
	}
	l, err := h.svc.ListDistributions(p)
	if err != nil {
		return nil, err
	}
	doc := distListXML{Marker: p.Marker, NextMarker: l.NextMarker, MaxItems: p.MaxItems,
		IsTruncated: l.IsTruncated, Quantity: len(l.Items)}
	if len(l.Items) > 0 {
		items := alloc(&doc.Items)
		for _, d := range l.Items {
			items.Summary = append(items.Summary, h.summary(d))
		}
	}
	return &response{status: http.StatusOK, doc: doc}, nil
}

func (h *Handler) arn(id string) string {
	return "arn:aws:cloudfront::" + h.cfg.AccountID + ":distribution/" + id
}

func (h *Handler) domainName(d distrib.Distribution) string {
	return d.DomainLabel + "." + h.cfg.cdnDomain()
}

// distributionDoc renders d with its count of invalidations in progress.
func (h *Handler) distributionDoc(d distrib.Distribution) (distributionXML, error) {
	n, err := h.svc.InProgressInvalidations(d.ID)
	if err != nil {
		return distributionXML{}, err
	}
	return distributionXML{ID: d.ID, ARN: h.arn(d.ID), Status: d.Status, LastModifiedTime: formatTime(d.LastModified),
		InProgressInvalidationBatches: n, DomainName: h.domainName(d), Config: fromDomain(d.Config)}, nil
}

func (h *Handler) summary(d distrib.Distribution) distSummaryXML {
	c := fromDomain(d.Config)
	return distSummaryXML{ID: d.ID, ARN: h.arn(d.ID), ETag: d.ETag, Status: d.Status, LastModifiedTime: formatTime(d.LastModified),
		DomainName: h.domainName(d), Aliases: c.Aliases, Origins: c.Origins, OriginGroups: c.OriginGroups,
		DefaultCacheBehavior: c.DefaultCacheBehavior, CacheBehaviors: c.CacheBehaviors, CustomErrorResponses: c.CustomErrorResponses,
		Comment: c.Comment, PriceClass: c.PriceClass, Enabled: c.Enabled, ViewerCertificate: c.ViewerCertificate,
		Restrictions: c.Restrictions, WebACLID: c.WebACLID, HTTPVersion: c.HTTPVersion, IsIPV6Enabled: c.IsIPV6Enabled, Staging: c.Staging}
}
