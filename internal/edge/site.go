package edge

import (
	"fmt"
	"strings"
	"time"

	"github.com/imgcdn/imgcdn/internal/cachekey"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/origin"
	"github.com/imgcdn/imgcdn/internal/pathpattern"
	"github.com/imgcdn/imgcdn/internal/ttl"
)

// site is one distribution compiled for serving: everything a request needs is resolved
// once, when the configuration arrives, so the request path does no lookups by id.
type site struct {
	id, arn string
	// domain is the distribution's domain name (d....<CDN domain>), which the cache key
	// holds whatever Host the viewer used, so that every alias shares one entry.
	domain     string
	version    int64
	enabled    bool
	rootObject string
	behaviors  []*behavior // CacheBehaviors in order; the default is def
	patterns   []string
	def        *behavior
	errors     map[int]distrib.CustomErrorResponse
	// imageSettings are the distribution's image abuse controls (image_guard.go); nil
	// when it has none.
	imageSettings *distrib.ImageSettings
}

// behavior is a compiled cache behaviour.
type behavior struct {
	viewerPolicy string // allow-all, redirect-to-https, https-only
	allowed      methodSet
	cached       methodSet
	compress     bool
	key          cachekey.Policy // what is in the cache key
	forward      cachekey.Policy // what reaches the origin (a superset of key)
	ttl          ttl.Policy
	targets      []origin.Target // one, or an origin group's members in failover order
	respHeaders  *respPolicy     // nil without a response headers policy
	failoverOn   map[int]bool
	// images is true when the behaviour associates the built-in image optimizer function
	// (image.go): /cdn-cgi/image/<options>/<path> transforms the path's source, and so do
	// option query parameters when the behaviour forwards them.
	images bool
}

// methodSet is a small set of HTTP methods.
type methodSet map[string]bool

func newMethodSet(ms []string) methodSet {
	s := make(methodSet, len(ms))
	for _, m := range ms {
		s[strings.ToUpper(m)] = true
	}
	return s
}

// State is what the edge serves: the distributions and what their behaviours refer to.
type State struct {
	Distributions []distrib.Distribution
	// OACs, CachePolicies and OriginRequestPolicies resolve the ids the behaviours name.
	OACs                  map[string]distrib.OAC
	CachePolicies         map[string]distrib.CachePolicyConfig
	OriginRequestPolicies map[string]distrib.OriginRequestPolicyConfig
	// ResponseHeadersPolicies resolve ResponseHeadersPolicyId.
	ResponseHeadersPolicies map[string]distrib.ResponseHeadersPolicyConfig
	// AccountID makes distribution ARNs (arn:aws:cloudfront::<account>:distribution/<id>).
	AccountID string
	// OriginEndpoints are the registered S3-compatible endpoints (`imgcdn origins`) by
	// domain, lower case: an S3 origin whose DomainName is one is fetched from it, signed
	// with its credentials.
	OriginEndpoints map[string]distrib.OriginEndpoint
	// ImageSettings are the image optimizer's abuse controls by distribution id (`imgcdn
	// images set`): RequireSigned transforms need a valid imaging.VerifyURL under
	// SigningSecret, and AllowedWidths limit the widths (imaging.AllowedWidth). A distribution
	// without an entry has no restriction.
	ImageSettings map[string]distrib.ImageSettings
}

// compile turns a distribution into a site; an error names what could not be resolved, and
// the edge keeps serving the distribution's previous version.
func compile(d distrib.Distribution, st *State) (*site, error) {
	cfg := d.Config
	s := &site{
		id:         d.ID,
		arn:        "arn:aws:cloudfront::" + st.AccountID + ":distribution/" + d.ID,
		enabled:    cfg.Enabled,
		rootObject: cfg.DefaultRootObject,
		errors:     map[int]distrib.CustomErrorResponse{},
	}
	s.imageSettings = imageSettingsOf(st, d.ID)
	for _, e := range cfg.CustomErrorResponses {
		s.errors[e.ErrorCode] = e
	}
	var err error
	if s.def, err = compileBehavior(&cfg.DefaultCacheBehavior, &cfg, s.arn, st); err != nil {
		return nil, fmt.Errorf("distribution %s default behaviour: %w", d.ID, err)
	}
	for i := range cfg.CacheBehaviors {
		b, err := compileBehavior(&cfg.CacheBehaviors[i], &cfg, s.arn, st)
		if err != nil {
			return nil, fmt.Errorf("distribution %s behaviour %q: %w", d.ID, cfg.CacheBehaviors[i].PathPattern, err)
		}
		s.behaviors = append(s.behaviors, b)
		s.patterns = append(s.patterns, cfg.CacheBehaviors[i].PathPattern)
	}
	return s, nil
}

func compileBehavior(cb *distrib.CacheBehavior, cfg *distrib.DistributionConfig, arn string, st *State) (*behavior, error) {
	b := &behavior{
		viewerPolicy: cb.ViewerProtocolPolicy,
		allowed:      newMethodSet(cb.AllowedMethods),
		cached:       newMethodSet(cb.CachedMethods),
		compress:     cb.Compress,
	}
	if len(b.allowed) == 0 {
		b.allowed = newMethodSet([]string{"GET", "HEAD"})
	}
	b.cached["GET"], b.cached["HEAD"] = true, true
	b.images = imageOptimizerAssociated(cb.FunctionAssociations, st.AccountID)
	if err := b.keyPolicies(cb, st); err != nil {
		return nil, err
	}
	if id := cb.ResponseHeadersPolicyID; id != "" {
		rh, ok := st.ResponseHeadersPolicies[id]
		if !ok {
			return nil, fmt.Errorf("no response headers policy %s", id)
		}
		b.respHeaders = &respPolicy{cfg: rh}
	}
	ids := []string{cb.TargetOriginID}
	for _, g := range cfg.OriginGroups {
		if g.ID == cb.TargetOriginID {
			ids = g.Members
			b.failoverOn = map[int]bool{}
			for _, c := range g.StatusCodes {
				b.failoverOn[c] = true
			}
		}
	}
	for _, id := range ids {
		t, err := targetFor(cfg, id, arn, st)
		if err != nil {
			return nil, err
		}
		b.targets = append(b.targets, t)
	}
	return b, nil
}

// targetFor resolves an origin id into a fetch target.
func targetFor(cfg *distrib.DistributionConfig, id, arn string, st *State) (origin.Target, error) {
	for _, o := range cfg.Origins {
		if o.ID != id {
			continue
		}
		var oac *distrib.OAC
		if o.OriginAccessControlID != "" {
			v, ok := st.OACs[o.OriginAccessControlID]
			if !ok {
				return origin.Target{}, fmt.Errorf("origin %s: no origin access control %s", id, o.OriginAccessControlID)
			}
			oac = &v
		}
		t, err := origin.TargetFor(o, arn, oac)
		if err != nil || o.S3 == nil {
			return t, err
		}
		if e, ok := st.OriginEndpoints[strings.TrimSuffix(strings.ToLower(o.DomainName), ".")]; ok {
			return t.WithEndpoint(e)
		}
		return t, nil
	}
	return origin.Target{}, fmt.Errorf("no origin %q", id)
}

// keyPolicies fills the cache key and origin request policies, from the legacy
// ForwardedValues (key and forward are the same: CloudFront forwards exactly what it keys
// on) or from the cache policy plus origin request policy.
func (b *behavior) keyPolicies(cb *distrib.CacheBehavior, st *State) error {
	if cb.CachePolicyID == "" {
		fv := cb.ForwardedValues
		if fv == nil {
			fv = &distrib.ForwardedValues{CookiesForward: "none"}
		}
		b.key = legacyPolicy(fv, b.compress)
		b.forward = b.key
		b.ttl = ttl.Policy{Min: seconds(cb.MinTTL, 0), Default: seconds(cb.DefaultTTL, 86400), Max: seconds(cb.MaxTTL, 31536000)}
		return nil
	}
	cp, ok := st.CachePolicies[cb.CachePolicyID]
	if !ok {
		return fmt.Errorf("no cache policy %s", cb.CachePolicyID)
	}
	b.key, b.ttl = cachePolicy(cp)
	b.forward = b.key
	if cb.OriginRequestPolicyID != "" {
		orp, ok := st.OriginRequestPolicies[cb.OriginRequestPolicyID]
		if !ok {
			return fmt.Errorf("no origin request policy %s", cb.OriginRequestPolicyID)
		}
		b.forward = originRequestPolicy(orp)
	}
	return nil
}

// legacyPolicy converts ForwardedValues. Compress normalises Accept-Encoding into the key
// (CloudFront: "when Compress objects automatically is enabled, CloudFront normalizes the
// Accept-Encoding header").
func legacyPolicy(fv *distrib.ForwardedValues, compress bool) cachekey.Policy {
	p := cachekey.Policy{Gzip: compress, Brotli: compress}
	switch {
	case !fv.QueryString:
		p.Query = cachekey.Selector{Behavior: "none"}
	case len(fv.QueryStringCacheKeys) > 0:
		p.Query = cachekey.Selector{Behavior: "whitelist", Names: fv.QueryStringCacheKeys}
	default:
		p.Query = cachekey.Selector{Behavior: "all"}
	}
	switch {
	case len(fv.Headers) == 1 && fv.Headers[0] == "*":
		p.Headers = cachekey.Selector{Behavior: "all"}
	case len(fv.Headers) > 0:
		p.Headers = cachekey.Selector{Behavior: "whitelist", Names: fv.Headers}
	default:
		p.Headers = cachekey.Selector{Behavior: "none"}
	}
	p.Cookies = cachekey.Selector{Behavior: fv.CookiesForward, Names: fv.CookieNames}
	if p.Cookies.Behavior == "" {
		p.Cookies.Behavior = "none"
	}
	return p
}

func seconds(v *int64, def int64) time.Duration {
	if v == nil {
		return time.Duration(def) * time.Second
	}
	return time.Duration(*v) * time.Second
}

// behaviorFor picks the behaviour for path by CloudFront's precedence: the first matching
// CacheBehavior in order, else the default.
func (s *site) behaviorFor(path string) *behavior {
	if i := pathpattern.Select(s.patterns, path); i >= 0 {
		return s.behaviors[i]
	}
	return s.def
}
