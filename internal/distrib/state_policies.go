package distrib

import (
	"maps"
	"slices"
)

// referencedPolicies fills st's policy lists with the policies its distributions' cache
// behaviors name, managed ones included, each once, in id order: an edge resolves a
// behavior's CachePolicyId, OriginRequestPolicyId and ResponseHeadersPolicyId from the same
// snapshot as the behavior itself. Callers hold s.mu.
func (s *Service) referencedPolicies(st *EdgeState) error {
	cache, origin, headers := map[string]bool{}, map[string]bool{}, map[string]bool{}
	add := func(set map[string]bool, id string) {
		if id != "" {
			set[id] = true
		}
	}
	for _, d := range st.Distributions {
		for _, b := range append([]CacheBehavior{d.Config.DefaultCacheBehavior}, d.Config.CacheBehaviors...) {
			add(cache, b.CachePolicyID)
			add(origin, b.OriginRequestPolicyID)
			add(headers, b.ResponseHeadersPolicyID)
		}
	}
	var err error
	if st.CachePolicies, err = policiesByID(s, cachePolicyKind(), cache); err != nil {
		return err
	}
	if st.OriginRequestPolicies, err = policiesByID(s, originRequestPolicyKind(), origin); err != nil {
		return err
	}
	st.ResponseHeadersPolicies, err = policiesByID(s, responseHeadersPolicyKind(), headers)
	return err
}

// policiesByID returns the policies of kind k with the given ids, in id order. A missing one
// is an error: deleting a policy a cache behavior names is refused under s.mu.
func policiesByID[C any](s *Service, k policyKind[C], ids map[string]bool) ([]Policy[C], error) {
	out := make([]Policy[C], 0, len(ids))
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		p, err := getPolicy(s, k, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
