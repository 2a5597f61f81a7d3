package distrib

import "errors"

// Sentinel errors of cache, origin request and response headers policies, and of tags. Each
// names the CloudFront error code cfapi answers with (botocore's model, the errors of
// CreateCachePolicy, DeleteCachePolicy, TagResource, ...).
var (
	// ErrNoSuchCachePolicy: 404 NoSuchCachePolicy.
	ErrNoSuchCachePolicy = errors.New("distrib: the cache policy does not exist")
	// ErrCachePolicyAlreadyExists: the name is taken, by a custom or a managed policy
	// (409 CachePolicyAlreadyExists).
	ErrCachePolicyAlreadyExists = errors.New("distrib: a cache policy with this name already exists; names are unique, AWS's managed ones included")
	// ErrTooManyCachePolicies: 400 TooManyCachePolicies.
	ErrTooManyCachePolicies = errors.New("distrib: the maximum number of cache policies (20) is reached; delete unused ones")
	// ErrCachePolicyInUse: a cache behavior names the policy (409 CachePolicyInUse).
	ErrCachePolicyInUse = errors.New("distrib: the cache policy is attached to a cache behavior; detach it from every distribution first")
	// ErrTooManyHeadersInCachePolicy: 400 TooManyHeadersInCachePolicy.
	ErrTooManyHeadersInCachePolicy = errors.New("distrib: a cache policy includes at most 10 headers")
	// ErrTooManyCookiesInCachePolicy: 400 TooManyCookiesInCachePolicy.
	ErrTooManyCookiesInCachePolicy = errors.New("distrib: a cache policy includes at most 10 cookies")
	// ErrTooManyQueryStringsInCachePolicy: 400 TooManyQueryStringsInCachePolicy.
	ErrTooManyQueryStringsInCachePolicy = errors.New("distrib: a cache policy includes at most 10 query strings")

	// ErrNoSuchOriginRequestPolicy: 404 NoSuchOriginRequestPolicy.
	ErrNoSuchOriginRequestPolicy = errors.New("distrib: the origin request policy does not exist")
	// ErrOriginRequestPolicyAlreadyExists: 409 OriginRequestPolicyAlreadyExists.
	ErrOriginRequestPolicyAlreadyExists = errors.New("distrib: an origin request policy with this name already exists; names are unique, AWS's managed ones included")
	// ErrTooManyOriginRequestPolicies: 400 TooManyOriginRequestPolicies.
	ErrTooManyOriginRequestPolicies = errors.New("distrib: the maximum number of origin request policies (20) is reached; delete unused ones")
	// ErrOriginRequestPolicyInUse: 409 OriginRequestPolicyInUse.
	ErrOriginRequestPolicyInUse = errors.New("distrib: the origin request policy is attached to a cache behavior; detach it from every distribution first")
	// ErrTooManyHeadersInOriginRequestPolicy: 400 TooManyHeadersInOriginRequestPolicy.
	ErrTooManyHeadersInOriginRequestPolicy = errors.New("distrib: an origin request policy includes at most 30 headers")
	// ErrTooManyCookiesInOriginRequestPolicy: 400 TooManyCookiesInOriginRequestPolicy.
	ErrTooManyCookiesInOriginRequestPolicy = errors.New("distrib: an origin request policy includes at most 30 cookies")
	// ErrTooManyQueryStringsInOriginRequestPolicy: 400 TooManyQueryStringsInOriginRequestPolicy.
	ErrTooManyQueryStringsInOriginRequestPolicy = errors.New("distrib: an origin request policy includes at most 30 query strings")

	// ErrNoSuchResponseHeadersPolicy: 404 NoSuchResponseHeadersPolicy.
	ErrNoSuchResponseHeadersPolicy = errors.New("distrib: the response headers policy does not exist")
	// ErrResponseHeadersPolicyAlreadyExists: 409 ResponseHeadersPolicyAlreadyExists.
	ErrResponseHeadersPolicyAlreadyExists = errors.New("distrib: a response headers policy with this name already exists; names are unique, AWS's managed ones included")
	// ErrTooManyResponseHeadersPolicies: 400 TooManyResponseHeadersPolicies.
	ErrTooManyResponseHeadersPolicies = errors.New("distrib: the maximum number of response headers policies (20) is reached; delete unused ones")
	// ErrResponseHeadersPolicyInUse: 409 ResponseHeadersPolicyInUse.
	ErrResponseHeadersPolicyInUse = errors.New("distrib: the response headers policy is attached to a cache behavior; detach it from every distribution first")
	// ErrTooManyCustomHeadersInResponseHeadersPolicy: 400
	// TooManyCustomHeadersInResponseHeadersPolicy.
	ErrTooManyCustomHeadersInResponseHeadersPolicy = errors.New("distrib: a response headers policy adds at most 10 custom headers")
	// ErrTooManyRemoveHeadersInResponseHeadersPolicy: 400
	// TooManyRemoveHeadersInResponseHeadersPolicy.
	ErrTooManyRemoveHeadersInResponseHeadersPolicy = errors.New("distrib: a response headers policy removes at most 10 headers")
	// ErrTooLongCSPInResponseHeadersPolicy: 400 TooLongCSPInResponseHeadersPolicy.
	ErrTooLongCSPInResponseHeadersPolicy = errors.New("distrib: the Content-Security-Policy value is longer than 1783 characters")

	// ErrIllegalDelete: a delete of an AWS managed policy (400 IllegalDelete).
	ErrIllegalDelete = errors.New("distrib: AWS managed policies cannot be deleted")
	// ErrManagedPolicyUpdate: an update of an AWS managed policy (400 IllegalUpdate).
	ErrManagedPolicyUpdate = errors.New("distrib: AWS managed policies cannot be updated; create a custom policy instead")

	// ErrNoSuchResource: a tagging call names no distribution of this account
	// (404 NoSuchResource).
	ErrNoSuchResource = errors.New("distrib: the resource ARN names no distribution of this account")
	// ErrInvalidTagging: a tag key or value breaks the rules of API_Tag.html; returned
	// wrapped with the reason (400 InvalidTagging).
	ErrInvalidTagging = errors.New("distrib: invalid tagging")
)
