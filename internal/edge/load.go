package edge

import (
	"net/url"
	"strings"
)

// Load replaces what the edge serves with st. A distribution that cannot be compiled keeps
// its previous version and is returned in failed; applied holds the version of every
// distribution now served as configured, which is what the edge reports to the control plane
// (a distribution turns Deployed only when every edge has applied it). Distributions that are
// gone have their cached objects removed.
func (h *Handler) Load(st State) (applied map[string]int64, failed map[string]error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := h.sites.Load()
	next := &table{hosts: map[string]*site{}, byID: map[string]*site{}}
	applied, failed = map[string]int64{}, map[string]error{}
	for _, d := range st.Distributions {
		s, err := compile(d, &st)
		if err != nil {
			failed[d.ID] = err
			h.log.Warn("edge: distribution not applied", "id", d.ID, "err", err)
			if prev, ok := old.byID[d.ID]; ok {
				s = prev
			} else {
				continue
			}
		} else {
			s.version = d.Version
			applied[d.ID] = d.Version
		}
		if s.domain == "" {
			s.domain = strings.ToLower(d.DomainLabel + "." + h.cfg.CDNDomain)
		}
		next.byID[d.ID] = s
		next.hosts[s.domain] = s
		for _, a := range d.Config.Aliases {
			next.hosts[strings.ToLower(a)] = s
		}
	}
	h.sites.Store(next)
	for id := range old.byID {
		if _, ok := next.byID[id]; !ok {
			h.cfg.Cache.Invalidate(id, "/", true)
		}
	}
	return applied, failed
}

// Invalidate removes the cached objects of distribution dist that match paths, CloudFront
// invalidation paths: exact ("/images/a.jpg") or ending in "*" ("/images/*", "/*"). Every
// variant of a path goes (query strings, encodings, image variants). It returns how many
// entries were removed.
func (h *Handler) Invalidate(dist string, paths []string) int {
	n := 0
	for _, p := range paths {
		wildcard := strings.HasSuffix(p, "*")
		p = strings.TrimSuffix(p, "*")
		if q := strings.IndexByte(p, '?'); q >= 0 && !wildcard {
			p = p[:q]
		}
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		n += h.cfg.Cache.Invalidate(dist, p, wildcard)
	}
	return n
}
