package cfapi

import (
	"errors"
	"fmt"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// errInconsistentQuantities: a list's Quantity is not the number of its Items
// (400 InconsistentQuantities).
var errInconsistentQuantities = errors.New("the Quantity of a list does not match the number of its Items")

// decodeDistConfig parses a DistributionConfig document.
func decodeDistConfig(b []byte) (distrib.DistributionConfig, error) {
	var in distConfigIn
	if err := decodeXML(b, &in); err != nil {
		return distrib.DistributionConfig{}, err
	}
	return in.distConfigXML.asDomain()
}

// decodeDistConfigWithTags parses a DistributionConfigWithTags document.
func decodeDistConfigWithTags(b []byte) (distrib.DistributionConfig, []distrib.Tag, error) {
	var in distConfigWithTagsIn
	if err := decodeXML(b, &in); err != nil {
		return distrib.DistributionConfig{}, nil, err
	}
	if in.Config == nil {
		return distrib.DistributionConfig{}, nil, distrib.InvalidArgument("DistributionConfig", "is required")
	}
	if in.Tags == nil {
		return distrib.DistributionConfig{}, nil, distrib.InvalidArgument("Tags", "is required")
	}
	cfg, err := in.Config.asDomain()
	if err != nil {
		return distrib.DistributionConfig{}, nil, err
	}
	var tags []distrib.Tag
	if in.Tags.Items != nil {
		for _, t := range in.Tags.Items.Tag {
			if t.Key == nil {
				return distrib.DistributionConfig{}, nil, distrib.InvalidArgument("Tags.Items.Tag.Key", "is required")
			}
			tags = append(tags, distrib.Tag{Key: *t.Key, Value: t.Value})
		}
	}
	return cfg, tags, nil
}

// refuseUnknown answers InvalidArgument naming the first element of a config that imgcdn does
// not serve (VPC origins, gRPC, real-time logs, multi-tenant settings, ...): storing it and
// never acting on it would mislead.
func refuseUnknown(field string, unknown []anyElement) error {
	if len(unknown) == 0 {
		return nil
	}
	return distrib.InvalidArgument(field+"."+unknown[0].XMLName.Local, "is not supported by imgcdn; remove it")
}

// count checks a list's Quantity against its items and returns them.
func count[T any](field string, quantity int, items []T) ([]T, error) {
	if quantity != len(items) {
		return nil, fmt.Errorf("%w: %s has Quantity %d and %d items", errInconsistentQuantities, field, quantity, len(items))
	}
	return items, nil
}

func deref[T any](p *T) (v T) {
	if p != nil {
		v = *p
	}
	return v
}

func (x *distConfigXML) asDomain() (c distrib.DistributionConfig, err error) {
	for _, f := range []struct {
		name    string
		missing bool
	}{
		{"CallerReference", x.CallerReference == nil}, {"Origins", x.Origins == nil},
		{"DefaultCacheBehavior", x.DefaultCacheBehavior == nil}, {"Comment", x.Comment == nil}, {"Enabled", x.Enabled == nil},
	} {
		if f.missing {
			return c, distrib.InvalidArgument(f.name, "is required")
		}
	}
	if err := refuseUnknown("DistributionConfig", x.Unknown); err != nil {
		return c, err
	}
	c.CallerReference, c.Comment, c.Enabled = *x.CallerReference, *x.Comment, *x.Enabled
	c.DefaultRootObject, c.PriceClass, c.WebACLID = deref(x.DefaultRootObject), deref(x.PriceClass), deref(x.WebACLID)
	c.HTTPVersion, c.IsIPV6Enabled = deref(x.HTTPVersion), deref(x.IsIPV6Enabled)
	c.ContinuousDeploymentPolicyID, c.Staging = deref(x.ContinuousDeploymentPolicyID), deref(x.Staging)
	if a := x.Aliases; a != nil {
		if a.Items != nil {
			c.Aliases = a.Items.CNAME
		}
		if _, err := count("Aliases", a.Quantity, c.Aliases); err != nil {
			return c, err
		}
	}
	if c.Origins, err = x.Origins.asDomain(); err != nil {
		return c, err
	}
	if c.OriginGroups, err = x.OriginGroups.asDomain(); err != nil {
		return c, err
	}
	if c.DefaultCacheBehavior, err = x.DefaultCacheBehavior.asDomain("DefaultCacheBehavior"); err != nil {
		return c, err
	}
	if cb := x.CacheBehaviors; cb != nil {
		var items []cacheBehaviorXML
		if cb.Items != nil {
			items = cb.Items.CacheBehavior
		}
		if _, err := count("CacheBehaviors", cb.Quantity, items); err != nil {
			return c, err
		}
		for i := range items {
			b, err := items[i].asDomain(fmt.Sprintf("CacheBehaviors.Items[%d]", i))
			if err != nil {
				return c, err
			}
			if items[i].PathPattern == nil {
				return c, distrib.InvalidArgument(fmt.Sprintf("CacheBehaviors.Items[%d].PathPattern", i), "is required")
			}
			c.CacheBehaviors = append(c.CacheBehaviors, b)
		}
	}
	if c.CustomErrorResponses, err = x.CustomErrorResponses.asDomain(); err != nil {
		return c, err
	}
	if l := x.Logging; l != nil {
		c.Logging = distrib.Logging{Enabled: l.Enabled, IncludeCookies: l.IncludeCookies, Bucket: l.Bucket, Prefix: l.Prefix}
	}
	if v := x.ViewerCertificate; v != nil {
		c.ViewerCertificate = distrib.ViewerCertificate{CloudFrontDefaultCertificate: deref(v.CloudFrontDefaultCertificate),
			IAMCertificateID: deref(v.IAMCertificateID), ACMCertificateARN: deref(v.ACMCertificateArn),
			SSLSupportMethod: deref(v.SSLSupportMethod), MinimumProtocolVersion: deref(v.MinimumProtocolVersion),
			Certificate: deref(v.Certificate), CertificateSource: deref(v.CertificateSource)}
	}
	if r := x.Restrictions; r != nil {
		g := r.GeoRestriction
		c.GeoRestriction.RestrictionType = g.RestrictionType
		if g.Items != nil {
			c.GeoRestriction.Locations = g.Items.Location
		}
		if _, err := count("Restrictions.GeoRestriction", g.Quantity, c.GeoRestriction.Locations); err != nil {
			return c, err
		}
	}
	return c, nil
}

func (x *originsXML) asDomain() ([]distrib.Origin, error) {
	var items []originXML
	if x.Items != nil {
		items = x.Items.Origin
	}
	if _, err := count("Origins", x.Quantity, items); err != nil {
		return nil, err
	}
	var out []distrib.Origin
	for i, o := range items {
		f := fmt.Sprintf("Origins.Items[%d]", i)
		if err := refuseUnknown(f, o.Unknown); err != nil {
			return nil, err
		}
		d := distrib.Origin{ID: o.ID, DomainName: o.DomainName, OriginPath: deref(o.OriginPath),
			ConnectionAttempts: deref(o.ConnectionAttempts), ConnectionTimeout: deref(o.ConnectionTimeout),
			OriginAccessControlID: deref(o.OriginAccessControlID)}
		if o.ConnectionAttempts != nil && *o.ConnectionAttempts == 0 || o.ConnectionTimeout != nil && *o.ConnectionTimeout == 0 {
			return nil, distrib.InvalidArgument(f+".ConnectionAttempts", "ConnectionAttempts and ConnectionTimeout must be at least 1")
		}
		if o.OriginShield != nil && o.OriginShield.Enabled {
			return nil, distrib.InvalidArgument(f+".OriginShield", "imgcdn has no Origin Shield tier; set Enabled to false")
		}
		if h := o.CustomHeaders; h != nil {
			var hs []distrib.CustomHeader
			if h.Items != nil {
				for _, x := range h.Items.Header {
					hs = append(hs, distrib.CustomHeader{Name: x.Name, Value: x.Value})
				}
			}
			if _, err := count(f+".CustomHeaders", h.Quantity, hs); err != nil {
				return nil, err
			}
			d.CustomHeaders = hs
		}
		if s := o.S3OriginConfig; s != nil {
			d.S3 = &distrib.S3Origin{OriginAccessIdentity: s.OriginAccessIdentity}
		}
		if co := o.CustomOriginConfig; co != nil {
			if co.HTTPPort == nil || co.HTTPSPort == nil {
				return nil, distrib.InvalidArgument(f+".CustomOriginConfig.HTTPPort", "HTTPPort and HTTPSPort are required")
			}
			d.Custom = &distrib.CustomOrigin{HTTPPort: *co.HTTPPort, HTTPSPort: *co.HTTPSPort, OriginProtocolPolicy: co.OriginProtocolPolicy,
				OriginReadTimeout: deref(co.OriginReadTimeout), OriginKeepaliveTimeout: deref(co.OriginKeepaliveTimeout)}
			if p := co.OriginSslProtocols; p != nil {
				if p.Items != nil {
					d.Custom.OriginSSLProtocols = p.Items.SslProtocol
				}
				if _, err := count(f+".CustomOriginConfig.OriginSslProtocols", p.Quantity, d.Custom.OriginSSLProtocols); err != nil {
					return nil, err
				}
			}
			if co.OriginReadTimeout != nil && *co.OriginReadTimeout == 0 || co.OriginKeepaliveTimeout != nil && *co.OriginKeepaliveTimeout == 0 {
				return nil, distrib.InvalidArgument(f+".CustomOriginConfig.OriginReadTimeout", "timeouts must be at least 1 second")
			}
		}
		out = append(out, d)
	}
	return out, nil
}

func (x *originGroupsXML) asDomain() ([]distrib.OriginGroup, error) {
	if x == nil {
		return nil, nil
	}
	var items []originGroupXML
	if x.Items != nil {
		items = x.Items.OriginGroup
	}
	if _, err := count("OriginGroups", x.Quantity, items); err != nil {
		return nil, err
	}
	var out []distrib.OriginGroup
	for i, g := range items {
		f := fmt.Sprintf("OriginGroups.Items[%d]", i)
		d := distrib.OriginGroup{ID: g.ID}
		if g.StatusCodes.Items != nil {
			d.StatusCodes = g.StatusCodes.Items.StatusCode
		}
		if _, err := count(f+".FailoverCriteria.StatusCodes", g.StatusCodes.Quantity, d.StatusCodes); err != nil {
			return nil, err
		}
		if g.Members.Items != nil {
			for _, m := range g.Members.Items.Member {
				d.Members = append(d.Members, m.OriginID)
			}
		}
		if _, err := count(f+".Members", g.Members.Quantity, d.Members); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (x *cacheBehaviorXML) asDomain(f string) (b distrib.CacheBehavior, err error) {
	if err := refuseUnknown(f, x.Unknown); err != nil {
		return b, err
	}
	b = distrib.CacheBehavior{PathPattern: deref(x.PathPattern), TargetOriginID: x.TargetOriginID,
		ViewerProtocolPolicy: x.ViewerProtocolPolicy, SmoothStreaming: deref(x.SmoothStreaming), Compress: deref(x.Compress),
		FieldLevelEncryptionID: deref(x.FieldLevelEncryptionID), CachePolicyID: deref(x.CachePolicyID),
		OriginRequestPolicyID: deref(x.OriginRequestPolicyID), ResponseHeadersPolicyID: deref(x.ResponseHeadersPolicyID),
		MinTTL: x.MinTTL, DefaultTTL: x.DefaultTTL, MaxTTL: x.MaxTTL}
	if t := x.TrustedSigners; t != nil {
		b.TrustedSigners.Enabled = t.Enabled
		if t.Items != nil {
			b.TrustedSigners.Items = t.Items.Account
		}
		if _, err := count(f+".TrustedSigners", t.Quantity, b.TrustedSigners.Items); err != nil {
			return b, err
		}
	}
	if t := x.TrustedKeyGroups; t != nil {
		b.TrustedKeyGroups.Enabled = t.Enabled
		if t.Items != nil {
			b.TrustedKeyGroups.Items = t.Items.KeyGroup
		}
		if _, err := count(f+".TrustedKeyGroups", t.Quantity, b.TrustedKeyGroups.Items); err != nil {
			return b, err
		}
	}
	if b.TrustedSigners.Enabled || b.TrustedKeyGroups.Enabled {
		return b, distrib.InvalidArgument(f+".TrustedKeyGroups", "signed URLs are not supported yet; set Enabled to false")
	}
	if m := x.AllowedMethods; m != nil {
		if b.AllowedMethods, err = m.methodsXML.list(f + ".AllowedMethods"); err != nil {
			return b, err
		}
		if m.CachedMethods != nil {
			if b.CachedMethods, err = m.CachedMethods.list(f + ".AllowedMethods.CachedMethods"); err != nil {
				return b, err
			}
		}
	}
	if l := x.LambdaFunctionAssociations; l != nil {
		if l.Items != nil {
			for _, a := range l.Items.Assoc {
				b.LambdaFunctionAssociations = append(b.LambdaFunctionAssociations, distrib.LambdaFunctionAssociation{ARN: a.ARN, EventType: a.EventType, IncludeBody: a.IncludeBody})
			}
		}
		if _, err := count(f+".LambdaFunctionAssociations", l.Quantity, b.LambdaFunctionAssociations); err != nil {
			return b, err
		}
	}
	if l := x.FunctionAssociations; l != nil {
		if l.Items != nil {
			for _, a := range l.Items.Assoc {
				b.FunctionAssociations = append(b.FunctionAssociations, distrib.FunctionAssociation{ARN: a.ARN, EventType: a.EventType})
			}
		}
		if _, err := count(f+".FunctionAssociations", l.Quantity, b.FunctionAssociations); err != nil {
			return b, err
		}
	}
	if fv := x.ForwardedValues; fv != nil {
		d := &distrib.ForwardedValues{QueryString: fv.QueryString, CookiesForward: fv.Cookies.Forward}
		for _, n := range []struct {
			field string
			in    *namesXML
			out   *[]string
		}{
			{".ForwardedValues.Cookies.WhitelistedNames", fv.Cookies.WhitelistedNames, &d.CookieNames},
			{".ForwardedValues.Headers", fv.Headers, &d.Headers},
			{".ForwardedValues.QueryStringCacheKeys", fv.QueryStringCacheKeys, &d.QueryStringCacheKeys},
		} {
			if n.in == nil {
				continue
			}
			if n.in.Items != nil {
				*n.out = n.in.Items.Name
			}
			if _, err := count(f+n.field, n.in.Quantity, *n.out); err != nil {
				return b, err
			}
		}
		b.ForwardedValues = d
	}
	return b, nil
}

func (m *methodsXML) list(field string) ([]string, error) {
	var items []string
	if m.Items != nil {
		items = m.Items.Method
	}
	return count(field, m.Quantity, items)
}

func (x *customErrorsXML) asDomain() ([]distrib.CustomErrorResponse, error) {
	if x == nil {
		return nil, nil
	}
	var out []distrib.CustomErrorResponse
	if x.Items != nil {
		for _, r := range x.Items.Response {
			out = append(out, distrib.CustomErrorResponse{ErrorCode: r.ErrorCode, ResponsePagePath: deref(r.ResponsePagePath),
				ResponseCode: deref(r.ResponseCode), ErrorCachingMinTTL: r.ErrorCachingMinTTL})
		}
	}
	return count("CustomErrorResponses", x.Quantity, out)
}
