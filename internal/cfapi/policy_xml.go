package cfapi

import (
	"encoding/xml"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// The CachePolicyConfig and OriginRequestPolicyConfig documents, element for element and in
// order as botocore's model names them. As for distributions, one set of types decodes
// requests (pointers tell a missing element from an empty one) and encodes answers. A
// behavior without names (none, all, allViewer) has no Headers/Cookies/QueryStrings element
// in CloudFront's answers.

type headersConfigXML struct {
	Behavior *string   `xml:"HeaderBehavior"`
	Names    *namesXML `xml:"Headers"`
}

type cookiesConfigXML struct {
	Behavior *string   `xml:"CookieBehavior"`
	Names    *namesXML `xml:"Cookies"`
}

type queryStringsConfigXML struct {
	Behavior *string   `xml:"QueryStringBehavior"`
	Names    *namesXML `xml:"QueryStrings"`
}

type cacheKeyParamsXML struct {
	EnableAcceptEncodingGzip   *bool                  `xml:"EnableAcceptEncodingGzip"`
	EnableAcceptEncodingBrotli *bool                  `xml:"EnableAcceptEncodingBrotli"`
	HeadersConfig              *headersConfigXML      `xml:"HeadersConfig"`
	CookiesConfig              *cookiesConfigXML      `xml:"CookiesConfig"`
	QueryStringsConfig         *queryStringsConfigXML `xml:"QueryStringsConfig"`
}

type cachePolicyConfigXML struct {
	Comment    *string            `xml:"Comment,omitempty"`
	Name       *string            `xml:"Name"`
	DefaultTTL *int64             `xml:"DefaultTTL"`
	MaxTTL     *int64             `xml:"MaxTTL"`
	MinTTL     *int64             `xml:"MinTTL"`
	Parameters *cacheKeyParamsXML `xml:"ParametersInCacheKeyAndForwardedToOrigin"`
	Unknown    []anyElement       `xml:",any"`
}

type originRequestPolicyConfigXML struct {
	Comment            *string                `xml:"Comment,omitempty"`
	Name               *string                `xml:"Name"`
	HeadersConfig      *headersConfigXML      `xml:"HeadersConfig"`
	CookiesConfig      *cookiesConfigXML      `xml:"CookiesConfig"`
	QueryStringsConfig *queryStringsConfigXML `xml:"QueryStringsConfig"`
	Unknown            []anyElement           `xml:",any"`
}

// Request roots; their namespace is not checked, as clients differ.
type cachePolicyConfigIn struct {
	XMLName xml.Name `xml:"CachePolicyConfig"`
	cachePolicyConfigXML
}

type originRequestPolicyConfigIn struct {
	XMLName xml.Name `xml:"OriginRequestPolicyConfig"`
	originRequestPolicyConfigXML
}

// Response documents.

type cachePolicyXML struct {
	ID               string               `xml:"Id"`
	LastModifiedTime string               `xml:"LastModifiedTime"`
	Config           cachePolicyConfigXML `xml:"CachePolicyConfig"`
}

// cachePolicyDoc is a CachePolicy as the root of a Create, Get or Update answer; inside a list summary the
// element repeats no namespace.
type cachePolicyDoc struct {
	XMLName xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ CachePolicy"`
	cachePolicyXML
}

type cachePolicyConfigDoc struct {
	XMLName xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ CachePolicyConfig"`
	cachePolicyConfigXML
}

type cachePolicyListXML struct {
	XMLName    xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ CachePolicyList"`
	NextMarker string   `xml:"NextMarker,omitempty"`
	MaxItems   int      `xml:"MaxItems"`
	Quantity   int      `xml:"Quantity"`
	Items      *struct {
		Summary []cachePolicySummaryXML `xml:"CachePolicySummary"`
	} `xml:"Items"`
}

type cachePolicySummaryXML struct {
	Type   string         `xml:"Type"`
	Policy cachePolicyXML `xml:"CachePolicy"`
}

type originRequestPolicyXML struct {
	ID               string                       `xml:"Id"`
	LastModifiedTime string                       `xml:"LastModifiedTime"`
	Config           originRequestPolicyConfigXML `xml:"OriginRequestPolicyConfig"`
}

// originRequestPolicyDoc is a OriginRequestPolicy as the root of a Create, Get or Update answer; inside a list summary the
// element repeats no namespace.
type originRequestPolicyDoc struct {
	XMLName xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ OriginRequestPolicy"`
	originRequestPolicyXML
}

type originRequestPolicyConfigDoc struct {
	XMLName xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ OriginRequestPolicyConfig"`
	originRequestPolicyConfigXML
}

type originRequestPolicyListXML struct {
	XMLName    xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ OriginRequestPolicyList"`
	NextMarker string   `xml:"NextMarker,omitempty"`
	MaxItems   int      `xml:"MaxItems"`
	Quantity   int      `xml:"Quantity"`
	Items      *struct {
		Summary []originRequestPolicySummaryXML `xml:"OriginRequestPolicySummary"`
	} `xml:"Items"`
}

type originRequestPolicySummaryXML struct {
	Type   string                 `xml:"Type"`
	Policy originRequestPolicyXML `xml:"OriginRequestPolicy"`
}

// policyNamesOut renders a policy's list of names; nil for none, as CloudFront omits the
// element then.
func policyNamesOut(names []string) *namesXML {
	if len(names) == 0 {
		return nil
	}
	return namesOut(names)
}

func cachePolicyConfigOut(c distrib.CachePolicyConfig) cachePolicyConfigXML {
	p := c.Parameters
	return cachePolicyConfigXML{Comment: optional(c.Comment), Name: ref(c.Name),
		DefaultTTL: ref(c.DefaultTTL), MaxTTL: ref(c.MaxTTL), MinTTL: ref(c.MinTTL),
		Parameters: &cacheKeyParamsXML{
			EnableAcceptEncodingGzip:   ref(p.EnableAcceptEncodingGzip),
			EnableAcceptEncodingBrotli: ref(p.EnableAcceptEncodingBrotli),
			HeadersConfig:              &headersConfigXML{ref(p.HeadersConfig.Behavior), policyNamesOut(p.HeadersConfig.Names)},
			CookiesConfig:              &cookiesConfigXML{ref(p.CookiesConfig.Behavior), policyNamesOut(p.CookiesConfig.Names)},
			QueryStringsConfig:         &queryStringsConfigXML{ref(p.QueryStringsConfig.Behavior), policyNamesOut(p.QueryStringsConfig.Names)},
		}}
}

func toCachePolicyXML(p distrib.CachePolicy) cachePolicyXML {
	return cachePolicyXML{ID: p.ID, LastModifiedTime: formatTime(p.LastModified), Config: cachePolicyConfigOut(p.Config)}
}

func originRequestPolicyConfigOut(c distrib.OriginRequestPolicyConfig) originRequestPolicyConfigXML {
	return originRequestPolicyConfigXML{Comment: optional(c.Comment), Name: ref(c.Name),
		HeadersConfig:      &headersConfigXML{ref(c.HeadersConfig.Behavior), policyNamesOut(c.HeadersConfig.Names)},
		CookiesConfig:      &cookiesConfigXML{ref(c.CookiesConfig.Behavior), policyNamesOut(c.CookiesConfig.Names)},
		QueryStringsConfig: &queryStringsConfigXML{ref(c.QueryStringsConfig.Behavior), policyNamesOut(c.QueryStringsConfig.Names)},
	}
}

func toOriginRequestPolicyXML(p distrib.OriginRequestPolicy) originRequestPolicyXML {
	return originRequestPolicyXML{ID: p.ID, LastModifiedTime: formatTime(p.LastModified), Config: originRequestPolicyConfigOut(p.Config)}
}
