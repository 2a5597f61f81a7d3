package policy

// Decision is the outcome of evaluating a policy for a request.
type Decision int

const (
	// NoMatch means no statement applies: the policy neither allows nor denies, which on its
	// own is an implicit deny. The S3 layer may still allow the request on other grounds (the
	// bucket owner's root credentials, an ACL).
	NoMatch Decision = iota
	// Allow means an Allow statement applies and no Deny statement does.
	Allow
	// Deny means a Deny statement applies. An explicit deny overrides every allow, including
	// the account owner's.
	Deny
)

// String returns the decision's name, for logs and test failures.
func (d Decision) String() string {
	switch d {
	case NoMatch:
		return "NoMatch"
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Decision(?)"
}

// Policy is a parsed, validated bucket policy. It is immutable and safe for concurrent use.
type Policy struct {
	raw     []byte
	version string
	id      string
	stmts   []statement
	public  bool
}

// statement is one compiled Statement.
type statement struct {
	sid          string
	deny         bool
	notPrincipal bool
	principals   principalSet
	notAction    bool
	actions      actionSet
	notResource  bool
	resources    resourceSet
	conds        []condition
	// vars are the context keys of the statement's policy variables that have no default.
	vars []string
}

// Evaluate decides the request under the policy, following "Policy evaluation logic"
// (reference_policies_evaluation-logic.html) for a single resource-based policy: a statement
// applies when its principal, action, resource and every condition match; any applicable Deny
// gives Deny, else any applicable Allow gives Allow, else NoMatch (the implicit deny).
//
// Evaluate does not allocate unless the policy uses policy variables.
func (p *Policy) Evaluate(r *Request) Decision {
	if p == nil || r == nil {
		return NoMatch
	}
	ev := evaluator{r: r}
	idx := lookupAction(r.Action)
	allowed := false
	for i := range p.stmts {
		s := &p.stmts[i]
		if allowed && !s.deny {
			continue // only a Deny can change the outcome now
		}
		if !s.applies(&ev, idx) {
			continue
		}
		if s.deny {
			return Deny
		}
		allowed = true
	}
	if allowed {
		return Allow
	}
	return NoMatch
}

// applies reports whether the statement matches the request, cheapest tests first.
func (s *statement) applies(ev *evaluator, idx int) bool {
	if s.actions.matches(idx, ev.r.Action) == s.notAction {
		return false
	}
	if s.notPrincipal {
		if s.principals.excludes(&ev.r.Principal) {
			return false
		}
	} else if !s.principals.matches(&ev.r.Principal) {
		return false
	}
	// A variable without a value: AWS says "any attempt to match it fails and causes the
	// statement to be invalid" (reference_policies_variables.html#principaltable), so the
	// statement is skipped whatever its effect. Checking every variable up front keeps the
	// outcome independent of the order in which values are tried.
	for _, k := range s.vars {
		if ev.lookup(k).len() == 0 {
			return false
		}
	}
	if s.resources.matches(ev, ev.r.Resource) == s.notResource {
		return false
	}
	// Conditions are ANDed: every operator and every key must hold.
	for i := range s.conds {
		if !s.conds[i].holds(ev) {
			return false
		}
	}
	return true
}

// IsPublic reports whether the policy is public in the sense of S3 Block Public Access: the
// definition BlockPublicPolicy refuses, RestrictPublicBuckets restricts and
// GetBucketPolicyStatus reports. statement.isPublic (public.go) has the rules.
func (p *Policy) IsPublic() bool { return p != nil && p.public }

// JSON returns the document exactly as it was given to Parse: GetBucketPolicy returns the
// policy as stored. The caller may not modify the result.
func (p *Policy) JSON() []byte {
	if p == nil {
		return nil
	}
	return p.raw
}

// Version is the policy language version, "2012-10-17" or "2008-10-17" (the default when the
// document has no Version element).
func (p *Policy) Version() string { return p.version }

// ID is the document's optional Id element.
func (p *Policy) ID() string { return p.id }
