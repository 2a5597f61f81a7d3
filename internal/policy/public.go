package policy

import (
	"net/netip"
	"strings"
)

// isPublic applies "The meaning of public" for bucket policies
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status):
// "Amazon S3 begins by assuming that the policy is public. ... To be considered non-public, a
// bucket policy must grant access only to fixed values (values that don't contain a wildcard or
// an AWS Identity and Access Management Policy Variable)" of a principal or of one of a list of
// condition keys. Deny statements grant nothing, so only Allow statements can make a policy
// public; an Allow statement stays non-public when
//
//   - its Principal names only fixed identities: accounts, users, roles, canonical users, OAIs
//     and service principals such as cloudfront.amazonaws.com ("An AWS principal, user, role,
//     or service principal"); "*", {"AWS": "*"} and federated identity providers are public
//     (AWS's own example of a public policy uses {"Federated": "graph.facebook.com"}), and so
//     is NotPrincipal, which grants to everyone not listed; or
//   - one of its conditions restricts the request to fixed values of aws:SourceIp, aws:SourceArn,
//     aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, aws:userid (outside the
//     pattern "AROLEID:*"), s3:DataAccessPointArn, s3:DataAccessPointAccount, or the principal
//     keys aws:PrincipalAccount, aws:PrincipalArn and aws:PrincipalOrgID (see restricts).
//
// The older "bad actions" exemption of the S3 API reference is not applied: the user guide no
// longer has it, and treating a statement as public is the safe direction for Block Public
// Access.
func (s *statement) isPublic() bool {
	if s.deny {
		return false
	}
	if !s.notPrincipal && s.principals.fixed() {
		return false
	}
	for i := range s.conds {
		if s.conds[i].restricts() {
			return false
		}
	}
	return true
}

// restricts reports whether the condition, which is ANDed with the statement's others, can only
// hold for requests carrying one of a fixed set of values of a key that Block Public Access
// accepts as limiting. A negated operator, ...IfExists and ForAllValues all hold when the key is
// absent (or for any value but a few), so they never restrict.
func (c *condition) restricts() bool {
	if c.negate || c.ifExists || c.qual == qualAllValues || c.op == opNull {
		return false
	}
	switch c.key {
	case "aws:sourceip":
		if c.op != opIPAddress {
			return false
		}
		for _, p := range c.nets {
			if !narrowCIDR(p) {
				return false
			}
		}
		return true
	case "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner",
		"aws:sourceaccount", "aws:principalaccount", "aws:principalarn", "aws:principalorgid",
		"aws:userid", "s3:dataaccesspointaccount":
		return c.fixedStrings()
	case "s3:dataaccesspointarn":
		// "this value can contain a wildcard for the access point name without rendering the
		// policy public, as long as the account ID is fixed".
		if c.op != opArnLike && c.op != opStringLike && c.op != opStringEquals {
			return false
		}
		for _, a := range c.accessPointARNs() {
			parts := strings.SplitN(a, ":", 6)
			if len(parts) != 6 || !isAccountID(parts[4]) || strings.ContainsAny(parts[0]+parts[1]+parts[2], "*?$") {
				return false
			}
		}
		return true
	}
	return false
}

// fixedStrings reports whether the condition compares the key for equality with values that have
// no wildcard and no policy variable.
func (c *condition) fixedStrings() bool {
	switch c.op {
	case opStringEquals, opStringEqualsIgnoreCase, opStringLike:
		for i := range c.strs {
			if c.strs[i].hasWildcard() || strings.ContainsAny(c.strs[i].raw, "*?") {
				return false
			}
		}
		return len(c.strs) > 0
	case opArnLike:
		for i := range c.arns {
			if strings.ContainsAny(c.arns[i].whole.raw, "*?") || c.arns[i].whole.hasVars {
				return false
			}
		}
		return len(c.arns) > 0
	}
	return false
}

// accessPointARNs returns the condition's values as written.
func (c *condition) accessPointARNs() []string {
	var out []string
	for i := range c.strs {
		out = append(out, c.strs[i].raw)
	}
	for i := range c.arns {
		out = append(out, c.arns[i].whole.raw)
	}
	return out
}

// narrowCIDR reports whether an aws:SourceIp range is narrow enough to be non-public: "very
// broad IP ranges (for example, 0.0.0.0/1) are evaluated as public. This includes values broader
// than /8 for IPv4 and /32 for IPv6 (excluding RFC1918 private ranges)". Every RFC 1918 range
// (10/8, 172.16/12, 192.168/16) is itself at least /8, so for IPv4 the prefix length decides.
func narrowCIDR(p netip.Prefix) bool {
	if p.Addr().Is4() {
		return p.Bits() >= 8
	}
	return p.Bits() >= 32
}
