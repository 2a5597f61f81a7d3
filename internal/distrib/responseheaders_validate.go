package distrib

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
)

// Bounds of response headers policies (cloudfront-limits.html, "Quotas on response headers
// policies").
const (
	MaxResponseCustomHeaders = 10
	MaxResponseRemoveHeaders = 10
	MaxCSPLen                = 1783
)

// corsMethods are the values of AccessControlAllowMethods (botocore's enum); ALL stands for
// every one and goes alone.
var corsMethods = []string{"GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD", "ALL"}

// referrerPolicies are the values of ReferrerPolicy (botocore's ReferrerPolicyList).
var referrerPolicies = []string{"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
	"same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"}

// unremovable are headers a RemoveHeadersConfig cannot name: the edge needs them to frame
// or route the response (modifying-response-headers.html, "Remove headers").
var unremovable = []string{"connection", "content-encoding", "content-length", "expect", "host", "keep-alive",
	"proxy-authenticate", "proxy-authorization", "proxy-connection", "trailer", "transfer-encoding", "upgrade",
	"via", "warning", "x-cache", "x-forwarded-proto", "x-real-ip"}

// Validate checks a response headers policy config. A policy must do something: it needs at
// least one of its configs.
func (c *ResponseHeadersPolicyConfig) Validate() error {
	if err := validatePolicyName(c.Name, c.Comment); err != nil {
		return err
	}
	if c.CORS == nil && c.SecurityHeaders == nil && c.ServerTiming == nil && len(c.CustomHeaders) == 0 && len(c.RemoveHeaders) == 0 {
		return InvalidArgument("ResponseHeadersPolicyConfig", "must set at least one of CorsConfig, SecurityHeadersConfig, ServerTimingHeadersConfig, CustomHeadersConfig and RemoveHeadersConfig")
	}
	if err := c.CORS.validate(); err != nil {
		return err
	}
	if err := c.SecurityHeaders.validate(); err != nil {
		return err
	}
	if st := c.ServerTiming; st != nil && st.SamplingRate != nil {
		if r := *st.SamplingRate; math.IsNaN(r) || r < 0 || r > 100 || math.Round(r*10000) != r*10000 {
			return InvalidArgument("ServerTimingHeadersConfig.SamplingRate", "must be a percentage from 0 to 100 with at most four decimal places")
		}
	}
	return c.validateHeaderLists()
}

func (c *CORSConfig) validate() error {
	if c == nil {
		return nil
	}
	const f = "CorsConfig."
	if len(c.AllowOrigins) == 0 {
		return InvalidArgument(f+"AccessControlAllowOrigins", "must list at least one origin (or *)")
	}
	for _, o := range c.AllowOrigins {
		if o == "" || strings.ContainsAny(o, " \t\r\n\x00,") {
			return InvalidArgument(f+"AccessControlAllowOrigins", fmt.Sprintf("%q is not an origin", o))
		}
		// Browsers refuse credentials with a wildcard origin (Fetch standard, CORS check).
		if o == "*" && c.AllowCredentials {
			return InvalidArgument(f+"AccessControlAllowCredentials", "cannot be true when AccessControlAllowOrigins is *")
		}
	}
	if len(c.AllowMethods) == 0 {
		return InvalidArgument(f+"AccessControlAllowMethods", "must list at least one method")
	}
	for _, m := range c.AllowMethods {
		if !slices.Contains(corsMethods, m) {
			return InvalidArgument(f+"AccessControlAllowMethods", fmt.Sprintf("%q is not one of %s", m, strings.Join(corsMethods, ", ")))
		}
		if m == "ALL" && len(c.AllowMethods) > 1 {
			return InvalidArgument(f+"AccessControlAllowMethods", "ALL stands for every method and must be alone")
		}
	}
	for _, l := range []struct {
		field string
		names []string
	}{{f + "AccessControlAllowHeaders", c.AllowHeaders}, {f + "AccessControlExposeHeaders", c.ExposeHeaders}} {
		for _, h := range l.names {
			if h != "*" && !validToken(h) {
				return InvalidArgument(l.field, fmt.Sprintf("%q is not a header name or *", h))
			}
		}
	}
	if c.MaxAgeSec != nil && *c.MaxAgeSec < 0 {
		return InvalidArgument(f+"AccessControlMaxAgeSec", "must not be negative")
	}
	return nil
}

func (s *SecurityHeadersConfig) validate() error {
	if s == nil {
		return nil
	}
	const f = "SecurityHeadersConfig."
	if x := s.XSSProtection; x != nil {
		switch {
		case !x.Protection && (x.ModeBlock || x.ReportURI != ""):
			return InvalidArgument(f+"XSSProtection", "ModeBlock and ReportUri need Protection true")
		case x.ModeBlock && x.ReportURI != "":
			return InvalidArgument(f+"XSSProtection", "ModeBlock and ReportUri cannot be used together")
		}
		if x.ReportURI != "" {
			if u, err := url.Parse(x.ReportURI); err != nil || u.Scheme == "" || strings.ContainsAny(x.ReportURI, " \r\n;") {
				return InvalidArgument(f+"XSSProtection.ReportUri", fmt.Sprintf("%q is not an absolute URI", x.ReportURI))
			}
		}
	}
	if fo := s.FrameOptions; fo != nil && fo.FrameOption != "DENY" && fo.FrameOption != "SAMEORIGIN" {
		return InvalidArgument(f+"FrameOptions.FrameOption", "must be DENY or SAMEORIGIN")
	}
	if rp := s.ReferrerPolicy; rp != nil && !slices.Contains(referrerPolicies, rp.ReferrerPolicy) {
		return InvalidArgument(f+"ReferrerPolicy.ReferrerPolicy", fmt.Sprintf("%q is not one of %s", rp.ReferrerPolicy, strings.Join(referrerPolicies, ", ")))
	}
	if csp := s.ContentSecurityPolicy; csp != nil {
		switch v := csp.ContentSecurityPolicy; {
		case strings.TrimSpace(v) == "" || strings.ContainsAny(v, "\r\n\x00"):
			return InvalidArgument(f+"ContentSecurityPolicy.ContentSecurityPolicy", "must be a non-empty header value")
		case len(v) > MaxCSPLen:
			return ErrTooLongCSPInResponseHeadersPolicy
		}
	}
	if h := s.StrictTransportSecurity; h != nil && h.AccessControlMaxAgeSec < 0 {
		return InvalidArgument(f+"StrictTransportSecurity.AccessControlMaxAgeSec", "must not be negative")
	}
	return nil
}

// validateHeaderLists checks the custom and removed headers: HTTP header names and values,
// each named once across both lists, and not a header another config of the policy sets.
func (c *ResponseHeadersPolicyConfig) validateHeaderLists() error {
	if len(c.CustomHeaders) > MaxResponseCustomHeaders {
		return ErrTooManyCustomHeadersInResponseHeadersPolicy
	}
	if len(c.RemoveHeaders) > MaxResponseRemoveHeaders {
		return ErrTooManyRemoveHeadersInResponseHeadersPolicy
	}
	owned := c.configuredHeaders()
	seen := map[string]bool{}
	for _, h := range c.CustomHeaders {
		const f = "CustomHeadersConfig"
		lower := strings.ToLower(h.Header)
		switch {
		case !validToken(h.Header):
			return InvalidArgument(f, fmt.Sprintf("%q is not a valid HTTP header name", h.Header))
		case strings.ContainsAny(h.Value, "\r\n\x00"):
			return InvalidArgument(f, fmt.Sprintf("the value of %s is not a valid header value", h.Header))
		case seen[lower]:
			return InvalidArgument(f, fmt.Sprintf("%s is listed twice", h.Header))
		case owned[lower]:
			return InvalidArgument(f, fmt.Sprintf("%s is already set by the policy's CORS or security headers config", h.Header))
		}
		seen[lower] = true
	}
	for _, h := range c.RemoveHeaders {
		const f = "RemoveHeadersConfig"
		lower := strings.ToLower(h)
		switch {
		case !validToken(h):
			return InvalidArgument(f, fmt.Sprintf("%q is not a valid HTTP header name", h))
		case slices.Contains(unremovable, lower) || strings.HasPrefix(lower, "x-amz-cf-") || strings.HasPrefix(lower, "x-edge-"):
			return InvalidArgument(f, fmt.Sprintf("%s cannot be removed", h))
		case seen[lower]:
			return InvalidArgument(f, fmt.Sprintf("%s is listed twice, or both added and removed", h))
		case owned[lower]:
			return InvalidArgument(f, fmt.Sprintf("%s is set by the policy's CORS or security headers config", h))
		}
		seen[lower] = true
	}
	return nil
}

// configuredHeaders returns the lower-case names of the headers the CORS, security and
// server timing configs set.
func (c *ResponseHeadersPolicyConfig) configuredHeaders() map[string]bool {
	m := map[string]bool{}
	if c.CORS != nil {
		for _, h := range []string{"access-control-allow-origin", "access-control-allow-headers", "access-control-allow-methods",
			"access-control-allow-credentials", "access-control-expose-headers", "access-control-max-age"} {
			m[h] = true
		}
	}
	if s := c.SecurityHeaders; s != nil {
		for h, set := range map[string]bool{
			"x-xss-protection": s.XSSProtection != nil, "x-frame-options": s.FrameOptions != nil,
			"referrer-policy": s.ReferrerPolicy != nil, "content-security-policy": s.ContentSecurityPolicy != nil,
			"x-content-type-options": s.ContentTypeOptions != nil, "strict-transport-security": s.StrictTransportSecurity != nil,
		} {
			m[h] = set
		}
	}
	if c.ServerTiming != nil && c.ServerTiming.Enabled {
		m["server-timing"] = true
	}
	return m
}
