package edge

// What the edge tells the observers around it (metrics, access logs) about a request's
// host, without them reaching into its tables: they wrap the Handler from outside.

// DistributionID returns the id of the distribution served at host (a Host header: any
// case, with or without a port), or "" when host is not a distribution domain or alias.
func (h *Handler) DistributionID(host string) string {
	if s, ok := h.sites.Load().hosts[hostOnly(host)]; ok {
		return s.id
	}
	return ""
}

// DistributionDomain returns the domain name (d....<CDN domain>) of the distribution
// served at host, or "" when there is none: CloudFront's access logs put it in cs(Host)
// whichever alias the viewer used.
func (h *Handler) DistributionDomain(host string) string {
	if s, ok := h.sites.Load().hosts[hostOnly(host)]; ok {
		return s.domain
	}
	return ""
}
