package distrib

import "time"

// DistributionConfig is a CloudFront DistributionConfig (API_DistributionConfig.html) as a
// domain value: lists are plain slices (the wire's Quantity is their length), and the fields
// CloudFront fills in when a request omits them are filled by Normalize, so that what Get
// returns is what an Update may send back unchanged.
type DistributionConfig struct {
	// CallerReference makes Create idempotent; it cannot change afterwards.
	CallerReference string `json:"callerReference"`
	// Aliases are the alternate domain names (CNAMEs); each belongs to one distribution.
	Aliases []string `json:"aliases,omitempty"`
	// DefaultRootObject is the object served for a request to "/", e.g. index.html.
	DefaultRootObject    string                `json:"defaultRootObject,omitempty"`
	Origins              []Origin              `json:"origins"`
	OriginGroups         []OriginGroup         `json:"originGroups,omitempty"`
	DefaultCacheBehavior CacheBehavior         `json:"defaultCacheBehavior"`
	CacheBehaviors       []CacheBehavior       `json:"cacheBehaviors,omitempty"`
	CustomErrorResponses []CustomErrorResponse `json:"customErrorResponses,omitempty"`
	Comment              string                `json:"comment"`
	Logging              Logging               `json:"logging"`
	// PriceClass is stored and returned; a self-hosted CDN has no price classes to apply.
	PriceClass        string            `json:"priceClass"`
	Enabled           bool              `json:"enabled"`
	ViewerCertificate ViewerCertificate `json:"viewerCertificate"`
	GeoRestriction    GeoRestriction    `json:"geoRestriction"`
	WebACLID          string            `json:"webAclId,omitempty"`
	HTTPVersion       string            `json:"httpVersion"`
	IsIPV6Enabled     bool              `json:"isIpv6Enabled"`
	// ContinuousDeploymentPolicyID and Staging are stored and returned for round trips.
	ContinuousDeploymentPolicyID string `json:"continuousDeploymentPolicyId,omitempty"`
	Staging                      bool   `json:"staging,omitempty"`
}

// Origin is where the edge fetches objects from (API_Origin.html). Exactly one of S3 and
// Custom is set.
type Origin struct {
	ID         string `json:"id"`
	DomainName string `json:"domainName"`
	// OriginPath is prepended to the request path: "" or "/dir" without a trailing slash.
	OriginPath    string         `json:"originPath,omitempty"`
	CustomHeaders []CustomHeader `json:"customHeaders,omitempty"`
	S3            *S3Origin      `json:"s3,omitempty"`
	Custom        *CustomOrigin  `json:"custom,omitempty"`
	// ConnectionAttempts (1-3, default 3) and ConnectionTimeout (1-10 s, default 10).
	ConnectionAttempts    int    `json:"connectionAttempts"`
	ConnectionTimeout     int    `json:"connectionTimeout"`
	OriginAccessControlID string `json:"originAccessControlId,omitempty"`
}

// OAIPathPrefix prefixes an OAI id in S3OriginConfig.OriginAccessIdentity.
const OAIPathPrefix = "origin-access-identity/cloudfront/"

// S3Origin is an S3OriginConfig. OriginAccessIdentity is "" (no identity) or
// OAIPathPrefix + the id of an existing OAI.
type S3Origin struct {
	OriginAccessIdentity string `json:"originAccessIdentity"`
}

// CustomOrigin is a CustomOriginConfig (API_CustomOriginConfig.html).
type CustomOrigin struct {
	HTTPPort             int      `json:"httpPort"`
	HTTPSPort            int      `json:"httpsPort"`
	OriginProtocolPolicy string   `json:"originProtocolPolicy"`
	OriginSSLProtocols   []string `json:"originSslProtocols"`
	// OriginReadTimeout (1-180 s, default 30) and OriginKeepaliveTimeout (1-180 s, default 5).
	OriginReadTimeout      int `json:"originReadTimeout"`
	OriginKeepaliveTimeout int `json:"originKeepaliveTimeout"`
}

// CustomHeader is added to every request to the origin.
type CustomHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// OriginGroup fails over from its first member to its second on the listed status codes.
type OriginGroup struct {
	ID          string   `json:"id"`
	StatusCodes []int    `json:"statusCodes"`
	Members     []string `json:"members"`
}

// CacheBehavior is a DefaultCacheBehavior (PathPattern "") or a CacheBehavior. Either
// CachePolicyID is set, or the legacy ForwardedValues with the TTLs.
type CacheBehavior struct {
	PathPattern          string   `json:"pathPattern,omitempty"`
	TargetOriginID       string   `json:"targetOriginId"`
	TrustedSigners       Trusted  `json:"trustedSigners"`
	TrustedKeyGroups     Trusted  `json:"trustedKeyGroups"`
	ViewerProtocolPolicy string   `json:"viewerProtocolPolicy"`
	AllowedMethods       []string `json:"allowedMethods"`
	CachedMethods        []string `json:"cachedMethods"`
	SmoothStreaming      bool     `json:"smoothStreaming,omitempty"`
	Compress             bool     `json:"compress"`

	LambdaFunctionAssociations []LambdaFunctionAssociation `json:"lambdaFunctionAssociations,omitempty"`
	FunctionAssociations       []FunctionAssociation       `json:"functionAssociations,omitempty"`

	FieldLevelEncryptionID  string `json:"fieldLevelEncryptionId,omitempty"`
	CachePolicyID           string `json:"cachePolicyId,omitempty"`
	OriginRequestPolicyID   string `json:"originRequestPolicyId,omitempty"`
	ResponseHeadersPolicyID string `json:"responseHeadersPolicyId,omitempty"`

	ForwardedValues *ForwardedValues `json:"forwardedValues,omitempty"`
	// MinTTL, DefaultTTL (default 86400) and MaxTTL (default 31536000) are seconds, set
	// with ForwardedValues only.
	MinTTL     *int64 `json:"minTtl,omitempty"`
	DefaultTTL *int64 `json:"defaultTtl,omitempty"`
	MaxTTL     *int64 `json:"maxTtl,omitempty"`
}

// Trusted is a TrustedSigners or TrustedKeyGroups list.
type Trusted struct {
	Enabled bool     `json:"enabled"`
	Items   []string `json:"items,omitempty"`
}

// LambdaFunctionAssociation is stored and returned; imgcdn runs no Lambda@Edge code.
type LambdaFunctionAssociation struct {
	ARN         string `json:"arn"`
	EventType   string `json:"eventType"`
	IncludeBody bool   `json:"includeBody"`
}

// FunctionAssociation is stored and returned; imgcdn runs no CloudFront Functions.
type FunctionAssociation struct {
	ARN       string `json:"arn"`
	EventType string `json:"eventType"`
}

// ForwardedValues is the legacy cache key and origin request setting.
type ForwardedValues struct {
	QueryString bool `json:"queryString"`
	// CookiesForward is none, whitelist or all; CookieNames go with whitelist.
	CookiesForward       string   `json:"cookiesForward"`
	CookieNames          []string `json:"cookieNames,omitempty"`
	Headers              []string `json:"headers,omitempty"`
	QueryStringCacheKeys []string `json:"queryStringCacheKeys,omitempty"`
}

// CustomErrorResponse replaces an origin's error (API_CustomErrorResponse.html).
type CustomErrorResponse struct {
	ErrorCode        int    `json:"errorCode"`
	ResponsePagePath string `json:"responsePagePath,omitempty"`
	ResponseCode     string `json:"responseCode,omitempty"`
	// ErrorCachingMinTTL defaults to 10 seconds.
	ErrorCachingMinTTL *int64 `json:"errorCachingMinTtl,omitempty"`
}

// Logging is stored and returned (API_LoggingConfig.html).
type Logging struct {
	Enabled        bool   `json:"enabled"`
	IncludeCookies bool   `json:"includeCookies"`
	Bucket         string `json:"bucket"`
	Prefix         string `json:"prefix"`
}

// ViewerCertificate says which certificate viewers see (API_ViewerCertificate.html).
type ViewerCertificate struct {
	CloudFrontDefaultCertificate bool   `json:"cloudFrontDefaultCertificate"`
	IAMCertificateID             string `json:"iamCertificateId,omitempty"`
	ACMCertificateARN            string `json:"acmCertificateArn,omitempty"`
	SSLSupportMethod             string `json:"sslSupportMethod,omitempty"`
	MinimumProtocolVersion       string `json:"minimumProtocolVersion,omitempty"`
	Certificate                  string `json:"certificate,omitempty"`
	CertificateSource            string `json:"certificateSource,omitempty"`
}

// GeoRestriction is none, whitelist or blacklist of ISO 3166-1 alpha-2 country codes.
type GeoRestriction struct {
	RestrictionType string   `json:"restrictionType"`
	Locations       []string `json:"locations,omitempty"`
}

// Distribution is a stored distribution.
type Distribution struct {
	ID string `json:"id"`
	// DomainLabel is "d" + 13 lower-case alphanumerics; the domain name is DomainLabel + "." +
	// the CDN domain, which the API layer knows.
	DomainLabel string             `json:"domainLabel"`
	Config      DistributionConfig `json:"config"`
	ETag        string             `json:"etag"`
	// Version grows by one on every change; edges report the version they have applied.
	Version      int64     `json:"version"`
	LastModified time.Time `json:"lastModified"`
	// Tags are the resource tags given at creation (CreateDistributionWithTags).
	Tags []Tag `json:"tags,omitempty"`
	// Status is StatusInProgress or StatusDeployed, worked out on every read (not stored).
	Status string `json:"-"`
}

// Distribution statuses (API_Distribution.html).
const (
	StatusInProgress = "InProgress"
	StatusDeployed   = "Deployed"
)

// Tag is a resource tag (API_Tag.html).
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// MaxTags is CloudFront's limit of tags per resource.
const MaxTags = 50

// validateTags applies the rules of API_Tag.html: keys of 1-128 characters, values of at most
// 256, unique keys.
func validateTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return InvalidArgument("Tags", "has more than 50 tags")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if t.Key == "" || seen[t.Key] {
			return InvalidArgument("Tags", "keys must be non-empty and unique")
		}
		if err := checkText("Tags.Key", t.Key, 128); err != nil {
			return err
		}
		if err := checkText("Tags.Value", t.Value, 256); err != nil {
			return err
		}
		seen[t.Key] = true
	}
	return nil
}
