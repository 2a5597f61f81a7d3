package distrib

import "time"

// Policy types (API_CachePolicyConfig.html, API_OriginRequestPolicyConfig.html,
// API_ResponseHeadersPolicyConfig.html). A cache behavior names policies by id; the edge
// resolves the ids with Service.CachePolicy, Service.OriginRequestPolicy and
// Service.ResponseHeadersPolicy, which answer AWS's managed policies and custom ones alike.
// Lists are plain slices (the wire's Quantity is their length).

// Behaviors of a policy's headers, cookies and query strings: which values of the viewer
// request go into the cache key (cache policies) or to the origin (origin request policies).
const (
	BehaviorNone      = "none"
	BehaviorWhitelist = "whitelist"
	BehaviorAllExcept = "allExcept"
	BehaviorAll       = "all"
	// BehaviorAllViewer and BehaviorAllViewerAndWhitelistCloudFront are header behaviors of
	// origin request policies only: every viewer header, plus the listed CloudFront-* headers.
	BehaviorAllViewer                       = "allViewer"
	BehaviorAllViewerAndWhitelistCloudFront = "allViewerAndWhitelistCloudFront"
)

// PolicyType is managed (AWS's, read-only) or custom (the account's). It is the Type of a
// list's summaries and its filter.
const (
	PolicyTypeManaged = "managed"
	PolicyTypeCustom  = "custom"
)

// NamesConfig is a HeadersConfig, CookiesConfig or QueryStringsConfig: a Behavior and the
// names it lists (whitelist and allExcept list names; none and all do not).
type NamesConfig struct {
	Behavior string   `json:"behavior"`
	Names    []string `json:"names,omitempty"`
}

// CachePolicyConfig is a CachePolicyConfig: the TTLs of a cache behavior and what goes into
// its cache key, which is also forwarded to the origin.
type CachePolicyConfig struct {
	// Name is unique among cache policies, AWS's managed ones included.
	Name    string `json:"name"`
	Comment string `json:"comment,omitempty"`
	// MinTTL, DefaultTTL and MaxTTL are seconds, 0 <= MinTTL <= DefaultTTL <= MaxTTL.
	// DefaultTTL applies when the origin sends no Cache-Control max-age or Expires; MaxTTL
	// caps them. MaxTTL 0 disables caching. Normalize fills the defaults of
	// API_CachePolicyConfig.html.
	MinTTL     int64 `json:"minTtl"`
	DefaultTTL int64 `json:"defaultTtl"`
	MaxTTL     int64 `json:"maxTtl"`
	// ParametersInCacheKeyAndForwardedToOrigin.
	Parameters CacheKeyParameters `json:"parameters"`
}

// CacheKeyParameters is a ParametersInCacheKeyAndForwardedToOrigin.
type CacheKeyParameters struct {
	// EnableAcceptEncodingGzip and EnableAcceptEncodingBrotli put the normalized
	// Accept-Encoding (gzip, br) into the cache key, so that compressed variants are cached
	// apart (cache-key-understand-cache-policy.html).
	EnableAcceptEncodingGzip   bool        `json:"enableAcceptEncodingGzip"`
	EnableAcceptEncodingBrotli bool        `json:"enableAcceptEncodingBrotli"`
	HeadersConfig              NamesConfig `json:"headersConfig"`      // none or whitelist
	CookiesConfig              NamesConfig `json:"cookiesConfig"`      // none, whitelist, allExcept or all
	QueryStringsConfig         NamesConfig `json:"queryStringsConfig"` // none, whitelist, allExcept or all
}

// Policy is a stored (custom) or built-in (managed) policy of any of the three kinds; one
// generic type lets the three share their create/get/update/delete/list code.
type Policy[C any] struct {
	// ID is a UUID, like CloudFront's policy ids.
	ID     string `json:"id"`
	Config C      `json:"config"`
	// ETag is the version If-Match names; it changes on every update.
	ETag         string    `json:"etag"`
	LastModified time.Time `json:"lastModified"`
	// Managed is true for AWS's managed policies, which cannot be updated or deleted.
	Managed bool `json:"managed,omitempty"`
}

// Type is PolicyTypeManaged or PolicyTypeCustom.
func (p Policy[C]) Type() string {
	if p.Managed {
		return PolicyTypeManaged
	}
	return PolicyTypeCustom
}

// CachePolicy is a cache policy (API_CachePolicy.html).
type CachePolicy = Policy[CachePolicyConfig]

// OriginRequestPolicy is an origin request policy (API_OriginRequestPolicy.html).
type OriginRequestPolicy = Policy[OriginRequestPolicyConfig]

// ResponseHeadersPolicy is a response headers policy (API_ResponseHeadersPolicy.html).
type ResponseHeadersPolicy = Policy[ResponseHeadersPolicyConfig]

// OriginRequestPolicyConfig is an OriginRequestPolicyConfig: the viewer values sent to the
// origin in addition to those of the cache policy, without entering the cache key.
type OriginRequestPolicyConfig struct {
	Name    string `json:"name"`
	Comment string `json:"comment,omitempty"`
	// HeadersConfig is none, whitelist, allViewer, allViewerAndWhitelistCloudFront or
	// allExcept; CookiesConfig and QueryStringsConfig none, whitelist, all or allExcept.
	HeadersConfig      NamesConfig `json:"headersConfig"`
	CookiesConfig      NamesConfig `json:"cookiesConfig"`
	QueryStringsConfig NamesConfig `json:"queryStringsConfig"`
}

// ResponseHeadersPolicyConfig is a ResponseHeadersPolicyConfig: headers the edge adds to, or
// removes from, its responses to viewers (modifying-response-headers.html). Nil parts are
// absent from the policy.
type ResponseHeadersPolicyConfig struct {
	Name            string                 `json:"name"`
	Comment         string                 `json:"comment,omitempty"`
	CORS            *CORSConfig            `json:"cors,omitempty"`
	SecurityHeaders *SecurityHeadersConfig `json:"securityHeaders,omitempty"`
	ServerTiming    *ServerTimingConfig    `json:"serverTiming,omitempty"`
	CustomHeaders   []ResponseCustomHeader `json:"customHeaders,omitempty"`
	// RemoveHeaders are header names removed from the origin's response.
	RemoveHeaders []string `json:"removeHeaders,omitempty"`
}

// CORSConfig is a ResponseHeadersPolicyCorsConfig: the Access-Control-* headers of responses
// to CORS requests (Access-Control-Allow-Origin on every CORS response, the others on
// preflight OPTIONS responses).
type CORSConfig struct {
	AllowOrigins []string `json:"allowOrigins"`
	AllowHeaders []string `json:"allowHeaders,omitempty"`
	// AllowMethods are GET, POST, OPTIONS, PUT, DELETE, PATCH, HEAD, or ALL alone.
	AllowMethods     []string `json:"allowMethods"`
	AllowCredentials bool     `json:"allowCredentials"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	// MaxAgeSec is Access-Control-Max-Age; nil sends none.
	MaxAgeSec *int64 `json:"maxAgeSec,omitempty"`
	// OriginOverride makes these headers replace the origin's; otherwise the origin's win.
	OriginOverride bool `json:"originOverride"`
}

// SecurityHeadersConfig is a ResponseHeadersPolicySecurityHeadersConfig. Each header has its
// own Override: true replaces the origin's header, false keeps the origin's when it sent one.
type SecurityHeadersConfig struct {
	XSSProtection           *XSSProtection           `json:"xssProtection,omitempty"`
	FrameOptions            *FrameOptions            `json:"frameOptions,omitempty"`
	ReferrerPolicy          *ReferrerPolicy          `json:"referrerPolicy,omitempty"`
	ContentSecurityPolicy   *ContentSecurityPolicy   `json:"contentSecurityPolicy,omitempty"`
	ContentTypeOptions      *ContentTypeOptions      `json:"contentTypeOptions,omitempty"`
	StrictTransportSecurity *StrictTransportSecurity `json:"strictTransportSecurity,omitempty"`
}

// XSSProtection is X-XSS-Protection: "0", "1", "1; mode=block" or "1; report=<ReportURI>".
type XSSProtection struct {
	Override   bool   `json:"override"`
	Protection bool   `json:"protection"`
	ModeBlock  bool   `json:"modeBlock,omitempty"`
	ReportURI  string `json:"reportUri,omitempty"`
}

// FrameOptions is X-Frame-Options: DENY or SAMEORIGIN.
type FrameOptions struct {
	Override    bool   `json:"override"`
	FrameOption string `json:"frameOption"`
}

// ReferrerPolicy is Referrer-Policy.
type ReferrerPolicy struct {
	Override       bool   `json:"override"`
	ReferrerPolicy string `json:"referrerPolicy"`
}

// ContentSecurityPolicy is Content-Security-Policy.
type ContentSecurityPolicy struct {
	Override              bool   `json:"override"`
	ContentSecurityPolicy string `json:"contentSecurityPolicy"`
}

// ContentTypeOptions is X-Content-Type-Options: nosniff.
type ContentTypeOptions struct {
	Override bool `json:"override"`
}

// StrictTransportSecurity is Strict-Transport-Security: max-age=<AccessControlMaxAgeSec>
// [; includeSubDomains][; preload].
type StrictTransportSecurity struct {
	Override               bool  `json:"override"`
	IncludeSubdomains      bool  `json:"includeSubdomains,omitempty"`
	Preload                bool  `json:"preload,omitempty"`
	AccessControlMaxAgeSec int64 `json:"accessControlMaxAgeSec"`
}

// ServerTimingConfig is a ResponseHeadersPolicyServerTimingHeadersConfig: a Server-Timing
// header on SamplingRate percent (0-100) of responses.
type ServerTimingConfig struct {
	Enabled      bool     `json:"enabled"`
	SamplingRate *float64 `json:"samplingRate,omitempty"`
}

// ResponseCustomHeader is a ResponseHeadersPolicyCustomHeader.
type ResponseCustomHeader struct {
	Header   string `json:"header"`
	Value    string `json:"value"`
	Override bool   `json:"override"`
}
