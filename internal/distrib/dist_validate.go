package distrib

import (
	"fmt"
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
)

// Bounds of a distribution config, from cloudfront-limits.html and the API reference pages of
// each type.
const (
	MaxOrigins           = 25
	MaxOriginGroups      = 10
	MaxCacheBehaviors    = 75
	MaxAliases           = 100
	MaxCustomHeaders     = 10
	MaxDefaultRootObject = 255
	maxDomainNameLen     = 253
)

// Validate checks what a config can check alone; references to OAIs, OACs and other
// distributions' aliases are checked by the Service. Call it after Normalize.
func (c *DistributionConfig) Validate() error {
	if c.CallerReference == "" {
		return InvalidArgument("CallerReference", "is required")
	}
	if err := checkText("CallerReference", c.CallerReference, MaxCallerReferenceLen); err != nil {
		return err
	}
	if err := checkText("Comment", c.Comment, MaxCommentLen); err != nil {
		return err
	}
	if err := c.validateAliases(); err != nil {
		return err
	}
	if d := c.DefaultRootObject; len(d) > MaxDefaultRootObject || strings.HasPrefix(d, "/") || strings.ContainsAny(d, "\x00\r\n") {
		return ErrInvalidDefaultRootObject
	}
	if err := c.validateOrigins(); err != nil {
		return err
	}
	targets := map[string]bool{}
	for _, o := range c.Origins {
		targets[o.ID] = true
	}
	if err := c.validateOriginGroups(targets); err != nil {
		return err
	}
	if err := c.DefaultCacheBehavior.validate("DefaultCacheBehavior", targets); err != nil {
		return err
	}
	if len(c.CacheBehaviors) > MaxCacheBehaviors {
		return InvalidArgument("CacheBehaviors", fmt.Sprintf("has %d items; the maximum is %d", len(c.CacheBehaviors), MaxCacheBehaviors))
	}
	patterns := map[string]bool{}
	for i, b := range c.CacheBehaviors {
		field := fmt.Sprintf("CacheBehaviors.Items[%d]", i)
		if b.PathPattern == "" {
			return InvalidArgument(field+".PathPattern", "is required")
		}
		if patterns[b.PathPattern] {
			return InvalidArgument(field+".PathPattern", fmt.Sprintf("%q is used by two cache behaviors", b.PathPattern))
		}
		patterns[b.PathPattern] = true
		if err := b.validate(field, targets); err != nil {
			return err
		}
	}
	if err := c.validateErrorResponses(); err != nil {
		return err
	}
	return c.validateSettings()
}

func (c *DistributionConfig) validateAliases() error {
	if len(c.Aliases) > MaxAliases {
		return InvalidArgument("Aliases", fmt.Sprintf("has %d items; the maximum is %d", len(c.Aliases), MaxAliases))
	}
	seen := map[string]bool{}
	for _, a := range c.Aliases {
		name := strings.ToLower(strings.TrimPrefix(a, "*."))
		if !validHostname(name) {
			return InvalidArgument("Aliases", fmt.Sprintf("%q is not a valid domain name", a))
		}
		if seen[strings.ToLower(a)] {
			return InvalidArgument("Aliases", fmt.Sprintf("%q is listed twice", a))
		}
		seen[strings.ToLower(a)] = true
	}
	return nil
}

func (c *DistributionConfig) validateOrigins() error {
	if len(c.Origins) == 0 {
		return InvalidArgument("Origins", "must list at least one origin")
	}
	if len(c.Origins) > MaxOrigins {
		return ErrTooManyOrigins
	}
	ids := map[string]bool{}
	for i, o := range c.Origins {
		f := fmt.Sprintf("Origins.Items[%d]", i)
		switch {
		case o.ID == "":
			return InvalidArgument(f+".Id", "is required")
		case ids[o.ID]:
			return InvalidArgument(f+".Id", fmt.Sprintf("%q is used by two origins", o.ID))
		case !validOriginHost(o.DomainName):
			// Unlike CloudFront, localhost and IP addresses are accepted: self-hosted
			// origins often live on the same host or network (issue 4).
			return InvalidArgument(f+".DomainName", fmt.Sprintf("%q is not a domain name or IP address", o.DomainName))
		case o.OriginPath != "" && (!strings.HasPrefix(o.OriginPath, "/") || strings.HasSuffix(o.OriginPath, "/")):
			return InvalidArgument(f+".OriginPath", "must start with / and must not end with /")
		case (o.S3 == nil) == (o.Custom == nil):
			return InvalidArgument(f, "must have exactly one of S3OriginConfig and CustomOriginConfig")
		case o.ConnectionAttempts < 1 || o.ConnectionAttempts > 3:
			return InvalidArgument(f+".ConnectionAttempts", "must be 1, 2 or 3")
		case o.ConnectionTimeout < 1 || o.ConnectionTimeout > 10:
			return InvalidArgument(f+".ConnectionTimeout", "must be 1 to 10 seconds")
		case len(o.CustomHeaders) > MaxCustomHeaders:
			return InvalidArgument(f+".CustomHeaders", fmt.Sprintf("has more than %d headers", MaxCustomHeaders))
		case o.S3 != nil && o.S3.OriginAccessIdentity != "" && o.OriginAccessControlID != "":
			return InvalidArgument(f, "cannot use both an origin access identity and an origin access control")
		}
		ids[o.ID] = true
		for _, h := range o.CustomHeaders {
			if !validToken(h.Name) || strings.ContainsAny(h.Value, "\r\n\x00") {
				return InvalidArgument(f+".CustomHeaders", fmt.Sprintf("header %q is not a valid HTTP header", h.Name))
			}
		}
		if o.S3 != nil && o.S3.OriginAccessIdentity != "" {
			if id, ok := strings.CutPrefix(o.S3.OriginAccessIdentity, OAIPathPrefix); !ok || !validID(id) {
				return ErrInvalidOAIRef
			}
		}
		if co := o.Custom; co != nil {
			switch {
			case co.HTTPPort < 1 || co.HTTPPort > 65535:
				return InvalidArgument(f+".CustomOriginConfig.HTTPPort", "must be 1 to 65535")
			case co.HTTPSPort < 1 || co.HTTPSPort > 65535:
				return InvalidArgument(f+".CustomOriginConfig.HTTPSPort", "must be 1 to 65535")
			case !slices.Contains([]string{"http-only", "match-viewer", "https-only"}, co.OriginProtocolPolicy):
				return InvalidArgument(f+".CustomOriginConfig.OriginProtocolPolicy", "must be http-only, match-viewer or https-only")
			case co.OriginReadTimeout < 1 || co.OriginReadTimeout > 180:
				return InvalidArgument(f+".CustomOriginConfig.OriginReadTimeout", "must be 1 to 180 seconds")
			case co.OriginKeepaliveTimeout < 1 || co.OriginKeepaliveTimeout > 180:
				return InvalidArgument(f+".CustomOriginConfig.OriginKeepaliveTimeout", "must be 1 to 180 seconds")
			}
			for _, p := range co.OriginSSLProtocols {
				if !slices.Contains([]string{"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"}, p) {
					return InvalidArgument(f+".CustomOriginConfig.OriginSslProtocols", fmt.Sprintf("%q is not SSLv3, TLSv1, TLSv1.1 or TLSv1.2", p))
				}
			}
		}
	}
	return nil
}

func (c *DistributionConfig) validateOriginGroups(targets map[string]bool) error {
	if len(c.OriginGroups) > MaxOriginGroups {
		return InvalidArgument("OriginGroups", fmt.Sprintf("has more than %d groups", MaxOriginGroups))
	}
	origins := maps.Clone(targets)
	for i, g := range c.OriginGroups {
		f := fmt.Sprintf("OriginGroups.Items[%d]", i)
		switch {
		case g.ID == "":
			return InvalidArgument(f+".Id", "is required")
		case targets[g.ID]:
			return InvalidArgument(f+".Id", fmt.Sprintf("%q is already the id of an origin or group", g.ID))
		case len(g.Members) != 2:
			return InvalidArgument(f+".Members", "must list exactly two origins: the primary, then the secondary")
		case len(g.StatusCodes) == 0:
			return InvalidArgument(f+".FailoverCriteria.StatusCodes", "must list at least one status code")
		}
		for _, m := range g.Members {
			if !origins[m] {
				return ErrNoSuchOrigin
			}
		}
		for _, sc := range g.StatusCodes {
			if !slices.Contains([]int{400, 403, 404, 416, 500, 502, 503, 504}, sc) {
				return InvalidArgument(f+".FailoverCriteria.StatusCodes", fmt.Sprintf("%d is not one of 400, 403, 404, 416, 500, 502, 503, 504", sc))
			}
		}
		targets[g.ID] = true
	}
	return nil
}

// Method sets CloudFront accepts (API_AllowedMethods.html).
var (
	methodsGetHead        = []string{"GET", "HEAD"}
	methodsGetHeadOptions = []string{"GET", "HEAD", "OPTIONS"}
	methodsAll            = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
)

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func (b *CacheBehavior) validate(f string, targets map[string]bool) error {
	if b.TargetOriginID == "" {
		return InvalidArgument(f+".TargetOriginId", "is required")
	}
	if !targets[b.TargetOriginID] {
		return ErrNoSuchOrigin
	}
	if !slices.Contains([]string{"allow-all", "https-only", "redirect-to-https"}, b.ViewerProtocolPolicy) {
		return InvalidArgument(f+".ViewerProtocolPolicy", "must be allow-all, https-only or redirect-to-https")
	}
	if !sameSet(b.AllowedMethods, methodsGetHead) && !sameSet(b.AllowedMethods, methodsGetHeadOptions) && !sameSet(b.AllowedMethods, methodsAll) {
		return InvalidArgument(f+".AllowedMethods", "must be GET,HEAD or GET,HEAD,OPTIONS or all seven methods")
	}
	if !sameSet(b.CachedMethods, methodsGetHead) && !sameSet(b.CachedMethods, methodsGetHeadOptions) ||
		!sameSet(b.AllowedMethods, methodsAll) && len(b.CachedMethods) > len(b.AllowedMethods) {
		return InvalidArgument(f+".AllowedMethods.CachedMethods", "must be GET,HEAD or GET,HEAD,OPTIONS, within the allowed methods")
	}
	switch {
	case b.CachePolicyID == "" && b.ForwardedValues == nil:
		return InvalidArgument(f, "needs either CachePolicyId or the legacy ForwardedValues")
	case b.CachePolicyID != "" && b.ForwardedValues != nil:
		return InvalidArgument(f+".ForwardedValues", "cannot be set together with CachePolicyId")
	case b.ForwardedValues == nil && (b.MinTTL != nil || b.DefaultTTL != nil || b.MaxTTL != nil):
		return InvalidArgument(f+".MinTTL", "the TTLs go with ForwardedValues; a cache policy sets its own")
	case b.OriginRequestPolicyID != "" && b.CachePolicyID == "":
		// An origin request policy adds to what the cache policy forwards; a legacy
		// behavior has none (controlling-origin-requests.html).
		return InvalidArgument(f+".OriginRequestPolicyId", "needs a CachePolicyId: origin request policies cannot be used with the legacy ForwardedValues")
	}
	if fv := b.ForwardedValues; fv != nil {
		if !slices.Contains([]string{"none", "whitelist", "all"}, fv.CookiesForward) {
			return InvalidArgument(f+".ForwardedValues.Cookies.Forward", "must be none, whitelist or all")
		}
		if *b.MinTTL < 0 || *b.MinTTL > *b.DefaultTTL || *b.DefaultTTL > *b.MaxTTL {
			return InvalidArgument(f+".MinTTL", "the TTLs must satisfy 0 <= MinTTL <= DefaultTTL <= MaxTTL")
		}
	}
	return nil
}

func (c *DistributionConfig) validateErrorResponses() error {
	seen := map[int]bool{}
	for i, e := range c.CustomErrorResponses {
		f := fmt.Sprintf("CustomErrorResponses.Items[%d]", i)
		switch {
		case e.ErrorCode < 400 || e.ErrorCode > 599:
			return InvalidArgument(f+".ErrorCode", fmt.Sprintf("%d is not a 4xx or 5xx status code", e.ErrorCode))
		case seen[e.ErrorCode]:
			return InvalidArgument(f+".ErrorCode", fmt.Sprintf("%d is listed twice", e.ErrorCode))
		case e.ResponsePagePath != "" && !strings.HasPrefix(e.ResponsePagePath, "/"):
			return InvalidArgument(f+".ResponsePagePath", "must start with /")
		case (e.ResponsePagePath == "") != (e.ResponseCode == ""):
			return InvalidArgument(f+".ResponseCode", "ResponsePagePath and ResponseCode go together")
		case *e.ErrorCachingMinTTL < 0:
			return InvalidArgument(f+".ErrorCachingMinTTL", "must not be negative")
		}
		if e.ResponseCode != "" {
			if n, err := strconv.Atoi(e.ResponseCode); err != nil || n < 200 || n > 599 {
				return InvalidArgument(f+".ResponseCode", fmt.Sprintf("%q is not an HTTP status code", e.ResponseCode))
			}
		}
		seen[e.ErrorCode] = true
	}
	return nil
}

func (c *DistributionConfig) validateSettings() error {
	if !slices.Contains([]string{"PriceClass_100", "PriceClass_200", "PriceClass_All", "None"}, c.PriceClass) {
		return InvalidArgument("PriceClass", "must be PriceClass_100, PriceClass_200, PriceClass_All or None")
	}
	if !slices.Contains([]string{"http1.1", "http2", "http3", "http2and3"}, c.HTTPVersion) {
		return InvalidArgument("HttpVersion", "must be http1.1, http2, http3 or http2and3")
	}
	vc := c.ViewerCertificate
	custom := vc.ACMCertificateARN != "" || vc.IAMCertificateID != ""
	if vc.CloudFrontDefaultCertificate == custom || vc.ACMCertificateARN != "" && vc.IAMCertificateID != "" {
		return ErrInvalidViewerCertificate
	}
	if custom && !slices.Contains([]string{"sni-only", "vip", "static-ip"}, vc.SSLSupportMethod) {
		return ErrInvalidViewerCertificate
	}
	g := c.GeoRestriction
	switch g.RestrictionType {
	case "none":
		if len(g.Locations) != 0 {
			return InvalidArgument("Restrictions.GeoRestriction.Items", "must be empty when RestrictionType is none")
		}
	case "whitelist", "blacklist":
		if len(g.Locations) == 0 {
			return InvalidArgument("Restrictions.GeoRestriction.Items", "must list at least one country code")
		}
	default:
		return InvalidArgument("Restrictions.GeoRestriction.RestrictionType", "must be none, whitelist or blacklist")
	}
	for _, l := range g.Locations {
		if len(l) != 2 || l[0] < 'A' || l[0] > 'Z' || l[1] < 'A' || l[1] > 'Z' {
			return InvalidArgument("Restrictions.GeoRestriction.Items", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", l))
		}
	}
	if c.Logging.Enabled && c.Logging.Bucket == "" {
		return InvalidArgument("Logging.Bucket", "is required when logging is enabled")
	}
	return nil
}

// validOriginHost accepts DNS names (including localhost) and IP addresses.
func validOriginHost(h string) bool {
	if net.ParseIP(strings.Trim(h, "[]")) != nil {
		return true
	}
	return validHostname(strings.ToLower(h))
}

// validHostname checks an RFC 1123 host name of letters, digits, hyphens and dots.
func validHostname(h string) bool {
	if h == "" || len(h) > maxDomainNameLen {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// validToken checks an HTTP header name (RFC 9110 section 5.6.2).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}
