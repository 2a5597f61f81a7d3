package distrib

// Key layout of cache policies.
const (
	cachePolicyPrefix     = "cp/"      // cp/<id> -> JSON CachePolicy
	cachePolicyNamePrefix = "cp-name/" // cp-name/<Name> -> id
	cachePolicyUsePrefix  = "cp-use/"  // cp-use/<policy id>/<distribution id> -> ""
)

func cachePolicyKind() policyKind[CachePolicyConfig] {
	return policyKind[CachePolicyConfig]{
		prefix: cachePolicyPrefix, namePrefix: cachePolicyNamePrefix, usePrefix: cachePolicyUsePrefix,
		max: MaxPolicies, managed: managedCachePolicies(),
		name:      func(c *CachePolicyConfig) string { return c.Name },
		check:     func(c *CachePolicyConfig) error { return c.Validate() },
		errNoSuch: ErrNoSuchCachePolicy, errExists: ErrCachePolicyAlreadyExists,
		errTooMany: ErrTooManyCachePolicies, errInUse: ErrCachePolicyInUse,
	}
}

// CreateCachePolicy creates a custom cache policy (API_CreateCachePolicy.html). Names are
// unique, AWS's managed ones included (ErrCachePolicyAlreadyExists); there is no
// CallerReference, so a retried create fails rather than duplicating.
func (s *Service) CreateCachePolicy(cfg CachePolicyConfig) (CachePolicy, error) {
	return createPolicy(s, cachePolicyKind(), cfg)
}

// CachePolicy returns the managed or custom cache policy with id, or ErrNoSuchCachePolicy.
// The edge resolves a cache behavior's CachePolicyId with it.
func (s *Service) CachePolicy(id string) (CachePolicy, error) {
	return getPolicy(s, cachePolicyKind(), id)
}

// UpdateCachePolicy replaces the config of a custom policy whose current ETag is ifMatch;
// managed policies cannot change (ErrManagedPolicyUpdate).
func (s *Service) UpdateCachePolicy(id, ifMatch string, cfg CachePolicyConfig) (CachePolicy, error) {
	return updatePolicy(s, cachePolicyKind(), id, ifMatch, cfg)
}

// DeleteCachePolicy deletes a custom policy whose current ETag is ifMatch, unless a cache
// behavior names it (ErrCachePolicyInUse); managed policies cannot go (ErrIllegalDelete).
func (s *Service) DeleteCachePolicy(id, ifMatch string) error {
	return deletePolicy(s, cachePolicyKind(), id, ifMatch)
}

// ListCachePolicies returns one page of the cache policies of type typ: PolicyTypeManaged,
// PolicyTypeCustom, or "" for both.
func (s *Service) ListCachePolicies(typ string, p Page) (List[CachePolicy], error) {
	return listPolicies(s, cachePolicyKind(), typ, p)
}
