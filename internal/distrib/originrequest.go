package distrib

// Key layout of origin request policies.
const (
	originRequestPolicyPrefix     = "orp/"      // orp/<id> -> JSON OriginRequestPolicy
	originRequestPolicyNamePrefix = "orp-name/" // orp-name/<Name> -> id
	originRequestPolicyUsePrefix  = "orp-use/"  // orp-use/<policy id>/<distribution id> -> ""
)

func originRequestPolicyKind() policyKind[OriginRequestPolicyConfig] {
	return policyKind[OriginRequestPolicyConfig]{
		prefix: originRequestPolicyPrefix, namePrefix: originRequestPolicyNamePrefix, usePrefix: originRequestPolicyUsePrefix,
		max: MaxPolicies, managed: managedOriginRequestPolicies(),
		name:      func(c *OriginRequestPolicyConfig) string { return c.Name },
		check:     func(c *OriginRequestPolicyConfig) error { return c.Validate() },
		errNoSuch: ErrNoSuchOriginRequestPolicy, errExists: ErrOriginRequestPolicyAlreadyExists,
		errTooMany: ErrTooManyOriginRequestPolicies, errInUse: ErrOriginRequestPolicyInUse,
	}
}

// CreateOriginRequestPolicy creates a custom origin request policy
// (API_CreateOriginRequestPolicy.html); names are unique, managed ones included.
func (s *Service) CreateOriginRequestPolicy(cfg OriginRequestPolicyConfig) (OriginRequestPolicy, error) {
	return createPolicy(s, originRequestPolicyKind(), cfg)
}

// OriginRequestPolicy returns the managed or custom origin request policy with id, or
// ErrNoSuchOriginRequestPolicy. The edge resolves a cache behavior's OriginRequestPolicyId
// with it.
func (s *Service) OriginRequestPolicy(id string) (OriginRequestPolicy, error) {
	return getPolicy(s, originRequestPolicyKind(), id)
}

// UpdateOriginRequestPolicy replaces the config of a custom policy whose current ETag is
// ifMatch; managed policies cannot change.
func (s *Service) UpdateOriginRequestPolicy(id, ifMatch string, cfg OriginRequestPolicyConfig) (OriginRequestPolicy, error) {
	return updatePolicy(s, originRequestPolicyKind(), id, ifMatch, cfg)
}

// DeleteOriginRequestPolicy deletes a custom policy whose current ETag is ifMatch, unless a
// cache behavior names it; managed policies cannot go.
func (s *Service) DeleteOriginRequestPolicy(id, ifMatch string) error {
	return deletePolicy(s, originRequestPolicyKind(), id, ifMatch)
}

// ListOriginRequestPolicies returns one page of the origin request policies of type typ
// (PolicyTypeManaged, PolicyTypeCustom, or "" for both).
func (s *Service) ListOriginRequestPolicies(typ string, p Page) (List[OriginRequestPolicy], error) {
	return listPolicies(s, originRequestPolicyKind(), typ, p)
}
