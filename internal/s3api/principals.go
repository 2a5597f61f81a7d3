package s3api

import (
	"strings"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/policy"
)

// Principals resolves the access key of a verified request to the principal it acts for.
// internal/auth's Keyring implements it.
type Principals interface {
	Principal(accessKeyID string) (auth.Principal, bool)
}

var _ Principals = (*auth.Keyring)(nil)

// rootPrincipals is the default Principals: every key acts as the account root.
type rootPrincipals struct{ root auth.Principal }

func newRootPrincipals(owner Owner) rootPrincipals {
	return rootPrincipals{auth.Principal{
		ARN: "arn:aws:iam::" + owner.AccountID + ":root", Account: owner.AccountID, Root: true, CanonicalID: owner.CanonicalID,
	}}
}

func (r rootPrincipals) Principal(accessKeyID string) (auth.Principal, bool) {
	p := r.root
	p.AccessKeyID = accessKeyID
	return p, true
}

// oaiARNPrefix starts the IAM ARN of every CloudFront origin access identity
// ("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL"), the form
// bucket policies name them in ("Restricting access to an Amazon S3 origin", CloudFront
// developer guide).
const oaiARNPrefix = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity "

// policyPrincipal is the principal as bucket policies see it. A root or user key acts within
// the installation's account; an OAI key as the identity's ARN and canonical user id (both
// forms a policy may name it by); a service key as the service principal, which policies
// match with {"Service": "cloudfront.amazonaws.com"}.
func policyPrincipal(p *auth.Principal, anonymous bool) policy.Principal {
	switch {
	case anonymous:
		return policy.AnonymousPrincipal()
	case p.Service != "":
		return policy.Principal{Service: p.Service}
	case p.OAI != "" || strings.HasPrefix(p.ARN, oaiARNPrefix):
		return policy.Principal{ARN: p.ARN, CanonicalID: p.CanonicalID}
	case p.Root:
		return policy.Principal{ARN: p.ARN, Account: p.Account, CanonicalID: p.CanonicalID}
	}
	// A user of the account: matched by its ARN or its account, never by the account's
	// canonical id, which stands for the account owner in ACL-style grants.
	return policy.Principal{ARN: p.ARN, Account: p.Account}
}
