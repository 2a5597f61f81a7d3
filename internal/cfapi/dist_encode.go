package cfapi

import (
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// alloc sets *p to a new T and returns it; it names the anonymous Items types once.
func alloc[T any](p **T) *T {
	*p = new(T)
	return *p
}

func ref[T any](v T) *T { return &v }

// timeFormat is how CloudFront writes LastModifiedTime: ISO 8601 with milliseconds, in UTC.
const timeFormat = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// fromDomain renders a stored config with every element CloudFront answers.
func fromDomain(c distrib.DistributionConfig) distConfigXML {
	return distConfigXML{
		CallerReference:              ref(c.CallerReference),
		Aliases:                      aliasesOut(c.Aliases),
		DefaultRootObject:            ref(c.DefaultRootObject),
		Origins:                      originsOut(c.Origins),
		OriginGroups:                 originGroupsOut(c.OriginGroups),
		DefaultCacheBehavior:         ref(behaviorOut(c.DefaultCacheBehavior)),
		CacheBehaviors:               behaviorsOut(c.CacheBehaviors),
		CustomErrorResponses:         errorsOut(c.CustomErrorResponses),
		Comment:                      ref(c.Comment),
		Logging:                      &loggingXML{c.Logging.Enabled, c.Logging.IncludeCookies, c.Logging.Bucket, c.Logging.Prefix},
		PriceClass:                   ref(c.PriceClass),
		Enabled:                      ref(c.Enabled),
		ViewerCertificate:            viewerCertOut(c.ViewerCertificate),
		Restrictions:                 restrictionsOut(c.GeoRestriction),
		WebACLID:                     ref(c.WebACLID),
		HTTPVersion:                  ref(c.HTTPVersion),
		IsIPV6Enabled:                ref(c.IsIPV6Enabled),
		ContinuousDeploymentPolicyID: ref(c.ContinuousDeploymentPolicyID),
		Staging:                      ref(c.Staging),
	}
}

func aliasesOut(as []string) *aliasesXML {
	x := &aliasesXML{Quantity: len(as)}
	if len(as) > 0 {
		alloc(&x.Items).CNAME = as
	}
	return x
}

func originsOut(os []distrib.Origin) *originsXML {
	x := &originsXML{Quantity: len(os)}
	if len(os) == 0 {
		return x
	}
	items := alloc(&x.Items)
	for _, o := range os {
		ox := originXML{ID: o.ID, DomainName: o.DomainName, OriginPath: ref(o.OriginPath),
			CustomHeaders: &customHdrsXML{Quantity: len(o.CustomHeaders)}, ConnectionAttempts: ref(o.ConnectionAttempts),
			ConnectionTimeout: ref(o.ConnectionTimeout), OriginShield: &originShieldXML{}, OriginAccessControlID: ref(o.OriginAccessControlID)}
		if len(o.CustomHeaders) > 0 {
			hs := alloc(&ox.CustomHeaders.Items)
			for _, h := range o.CustomHeaders {
				hs.Header = append(hs.Header, struct {
					Name  string `xml:"HeaderName"`
					Value string `xml:"HeaderValue"`
				}{h.Name, h.Value})
			}
		}
		if o.S3 != nil {
			ox.S3OriginConfig = &s3OriginXML{OriginAccessIdentity: o.S3.OriginAccessIdentity}
		}
		if co := o.Custom; co != nil {
			ox.CustomOriginConfig = &customOriginXML{HTTPPort: ref(co.HTTPPort), HTTPSPort: ref(co.HTTPSPort),
				OriginProtocolPolicy: co.OriginProtocolPolicy, OriginSslProtocols: &sslProtos{Quantity: len(co.OriginSSLProtocols)},
				OriginReadTimeout: ref(co.OriginReadTimeout), OriginKeepaliveTimeout: ref(co.OriginKeepaliveTimeout)}
			if len(co.OriginSSLProtocols) > 0 {
				alloc(&ox.CustomOriginConfig.OriginSslProtocols.Items).SslProtocol = co.OriginSSLProtocols
			}
		}
		items.Origin = append(items.Origin, ox)
	}
	return x
}

func originGroupsOut(gs []distrib.OriginGroup) *originGroupsXML {
	x := &originGroupsXML{Quantity: len(gs)}
	if len(gs) == 0 {
		return x
	}
	items := alloc(&x.Items)
	for _, g := range gs {
		var gx originGroupXML
		gx.ID = g.ID
		gx.StatusCodes.Quantity = len(g.StatusCodes)
		alloc(&gx.StatusCodes.Items).StatusCode = g.StatusCodes
		gx.Members.Quantity = len(g.Members)
		ms := alloc(&gx.Members.Items)
		for _, m := range g.Members {
			ms.Member = append(ms.Member, struct {
				OriginID string `xml:"OriginId"`
			}{m})
		}
		items.OriginGroup = append(items.OriginGroup, gx)
	}
	return x
}

func behaviorsOut(bs []distrib.CacheBehavior) *cacheBehaviorsXML {
	x := &cacheBehaviorsXML{Quantity: len(bs)}
	if len(bs) == 0 {
		return x
	}
	items := alloc(&x.Items)
	for _, b := range bs {
		bx := behaviorOut(b)
		bx.PathPattern = ref(b.PathPattern)
		items.CacheBehavior = append(items.CacheBehavior, bx)
	}
	return x
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// behaviorOut renders a behavior without its PathPattern (the default behavior has none).
func behaviorOut(b distrib.CacheBehavior) cacheBehaviorXML {
	x := cacheBehaviorXML{TargetOriginID: b.TargetOriginID, ViewerProtocolPolicy: b.ViewerProtocolPolicy,
		TrustedSigners:   &trustedSignersXML{Enabled: b.TrustedSigners.Enabled, Quantity: len(b.TrustedSigners.Items)},
		TrustedKeyGroups: &trustedKeyGroupXML{Enabled: b.TrustedKeyGroups.Enabled, Quantity: len(b.TrustedKeyGroups.Items)},
		AllowedMethods: &allowedMethodsXML{methodsXML: methodsOut(b.AllowedMethods),
			CachedMethods: ref(methodsOut(b.CachedMethods))},
		SmoothStreaming: ref(b.SmoothStreaming), Compress: ref(b.Compress),
		LambdaFunctionAssociations: &lambdaAssocsXML{Quantity: len(b.LambdaFunctionAssociations)},
		FunctionAssociations:       &funcAssocsXML{Quantity: len(b.FunctionAssociations)},
		FieldLevelEncryptionID:     ref(b.FieldLevelEncryptionID),
		CachePolicyID:              optional(b.CachePolicyID), OriginRequestPolicyID: optional(b.OriginRequestPolicyID),
		ResponseHeadersPolicyID: optional(b.ResponseHeadersPolicyID),
		MinTTL:                  b.MinTTL, DefaultTTL: b.DefaultTTL, MaxTTL: b.MaxTTL}
	if len(b.TrustedSigners.Items) > 0 {
		alloc(&x.TrustedSigners.Items).Account = b.TrustedSigners.Items
	}
	if len(b.TrustedKeyGroups.Items) > 0 {
		alloc(&x.TrustedKeyGroups.Items).KeyGroup = b.TrustedKeyGroups.Items
	}
	if len(b.LambdaFunctionAssociations) > 0 {
		items := alloc(&x.LambdaFunctionAssociations.Items)
		for _, a := range b.LambdaFunctionAssociations {
			items.Assoc = append(items.Assoc, struct {
				ARN         string `xml:"LambdaFunctionARN"`
				EventType   string `xml:"EventType"`
				IncludeBody bool   `xml:"IncludeBody"`
			}{a.ARN, a.EventType, a.IncludeBody})
		}
	}
	if len(b.FunctionAssociations) > 0 {
		items := alloc(&x.FunctionAssociations.Items)
		for _, a := range b.FunctionAssociations {
			items.Assoc = append(items.Assoc, struct {
				ARN       string `xml:"FunctionARN"`
				EventType string `xml:"EventType"`
			}{a.ARN, a.EventType})
		}
	}
	if fv := b.ForwardedValues; fv != nil {
		f := &forwardedXML{QueryString: fv.QueryString, Headers: namesOut(fv.Headers), QueryStringCacheKeys: namesOut(fv.QueryStringCacheKeys)}
		f.Cookies.Forward = fv.CookiesForward
		if fv.CookiesForward == "whitelist" {
			f.Cookies.WhitelistedNames = namesOut(fv.CookieNames)
		}
		x.ForwardedValues = f
	}
	return x
}

func methodsOut(ms []string) methodsXML {
	x := methodsXML{Quantity: len(ms)}
	if len(ms) > 0 {
		alloc(&x.Items).Method = ms
	}
	return x
}

func namesOut(ns []string) *namesXML {
	x := &namesXML{Quantity: len(ns)}
	if len(ns) > 0 {
		alloc(&x.Items).Name = ns
	}
	return x
}

func errorsOut(es []distrib.CustomErrorResponse) *customErrorsXML {
	x := &customErrorsXML{Quantity: len(es)}
	if len(es) == 0 {
		return x
	}
	items := alloc(&x.Items)
	for _, e := range es {
		items.Response = append(items.Response, struct {
			ErrorCode          int     `xml:"ErrorCode"`
			ResponsePagePath   *string `xml:"ResponsePagePath"`
			ResponseCode       *string `xml:"ResponseCode"`
			ErrorCachingMinTTL *int64  `xml:"ErrorCachingMinTTL"`
		}{e.ErrorCode, ref(e.ResponsePagePath), ref(e.ResponseCode), e.ErrorCachingMinTTL})
	}
	return x
}

func viewerCertOut(v distrib.ViewerCertificate) *viewerCertXML {
	return &viewerCertXML{CloudFrontDefaultCertificate: ref(v.CloudFrontDefaultCertificate),
		IAMCertificateID: optional(v.IAMCertificateID), ACMCertificateArn: optional(v.ACMCertificateARN),
		SSLSupportMethod: optional(v.SSLSupportMethod), MinimumProtocolVersion: optional(v.MinimumProtocolVersion),
		Certificate: optional(v.Certificate), CertificateSource: optional(v.CertificateSource)}
}

func restrictionsOut(g distrib.GeoRestriction) *restrictionsXML {
	x := &restrictionsXML{}
	x.GeoRestriction.RestrictionType = g.RestrictionType
	x.GeoRestriction.Quantity = len(g.Locations)
	if len(g.Locations) > 0 {
		alloc(&x.GeoRestriction.Items).Location = g.Locations
	}
	return x
}
