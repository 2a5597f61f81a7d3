package distrib

import (
	"fmt"
	"slices"
	"strings"
)

// Bounds of cache and origin request policies (cloudfront-limits.html, "Quotas on policies";
// API_CachePolicyConfig.html). The name rule is the console's and CloudFormation's:
// letters, digits, hyphens and underscores, at most 128 characters.
const (
	MaxPolicyNameLen                 = 128
	MaxCachePolicyNames              = 10 // headers, cookies and query strings, each
	MaxOriginRequestPolicyNames      = 30 // headers, cookies and query strings, each
	DefaultCachePolicyDefaultTTL     = 86400
	DefaultCachePolicyMaxTTL         = 31536000
	maxPolicyItemLen                 = 256
	cloudFrontHeaderPrefix           = "cloudfront-"
	cachingDisabledParametersMessage = "must be none (and Accept-Encoding off) when MaxTTL is 0: a policy with caching disabled has no cache key"
)

// CachePolicyTTLDefaults applies the defaults of API_CachePolicyConfig.html to the optional
// DefaultTTL and MaxTTL (nil when the request omits them): DefaultTTL is 86400, or MinTTL
// when that is larger; MaxTTL is 31536000, or DefaultTTL when that is larger.
func CachePolicyTTLDefaults(minTTL int64, defaultTTL, maxTTL *int64) (def, max int64) {
	def = DefaultCachePolicyDefaultTTL
	if minTTL > def {
		def = minTTL
	}
	if defaultTTL != nil {
		def = *defaultTTL
	}
	max = DefaultCachePolicyMaxTTL
	if def > max {
		max = def
	}
	if maxTTL != nil {
		max = *maxTTL
	}
	return def, max
}

// Validate checks a cache policy config.
func (c *CachePolicyConfig) Validate() error {
	if err := validatePolicyName(c.Name, c.Comment); err != nil {
		return err
	}
	switch {
	case c.MinTTL < 0:
		return InvalidArgument("MinTTL", "must not be negative")
	case c.DefaultTTL < c.MinTTL:
		return InvalidArgument("DefaultTTL", fmt.Sprintf("(%d) must be at least MinTTL (%d)", c.DefaultTTL, c.MinTTL))
	case c.MaxTTL < c.DefaultTTL:
		return InvalidArgument("MaxTTL", fmt.Sprintf("(%d) must be at least DefaultTTL (%d)", c.MaxTTL, c.DefaultTTL))
	}
	p := c.Parameters
	const f = "ParametersInCacheKeyAndForwardedToOrigin."
	for _, n := range []struct {
		field    string
		cfg      NamesConfig
		allowed  []string
		tooMany  error
		isHeader bool
	}{
		{f + "HeadersConfig", p.HeadersConfig, []string{BehaviorNone, BehaviorWhitelist}, ErrTooManyHeadersInCachePolicy, true},
		{f + "CookiesConfig", p.CookiesConfig, []string{BehaviorNone, BehaviorWhitelist, BehaviorAllExcept, BehaviorAll}, ErrTooManyCookiesInCachePolicy, false},
		{f + "QueryStringsConfig", p.QueryStringsConfig, []string{BehaviorNone, BehaviorWhitelist, BehaviorAllExcept, BehaviorAll}, ErrTooManyQueryStringsInCachePolicy, false},
	} {
		if err := validateNames(n.field, n.cfg, n.allowed, MaxCachePolicyNames, n.tooMany, n.isHeader); err != nil {
			return err
		}
		// CloudFront refuses a cache key on a policy that caches nothing
		// (cache-key-understand-cache-policy.html, "caching disabled").
		if c.MaxTTL == 0 && n.cfg.Behavior != BehaviorNone {
			return InvalidArgument(n.field, cachingDisabledParametersMessage)
		}
	}
	if c.MaxTTL == 0 && (p.EnableAcceptEncodingGzip || p.EnableAcceptEncodingBrotli) {
		return InvalidArgument(f+"EnableAcceptEncodingGzip", cachingDisabledParametersMessage)
	}
	return nil
}

// Validate checks an origin request policy config.
func (c *OriginRequestPolicyConfig) Validate() error {
	if err := validatePolicyName(c.Name, c.Comment); err != nil {
		return err
	}
	headers := []string{BehaviorNone, BehaviorWhitelist, BehaviorAllViewer, BehaviorAllViewerAndWhitelistCloudFront, BehaviorAllExcept}
	others := []string{BehaviorNone, BehaviorWhitelist, BehaviorAll, BehaviorAllExcept}
	if err := validateNames("HeadersConfig", c.HeadersConfig, headers, MaxOriginRequestPolicyNames, ErrTooManyHeadersInOriginRequestPolicy, true); err != nil {
		return err
	}
	if c.HeadersConfig.Behavior == BehaviorAllViewerAndWhitelistCloudFront {
		for _, h := range c.HeadersConfig.Names {
			if !strings.HasPrefix(strings.ToLower(h), cloudFrontHeaderPrefix) {
				return InvalidArgument("HeadersConfig.Headers", fmt.Sprintf("%q is not a CloudFront-* header; allViewerAndWhitelistCloudFront lists CloudFront headers only", h))
			}
		}
	}
	if err := validateNames("CookiesConfig", c.CookiesConfig, others, MaxOriginRequestPolicyNames, ErrTooManyCookiesInOriginRequestPolicy, false); err != nil {
		return err
	}
	return validateNames("QueryStringsConfig", c.QueryStringsConfig, others, MaxOriginRequestPolicyNames, ErrTooManyQueryStringsInOriginRequestPolicy, false)
}

func validatePolicyName(name, comment string) error {
	if name == "" {
		return InvalidArgument("Name", "is required")
	}
	if len(name) > MaxPolicyNameLen {
		return InvalidArgument("Name", fmt.Sprintf("is %d characters long; the maximum is %d", len(name), MaxPolicyNameLen))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return InvalidArgument("Name", fmt.Sprintf("%q may contain only letters, digits, hyphens and underscores", name))
		}
	}
	return checkText("Comment", comment, MaxCommentLen)
}

// validateNames checks a HeadersConfig, CookiesConfig or QueryStringsConfig: a known
// behavior; names listed exactly when the behavior lists names (whitelist, allExcept,
// allViewerAndWhitelistCloudFront); at most max of them (tooMany); no duplicates; header
// names that are HTTP tokens.
func validateNames(field string, c NamesConfig, allowed []string, max int, tooMany error, isHeader bool) error {
	if !slices.Contains(allowed, c.Behavior) {
		return InvalidArgument(field, fmt.Sprintf("behavior %q is not one of %s", c.Behavior, strings.Join(allowed, ", ")))
	}
	lists := c.Behavior == BehaviorWhitelist || c.Behavior == BehaviorAllExcept || c.Behavior == BehaviorAllViewerAndWhitelistCloudFront
	switch {
	case lists && len(c.Names) == 0:
		return InvalidArgument(field, fmt.Sprintf("behavior %s needs at least one name", c.Behavior))
	case !lists && len(c.Names) != 0:
		return InvalidArgument(field, fmt.Sprintf("behavior %s takes no names; remove them or use whitelist", c.Behavior))
	case len(c.Names) > max:
		return tooMany
	}
	seen := map[string]bool{}
	for _, n := range c.Names {
		key := n
		if isHeader {
			if !validToken(n) {
				return InvalidArgument(field, fmt.Sprintf("%q is not a valid HTTP header name", n))
			}
			key = strings.ToLower(n)
		} else if n == "" || len(n) > maxPolicyItemLen || strings.ContainsAny(n, "\x00\r\n") {
			return InvalidArgument(field, fmt.Sprintf("%q is not a valid name", n))
		}
		if seen[key] {
			return InvalidArgument(field, fmt.Sprintf("%q is listed twice", n))
		}
		seen[key] = true
	}
	return nil
}
