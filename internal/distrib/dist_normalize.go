package distrib

// Defaults CloudFront fills in when a config omits them (API_Origin.html,
// API_CustomOriginConfig.html, API_DefaultCacheBehavior.html, API_CustomErrorResponse.html).
const (
	DefaultConnectionAttempts     = 3
	DefaultConnectionTimeout      = 10
	DefaultOriginReadTimeout      = 30
	DefaultOriginKeepaliveTimeout = 5
	DefaultDefaultTTL             = 86400
	DefaultMaxTTL                 = 31536000
	DefaultErrorCachingMinTTL     = 10
)

// Normalize fills in what CloudFront fills in for a config that omits it, so that the stored
// config, returned by GetDistributionConfig, is complete and can be sent back unchanged.
func (c *DistributionConfig) Normalize() {
	for i := range c.Origins {
		o := &c.Origins[i]
		if o.ConnectionAttempts == 0 {
			o.ConnectionAttempts = DefaultConnectionAttempts
		}
		if o.ConnectionTimeout == 0 {
			o.ConnectionTimeout = DefaultConnectionTimeout
		}
		if co := o.Custom; co != nil {
			if co.OriginReadTimeout == 0 {
				co.OriginReadTimeout = DefaultOriginReadTimeout
			}
			if co.OriginKeepaliveTimeout == 0 {
				co.OriginKeepaliveTimeout = DefaultOriginKeepaliveTimeout
			}
			if len(co.OriginSSLProtocols) == 0 {
				co.OriginSSLProtocols = []string{"TLSv1.2"}
			}
		}
	}
	c.DefaultCacheBehavior.normalize()
	for i := range c.CacheBehaviors {
		c.CacheBehaviors[i].normalize()
	}
	for i := range c.CustomErrorResponses {
		if c.CustomErrorResponses[i].ErrorCachingMinTTL == nil {
			c.CustomErrorResponses[i].ErrorCachingMinTTL = ptr[int64](DefaultErrorCachingMinTTL)
		}
	}
	if c.PriceClass == "" {
		c.PriceClass = "PriceClass_All"
	}
	if c.HTTPVersion == "" {
		c.HTTPVersion = "http2"
	}
	if c.GeoRestriction.RestrictionType == "" {
		c.GeoRestriction.RestrictionType = "none"
	}
	vc := &c.ViewerCertificate
	if vc.ACMCertificateARN == "" && vc.IAMCertificateID == "" {
		vc.CloudFrontDefaultCertificate = true
	}
	if vc.CloudFrontDefaultCertificate {
		// What CloudFront answers for the default *.cloudfront.net certificate.
		if vc.SSLSupportMethod == "" {
			vc.SSLSupportMethod = "vip"
		}
		if vc.MinimumProtocolVersion == "" {
			vc.MinimumProtocolVersion = "TLSv1"
		}
		if vc.CertificateSource == "" {
			vc.CertificateSource = "cloudfront"
		}
	}
}

func (b *CacheBehavior) normalize() {
	if len(b.AllowedMethods) == 0 {
		b.AllowedMethods = []string{"HEAD", "GET"}
	}
	if len(b.CachedMethods) == 0 {
		b.CachedMethods = []string{"HEAD", "GET"}
	}
	if b.ForwardedValues != nil {
		if b.ForwardedValues.CookiesForward == "" {
			b.ForwardedValues.CookiesForward = "none"
		}
		if b.MinTTL == nil {
			b.MinTTL = ptr[int64](0)
		}
		if b.DefaultTTL == nil {
			b.DefaultTTL = ptr[int64](DefaultDefaultTTL)
		}
		if b.MaxTTL == nil {
			b.MaxTTL = ptr[int64](DefaultMaxTTL)
		}
	}
}

func ptr[T any](v T) *T { return &v }
