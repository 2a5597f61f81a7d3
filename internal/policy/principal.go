package policy

import "strings"

// Principal identifies who makes a request. Build one with the constructors below rather than
// by hand, so that ARN and Account agree.
type Principal struct {
	// Anonymous marks an unsigned request. Only "*" principals match it.
	Anonymous bool
	// ARN is the principal's ARN: "arn:aws:iam::123456789012:root",
	// "arn:aws:iam::123456789012:user/bob", or for a CloudFront origin access identity
	// "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E123".
	ARN string
	// Account is the 12-digit account the principal belongs to; empty for anonymous, service
	// and OAI principals. A policy naming an account ("123456789012" or
	// "arn:aws:iam::123456789012:root") matches every principal of that account: in a resource
	// policy the account is trusted and delegates to its own identities
	// (reference_policies_elements_principal.html#principal-accounts).
	Account string
	// CanonicalID is the 64-hex canonical user id, matched by {"CanonicalUser": ...}; S3 uses
	// it for origin access identities and account owners. Optional.
	CanonicalID string
	// Service is the service principal, "cloudfront.amazonaws.com", matched by
	// {"Service": ...}; CloudFront origin access control signs as this principal.
	Service string
}

// AnonymousPrincipal is the principal of an unsigned request.
func AnonymousPrincipal() Principal { return Principal{Anonymous: true} }

// RootPrincipal is an account's root user.
func RootPrincipal(account string) Principal {
	return Principal{ARN: "arn:aws:iam::" + account + ":root", Account: account}
}

// UserPrincipal is the IAM user name in account (imgcdn's extra access keys).
func UserPrincipal(account, name string) Principal {
	return Principal{ARN: "arn:aws:iam::" + account + ":user/" + name, Account: account}
}

// ServicePrincipal is an AWS service acting on its own behalf, "cloudfront.amazonaws.com".
func ServicePrincipal(service string) Principal { return Principal{Service: service} }

// OAIPrincipal is a CloudFront origin access identity with the given id ("E2QWRUHAPOMQZL") and,
// optionally, its S3 canonical user id.
func OAIPrincipal(id, canonicalID string) Principal {
	return Principal{ARN: oaiARNPrefix + id, CanonicalID: canonicalID}
}

const oaiARNPrefix = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity "

// isRoot reports whether p is an account's root user (without allocating: Evaluate calls it).
func (p *Principal) isRoot() bool {
	if p.Account == "" {
		return false
	}
	if p.ARN == "" {
		return true
	}
	rest, ok := strings.CutPrefix(p.ARN, "arn:aws:iam::")
	if !ok {
		return false
	}
	acct, ok := strings.CutSuffix(rest, ":root")
	return ok && acct == p.Account
}

// derived returns the value of a principal-describing global condition key, following the
// table "Principal key values" of reference_policies_variables.html#principaltable.
func (p *Principal) derived(key string) (string, bool) {
	switch key {
	case "aws:principalarn":
		return p.ARN, p.ARN != "" && !p.Anonymous
	case "aws:principalaccount":
		return p.Account, p.Account != "" && !p.Anonymous
	case "aws:principalservicename":
		return p.Service, p.Service != ""
	case "aws:principalisawsservice":
		if p.Service != "" {
			return "true", true
		}
		return "false", true
	case "aws:principaltype":
		switch {
		case p.Anonymous:
			return "Anonymous", true
		case p.Service != "":
			return "", false
		case p.isRoot():
			return "Account", true
		}
		return "User", p.ARN != ""
	case "aws:username":
		if p.Anonymous || p.isRoot() {
			return "", false
		}
		if _, res, ok := strings.Cut(p.ARN, ":user/"); ok {
			return res[strings.LastIndexByte(res, '/')+1:], true
		}
	case "aws:userid":
		// The root user's userid is the account id; an anonymous caller's is "anonymous".
		// IAM users' unique ids (AIDA...) do not exist in imgcdn, so the key is absent.
		if p.Anonymous {
			return "anonymous", true
		}
		if p.isRoot() {
			return p.Account, true
		}
	}
	return "", false
}

// principalSet is a compiled Principal or NotPrincipal element.
type principalSet struct {
	any       bool     // "*" or {"AWS": "*"}: everyone, anonymous included
	accounts  []string // 12-digit account ids (from "123456789012" or "...:root")
	arns      []string // exact ARNs of users, roles, sessions and OAIs
	canonical []string // canonical user ids
	services  []string // service principals
	federated []string // identity providers; imgcdn has no federation, so they never match
}

// matches reports whether the set names p (the Principal element).
func (s *principalSet) matches(p *Principal) bool {
	if s.any {
		return true
	}
	if p.Anonymous {
		return false
	}
	if p.Account != "" && contains(s.accounts, p.Account, false) {
		return true
	}
	if p.ARN != "" && contains(s.arns, p.ARN, false) {
		return true
	}
	if p.CanonicalID != "" && contains(s.canonical, p.CanonicalID, true) {
		return true
	}
	return p.Service != "" && contains(s.services, p.Service, true)
}

// excludes reports whether a NotPrincipal element exempts p. AWS may evaluate a request as
// each identity in its chain (the account, then the user), so a principal escapes a
// NotPrincipal only when every identity in its chain is listed: a user needs both its own ARN
// and its account's ARN in the list, exactly as the examples of
// reference_policies_elements_notprincipal.html#specifying-notprincipal recommend, and a user
// listed without its account stays denied.
func (s *principalSet) excludes(p *Principal) bool {
	if s.any {
		return true
	}
	if p.Anonymous {
		return false
	}
	if p.Service != "" {
		return contains(s.services, p.Service, true)
	}
	if p.Account != "" && !contains(s.accounts, p.Account, false) {
		return false
	}
	if p.isRoot() {
		return true
	}
	return (p.ARN != "" && contains(s.arns, p.ARN, false)) ||
		(p.CanonicalID != "" && contains(s.canonical, p.CanonicalID, true))
}

// fixed reports whether every principal named is a fixed identity (no "*", no federation),
// which makes an Allow statement non-public under Block Public Access.
func (s *principalSet) fixed() bool { return !s.any && len(s.federated) == 0 }

func contains(list []string, v string, fold bool) bool {
	for _, e := range list {
		if e == v || (fold && strings.EqualFold(e, v)) {
			return true
		}
	}
	return false
}
