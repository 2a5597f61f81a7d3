package distrib

import (
	"crypto/sha256"
	"time"
)

// AWS's managed policies, by their well-known ids and with their settings, from the
// CloudFront Developer Guide: using-managed-cache-policies.html,
// using-managed-origin-request-policies.html and using-managed-response-headers-policies.html.
// Their names are those the API answers ("Managed-" + the name the guide uses). They are
// built on every call rather than kept in package variables, so that no caller can alter
// them for another.

// managedLastModified is the LastModifiedTime of every managed policy. The API requires one;
// AWS's own are not documented, and a managed policy never changes here.
var managedLastModified = time.Date(2020, 7, 22, 0, 0, 0, 0, time.UTC)

// managedETag is a managed policy's fixed ETag: E + 13 upper-case alphanumerics derived from
// its id, the shape of every other ETag.
func managedETag(id string) string {
	sum := sha256.Sum256([]byte("imgcdn managed policy " + id))
	b := []byte{'E'}
	for _, c := range sum[:13] {
		b = append(b, idAlphabet[int(c)%len(idAlphabet)])
	}
	return string(b)
}

func managed[C any](id string, cfg C) Policy[C] {
	return Policy[C]{ID: id, Config: cfg, ETag: managedETag(id), LastModified: managedLastModified, Managed: true}
}

func namesNone() NamesConfig { return NamesConfig{Behavior: BehaviorNone} }

func namesAll() NamesConfig { return NamesConfig{Behavior: BehaviorAll} }

func namesWhitelist(names ...string) NamesConfig {
	return NamesConfig{Behavior: BehaviorWhitelist, Names: names}
}

// ID of the managed cache policies that imgcdn's own docs and tests name.
const (
	CachingOptimizedID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	CachingDisabledID  = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	AllViewerID        = "216adef6-5c7f-47e4-b989-5492eafa07d3"
	SimpleCORSID       = "60669652-455b-4ae9-85a4-c4c02393f86c"
)

// managedCachePolicies returns the managed cache policies (using-managed-cache-policies.html).
func managedCachePolicies() []CachePolicy {
	originHeaders := namesWhitelist("Host", "Origin", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")
	return []CachePolicy{
		managed("2e54312d-136d-493c-8eb9-b001f22f67d2", CachePolicyConfig{Name: "Managed-Amplify",
			MinTTL: 2, DefaultTTL: 2, MaxTTL: 600,
			Parameters: CacheKeyParameters{EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true,
				HeadersConfig: namesWhitelist("Authorization", "CloudFront-Viewer-Country", "Host"), CookiesConfig: namesAll(), QueryStringsConfig: namesAll()}}),
		managed(CachingDisabledID, CachePolicyConfig{Name: "Managed-CachingDisabled", Comment: "Policy with caching disabled",
			Parameters: CacheKeyParameters{HeadersConfig: namesNone(), CookiesConfig: namesNone(), QueryStringsConfig: namesNone()}}),
		managed(CachingOptimizedID, CachePolicyConfig{Name: "Managed-CachingOptimized",
			Comment: "Policy with caching enabled. Supports Gzip and Brotli compression.",
			MinTTL:  1, DefaultTTL: 86400, MaxTTL: 31536000,
			Parameters: CacheKeyParameters{EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true,
				HeadersConfig: namesNone(), CookiesConfig: namesNone(), QueryStringsConfig: namesNone()}}),
		managed("b2884449-e4de-46a7-ac36-70bc7f1ddd6d", CachePolicyConfig{Name: "Managed-CachingOptimizedForUncompressedObjects",
			Comment: "Default policy when compression is disabled",
			MinTTL:  1, DefaultTTL: 86400, MaxTTL: 31536000,
			Parameters: CacheKeyParameters{HeadersConfig: namesNone(), CookiesConfig: namesNone(), QueryStringsConfig: namesNone()}}),
		managed("08627262-05a9-4f76-9ded-b50ca2e3a84f", CachePolicyConfig{Name: "Managed-Elemental-MediaPackage",
			MinTTL: 0, DefaultTTL: 86400, MaxTTL: 31536000,
			Parameters: CacheKeyParameters{EnableAcceptEncodingGzip: true, HeadersConfig: namesWhitelist("Origin"), CookiesConfig: namesNone(),
				QueryStringsConfig: namesWhitelist("aws.manifestfilter", "start", "end", "m")}}),
		managed("83da9c7e-98b4-4e11-a168-04f0df8e2c65", CachePolicyConfig{Name: "Managed-UseOriginCacheControlHeaders",
			MinTTL: 0, DefaultTTL: 0, MaxTTL: 31536000,
			Parameters: CacheKeyParameters{EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true,
				HeadersConfig: originHeaders, CookiesConfig: namesAll(), QueryStringsConfig: namesNone()}}),
		managed("4cc15a8a-d715-48a4-82b8-cc0b614638fe", CachePolicyConfig{Name: "Managed-UseOriginCacheControlHeaders-QueryStrings",
			MinTTL: 0, DefaultTTL: 0, MaxTTL: 31536000,
			Parameters: CacheKeyParameters{EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true,
				HeadersConfig: originHeaders, CookiesConfig: namesAll(), QueryStringsConfig: namesAll()}}),
	}
}

// managedOriginRequestPolicies returns the managed origin request policies
// (using-managed-origin-request-policies.html).
func managedOriginRequestPolicies() []OriginRequestPolicy {
	cors := []string{"Origin", "Access-Control-Request-Headers", "Access-Control-Request-Method"}
	return []OriginRequestPolicy{
		managed(AllViewerID, OriginRequestPolicyConfig{Name: "Managed-AllViewer",
			HeadersConfig: NamesConfig{Behavior: BehaviorAllViewer}, CookiesConfig: namesAll(), QueryStringsConfig: namesAll()}),
		managed("33f36d7e-f396-46d9-90e0-52428a34d9dc", OriginRequestPolicyConfig{Name: "Managed-AllViewerAndCloudFrontHeaders-2022-06",
			HeadersConfig: NamesConfig{Behavior: BehaviorAllViewerAndWhitelistCloudFront, Names: []string{
				"CloudFront-Forwarded-Proto", "CloudFront-Is-Android-Viewer", "CloudFront-Is-Desktop-Viewer",
				"CloudFront-Is-IOS-Viewer", "CloudFront-Is-Mobile-Viewer", "CloudFront-Is-SmartTV-Viewer",
				"CloudFront-Is-Tablet-Viewer", "CloudFront-Viewer-Address", "CloudFront-Viewer-ASN",
				"CloudFront-Viewer-City", "CloudFront-Viewer-Country", "CloudFront-Viewer-Country-Name",
				"CloudFront-Viewer-Country-Region", "CloudFront-Viewer-Country-Region-Name",
				"CloudFront-Viewer-Http-Version", "CloudFront-Viewer-Latitude", "CloudFront-Viewer-Longitude",
				"CloudFront-Viewer-Metro-Code", "CloudFront-Viewer-Postal-Code", "CloudFront-Viewer-Time-Zone",
				"CloudFront-Viewer-TLS"}},
			CookiesConfig: namesAll(), QueryStringsConfig: namesAll()}),
		managed("b689b0a8-53d0-40ab-baf2-68738e2966ac", OriginRequestPolicyConfig{Name: "Managed-AllViewerExceptHostHeader",
			HeadersConfig: NamesConfig{Behavior: BehaviorAllExcept, Names: []string{"Host"}}, CookiesConfig: namesAll(), QueryStringsConfig: namesAll()}),
		managed("59781a5b-3903-41f3-afcb-af62929ccde1", OriginRequestPolicyConfig{Name: "Managed-CORS-CustomOrigin",
			HeadersConfig: namesWhitelist("Origin"), CookiesConfig: namesNone(), QueryStringsConfig: namesNone()}),
		managed("88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", OriginRequestPolicyConfig{Name: "Managed-CORS-S3Origin",
			HeadersConfig: namesWhitelist(cors...), CookiesConfig: namesNone(), QueryStringsConfig: namesNone()}),
		managed("775133bc-15f2-49f9-abea-afb2e0bf67d2", OriginRequestPolicyConfig{Name: "Managed-Elemental-MediaTailor-PersonalizedManifests",
			HeadersConfig: namesWhitelist(append(cors, "User-Agent", "X-Forwarded-For")...), CookiesConfig: namesNone(), QueryStringsConfig: namesAll()}),
		managed("bf0718e1-ba1e-49d1-88b1-f726733018ae", OriginRequestPolicyConfig{Name: "Managed-HostHeaderOnly",
			HeadersConfig: namesWhitelist("Host"), CookiesConfig: namesNone(), QueryStringsConfig: namesNone()}),
		managed("acba4595-bd28-49b8-b9fe-13317c0390fa", OriginRequestPolicyConfig{Name: "Managed-UserAgentRefererHeaders",
			HeadersConfig: namesWhitelist("User-Agent", "Referer"), CookiesConfig: namesNone(), QueryStringsConfig: namesNone()}),
	}
}

// managedResponseHeadersPolicies returns the managed response headers policies
// (using-managed-response-headers-policies.html). None overrides the origin's headers except
// X-Content-Type-Options, which the security headers policies always set. ALL in
// AccessControlAllowMethods is the guide's "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT".
func managedResponseHeadersPolicies() []ResponseHeadersPolicy {
	simple := func() *CORSConfig {
		return &CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"ALL"}}
	}
	preflight := func() *CORSConfig {
		return &CORSConfig{AllowOrigins: []string{"*"}, AllowHeaders: []string{"*"}, AllowMethods: []string{"ALL"},
			ExposeHeaders: []string{"*"}}
	}
	security := func() *SecurityHeadersConfig {
		return &SecurityHeadersConfig{
			XSSProtection:           &XSSProtection{Protection: true, ModeBlock: true},
			FrameOptions:            &FrameOptions{FrameOption: "SAMEORIGIN"},
			ReferrerPolicy:          &ReferrerPolicy{ReferrerPolicy: "strict-origin-when-cross-origin"},
			ContentTypeOptions:      &ContentTypeOptions{Override: true},
			StrictTransportSecurity: &StrictTransportSecurity{AccessControlMaxAgeSec: 31536000},
		}
	}
	return []ResponseHeadersPolicy{
		managed(SimpleCORSID, ResponseHeadersPolicyConfig{Name: "Managed-SimpleCORS", CORS: simple()}),
		managed("5cc3b908-e619-4b99-88e5-2cf7f45965bd", ResponseHeadersPolicyConfig{Name: "Managed-CORS-With-Preflight", CORS: preflight()}),
		managed("67f7725c-6f97-4210-82d7-5512b31e9d03", ResponseHeadersPolicyConfig{Name: "Managed-SecurityHeadersPolicy", SecurityHeaders: security()}),
		managed("e61eb60c-9c35-4d20-a928-2b84e02af89c", ResponseHeadersPolicyConfig{Name: "Managed-CORS-and-SecurityHeadersPolicy",
			CORS: simple(), SecurityHeaders: security()}),
		managed("eaab4381-ed33-4a86-88ca-d9558dc6cd63", ResponseHeadersPolicyConfig{Name: "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
			CORS: preflight(), SecurityHeaders: security()}),
	}
}
