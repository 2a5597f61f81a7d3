package distrib

// Key layout of response headers policies.
const (
	responseHeadersPolicyPrefix     = "rhp/"      // rhp/<id> -> JSON ResponseHeadersPolicy
	responseHeadersPolicyNamePrefix = "rhp-name/" // rhp-name/<Name> -> id
	responseHeadersPolicyUsePrefix  = "rhp-use/"  // rhp-use/<policy id>/<distribution id> -> ""
)

func responseHeadersPolicyKind() policyKind[ResponseHeadersPolicyConfig] {
	return policyKind[ResponseHeadersPolicyConfig]{
		prefix: responseHeadersPolicyPrefix, namePrefix: responseHeadersPolicyNamePrefix, usePrefix: responseHeadersPolicyUsePrefix,
		max: MaxPolicies, managed: managedResponseHeadersPolicies(),
		name:      func(c *ResponseHeadersPolicyConfig) string { return c.Name },
		check:     func(c *ResponseHeadersPolicyConfig) error { return c.Validate() },
		errNoSuch: ErrNoSuchResponseHeadersPolicy, errExists: ErrResponseHeadersPolicyAlreadyExists,
		errTooMany: ErrTooManyResponseHeadersPolicies, errInUse: ErrResponseHeadersPolicyInUse,
	}
}

// CreateResponseHeadersPolicy creates a custom response headers policy
// (API_CreateResponseHeadersPolicy.html); names are unique, managed ones included.
func (s *Service) CreateResponseHeadersPolicy(cfg ResponseHeadersPolicyConfig) (ResponseHeadersPolicy, error) {
	return createPolicy(s, responseHeadersPolicyKind(), cfg)
}

// ResponseHeadersPolicy returns the managed or custom response headers policy with id, or
// ErrNoSuchResponseHeadersPolicy. The edge resolves a cache behavior's
// ResponseHeadersPolicyId with it.
func (s *Service) ResponseHeadersPolicy(id string) (ResponseHeadersPolicy, error) {
	return getPolicy(s, responseHeadersPolicyKind(), id)
}

// UpdateResponseHeadersPolicy replaces the config of a custom policy whose current ETag is
// ifMatch; managed policies cannot change.
func (s *Service) UpdateResponseHeadersPolicy(id, ifMatch string, cfg ResponseHeadersPolicyConfig) (ResponseHeadersPolicy, error) {
	return updatePolicy(s, responseHeadersPolicyKind(), id, ifMatch, cfg)
}

// DeleteResponseHeadersPolicy deletes a custom policy whose current ETag is ifMatch, unless a
// cache behavior names it; managed policies cannot go.
func (s *Service) DeleteResponseHeadersPolicy(id, ifMatch string) error {
	return deletePolicy(s, responseHeadersPolicyKind(), id, ifMatch)
}

// ListResponseHeadersPolicies returns one page of the response headers policies of type typ
// (PolicyTypeManaged, PolicyTypeCustom, or "" for both).
func (s *Service) ListResponseHeadersPolicies(typ string, p Page) (List[ResponseHeadersPolicy], error) {
	return listPolicies(s, responseHeadersPolicyKind(), typ, p)
}
