package cfapi

import (
	"github.com/imgcdn/imgcdn/internal/distrib"
)

// decodeCachePolicyConfig parses a CachePolicyConfig document. Name and MinTTL are required
// (botocore's model); DefaultTTL and MaxTTL get CloudFront's defaults when omitted
// (API_CachePolicyConfig.html). A missing ParametersInCacheKeyAndForwardedToOrigin is a key
// of nothing; a present one needs all four of its required members.
func decodeCachePolicyConfig(b []byte) (distrib.CachePolicyConfig, error) {
	var in cachePolicyConfigIn
	if err := decodeXML(b, &in); err != nil {
		return distrib.CachePolicyConfig{}, err
	}
	x := in.cachePolicyConfigXML
	var c distrib.CachePolicyConfig
	if err := refuseUnknown("CachePolicyConfig", x.Unknown); err != nil {
		return c, err
	}
	switch {
	case x.Name == nil:
		return c, distrib.InvalidArgument("Name", "is required")
	case x.MinTTL == nil:
		return c, distrib.InvalidArgument("MinTTL", "is required")
	}
	c.Name, c.Comment, c.MinTTL = *x.Name, deref(x.Comment), *x.MinTTL
	c.DefaultTTL, c.MaxTTL = distrib.CachePolicyTTLDefaults(c.MinTTL, x.DefaultTTL, x.MaxTTL)
	none := distrib.NamesConfig{Behavior: distrib.BehaviorNone}
	c.Parameters = distrib.CacheKeyParameters{HeadersConfig: none, CookiesConfig: none, QueryStringsConfig: none}
	p := x.Parameters
	if p == nil {
		return c, nil
	}
	const f = "ParametersInCacheKeyAndForwardedToOrigin."
	if p.EnableAcceptEncodingGzip == nil {
		return c, distrib.InvalidArgument(f+"EnableAcceptEncodingGzip", "is required")
	}
	c.Parameters.EnableAcceptEncodingGzip, c.Parameters.EnableAcceptEncodingBrotli = *p.EnableAcceptEncodingGzip, deref(p.EnableAcceptEncodingBrotli)
	var err error
	if c.Parameters.HeadersConfig, err = p.HeadersConfig.asDomain(f + "HeadersConfig"); err != nil {
		return c, err
	}
	if c.Parameters.CookiesConfig, err = p.CookiesConfig.asDomain(f + "CookiesConfig"); err != nil {
		return c, err
	}
	c.Parameters.QueryStringsConfig, err = p.QueryStringsConfig.asDomain(f + "QueryStringsConfig")
	return c, err
}

// decodeOriginRequestPolicyConfig parses an OriginRequestPolicyConfig document; Name and the
// three configs are required (botocore's model).
func decodeOriginRequestPolicyConfig(b []byte) (distrib.OriginRequestPolicyConfig, error) {
	var in originRequestPolicyConfigIn
	if err := decodeXML(b, &in); err != nil {
		return distrib.OriginRequestPolicyConfig{}, err
	}
	x := in.originRequestPolicyConfigXML
	var c distrib.OriginRequestPolicyConfig
	if err := refuseUnknown("OriginRequestPolicyConfig", x.Unknown); err != nil {
		return c, err
	}
	if x.Name == nil {
		return c, distrib.InvalidArgument("Name", "is required")
	}
	c.Name, c.Comment = *x.Name, deref(x.Comment)
	var err error
	if c.HeadersConfig, err = x.HeadersConfig.asDomain("HeadersConfig"); err != nil {
		return c, err
	}
	if c.CookiesConfig, err = x.CookiesConfig.asDomain("CookiesConfig"); err != nil {
		return c, err
	}
	c.QueryStringsConfig, err = x.QueryStringsConfig.asDomain("QueryStringsConfig")
	return c, err
}

func (x *headersConfigXML) asDomain(field string) (distrib.NamesConfig, error) {
	if x == nil {
		return distrib.NamesConfig{}, distrib.InvalidArgument(field, "is required")
	}
	return namesConfig(field, "HeaderBehavior", "Headers", x.Behavior, x.Names)
}

func (x *cookiesConfigXML) asDomain(field string) (distrib.NamesConfig, error) {
	if x == nil {
		return distrib.NamesConfig{}, distrib.InvalidArgument(field, "is required")
	}
	return namesConfig(field, "CookieBehavior", "Cookies", x.Behavior, x.Names)
}

func (x *queryStringsConfigXML) asDomain(field string) (distrib.NamesConfig, error) {
	if x == nil {
		return distrib.NamesConfig{}, distrib.InvalidArgument(field, "is required")
	}
	return namesConfig(field, "QueryStringBehavior", "QueryStrings", x.Behavior, x.Names)
}

// namesConfig checks a behavior (required) and its list's Quantity.
func namesConfig(field, behaviorElem, listElem string, behavior *string, names *namesXML) (distrib.NamesConfig, error) {
	if behavior == nil {
		return distrib.NamesConfig{}, distrib.InvalidArgument(field+"."+behaviorElem, "is required")
	}
	c := distrib.NamesConfig{Behavior: *behavior}
	if names == nil {
		return c, nil
	}
	var items []string
	if names.Items != nil {
		items = names.Items.Name
	}
	var err error
	c.Names, err = count(field+"."+listElem, names.Quantity, items)
	return c, err
}
