package edge

import (
	"time"

	"github.com/imgcdn/imgcdn/internal/cachekey"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/ttl"
)

// cachePolicy converts a cache policy into the key policy and the TTLs it sets.
func cachePolicy(cp distrib.CachePolicyConfig) (cachekey.Policy, ttl.Policy) {
	p := cp.Parameters
	key := cachekey.Policy{
		Query:   selector(p.QueryStringsConfig),
		Headers: selector(p.HeadersConfig),
		Cookies: selector(p.CookiesConfig),
		Gzip:    p.EnableAcceptEncodingGzip,
		Brotli:  p.EnableAcceptEncodingBrotli,
	}
	return key, ttl.Policy{
		Min:     time.Duration(cp.MinTTL) * time.Second,
		Default: time.Duration(cp.DefaultTTL) * time.Second,
		Max:     time.Duration(cp.MaxTTL) * time.Second,
	}
}

// originRequestPolicy converts an origin request policy into what reaches the origin on top
// of the cache key. CloudFront's allViewer header behaviours forward every viewer header;
// allViewerAndWhitelistCloudFront adds CloudFront-* headers imgcdn does not generate.
func originRequestPolicy(orp distrib.OriginRequestPolicyConfig) cachekey.Policy {
	h := selector(orp.HeadersConfig)
	switch orp.HeadersConfig.Behavior {
	case distrib.BehaviorAllViewer, distrib.BehaviorAllViewerAndWhitelistCloudFront:
		h = cachekey.Selector{Behavior: cachekey.All}
	}
	return cachekey.Policy{Query: selector(orp.QueryStringsConfig), Headers: h, Cookies: selector(orp.CookiesConfig)}
}

func selector(n distrib.NamesConfig) cachekey.Selector {
	b := n.Behavior
	if b == "" {
		b = cachekey.None
	}
	return cachekey.Selector{Behavior: b, Names: n.Names}
}
