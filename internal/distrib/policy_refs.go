package distrib

// checkPolicyReferences checks that every policy id a cache behavior names exists, managed or
// custom (NoSuchCachePolicy, NoSuchOriginRequestPolicy, NoSuchResponseHeadersPolicy, as
// CreateDistribution and UpdateDistribution answer).
func (s *Service) checkPolicyReferences(cfg *DistributionConfig) error {
	for _, b := range cfg.behaviors() {
		if b.CachePolicyID != "" {
			if _, err := s.CachePolicy(b.CachePolicyID); err != nil {
				return err
			}
		}
		if b.OriginRequestPolicyID != "" {
			if _, err := s.OriginRequestPolicy(b.OriginRequestPolicyID); err != nil {
				return err
			}
		}
		if b.ResponseHeadersPolicyID != "" {
			if _, err := s.ResponseHeadersPolicy(b.ResponseHeadersPolicyID); err != nil {
				return err
			}
		}
	}
	return nil
}

// policyUseKeys are the in-use index keys of the policies cfg's cache behaviors name, so that
// deleting a policy a distribution uses is refused with a single scan. A policy named by
// several behaviors has one key.
func policyUseKeys(id string, cfg *DistributionConfig) []string {
	seen := map[string]bool{}
	var ks []string
	add := func(prefix, policy string) {
		if k := prefix + policy + "/" + id; policy != "" && !seen[k] {
			seen[k] = true
			ks = append(ks, k)
		}
	}
	for _, b := range cfg.behaviors() {
		add(cachePolicyUsePrefix, b.CachePolicyID)
		add(originRequestPolicyUsePrefix, b.OriginRequestPolicyID)
		add(responseHeadersPolicyUsePrefix, b.ResponseHeadersPolicyID)
	}
	return ks
}

// behaviors returns the default cache behavior and the others.
func (c *DistributionConfig) behaviors() []*CacheBehavior {
	bs := []*CacheBehavior{&c.DefaultCacheBehavior}
	for i := range c.CacheBehaviors {
		bs = append(bs, &c.CacheBehaviors[i])
	}
	return bs
}
