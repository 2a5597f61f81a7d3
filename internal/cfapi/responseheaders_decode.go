package cfapi

import (
	"fmt"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// missing returns InvalidArgument "<field> is required" for the first nil pointer among the
// named members; the names are relative to field.
func missing(field string, members map[string]bool) error {
	for _, name := range []string{"Override", "Protection", "FrameOption", "ReferrerPolicy", "ContentSecurityPolicy",
		"AccessControlMaxAgeSec", "AccessControlAllowOrigins", "AccessControlAllowHeaders", "AccessControlAllowMethods",
		"AccessControlAllowCredentials", "OriginOverride", "Enabled", "Header", "Value"} {
		if absent, ok := members[name]; ok && absent {
			return distrib.InvalidArgument(field+"."+name, "is required")
		}
	}
	return nil
}

// decodeResponseHeadersPolicyConfig parses a ResponseHeadersPolicyConfig document, with the
// required members of botocore's model.
func decodeResponseHeadersPolicyConfig(b []byte) (distrib.ResponseHeadersPolicyConfig, error) {
	var in rhpConfigIn
	if err := decodeXML(b, &in); err != nil {
		return distrib.ResponseHeadersPolicyConfig{}, err
	}
	x := in.rhpConfigXML
	var c distrib.ResponseHeadersPolicyConfig
	if err := refuseUnknown("ResponseHeadersPolicyConfig", x.Unknown); err != nil {
		return c, err
	}
	if x.Name == nil {
		return c, distrib.InvalidArgument("Name", "is required")
	}
	c.Name, c.Comment = *x.Name, deref(x.Comment)
	var err error
	if c.CORS, err = x.CORS.asDomain(); err != nil {
		return c, err
	}
	if c.SecurityHeaders, err = x.SecurityHeaders.asDomain(); err != nil {
		return c, err
	}
	if st := x.ServerTiming; st != nil {
		if err := missing("ServerTimingHeadersConfig", map[string]bool{"Enabled": st.Enabled == nil}); err != nil {
			return c, err
		}
		c.ServerTiming = &distrib.ServerTimingConfig{Enabled: *st.Enabled, SamplingRate: st.SamplingRate}
	}
	if ch := x.CustomHeaders; ch != nil {
		if ch.Items != nil {
			for i, h := range ch.Items.Header {
				f := fmt.Sprintf("CustomHeadersConfig.Items[%d]", i)
				if err := missing(f, map[string]bool{"Header": h.Header == nil, "Value": h.Value == nil, "Override": h.Override == nil}); err != nil {
					return c, err
				}
				c.CustomHeaders = append(c.CustomHeaders, distrib.ResponseCustomHeader{Header: *h.Header, Value: *h.Value, Override: *h.Override})
			}
		}
		if _, err := count("CustomHeadersConfig", ch.Quantity, c.CustomHeaders); err != nil {
			return c, err
		}
	}
	if rh := x.RemoveHeaders; rh != nil {
		if rh.Items != nil {
			for i, h := range rh.Items.Header {
				if h.Header == nil {
					return c, distrib.InvalidArgument(fmt.Sprintf("RemoveHeadersConfig.Items[%d].Header", i), "is required")
				}
				c.RemoveHeaders = append(c.RemoveHeaders, *h.Header)
			}
		}
		if _, err := count("RemoveHeadersConfig", rh.Quantity, c.RemoveHeaders); err != nil {
			return c, err
		}
	}
	return c, nil
}

func (x *corsXML) asDomain() (*distrib.CORSConfig, error) {
	if x == nil {
		return nil, nil
	}
	const f = "CorsConfig"
	if err := missing(f, map[string]bool{"AccessControlAllowOrigins": x.AllowOrigins == nil, "AccessControlAllowHeaders": x.AllowHeaders == nil,
		"AccessControlAllowMethods": x.AllowMethods == nil, "AccessControlAllowCredentials": x.AllowCredentials == nil,
		"OriginOverride": x.OriginOverride == nil}); err != nil {
		return nil, err
	}
	c := &distrib.CORSConfig{AllowCredentials: *x.AllowCredentials, OriginOverride: *x.OriginOverride, MaxAgeSec: x.MaxAgeSec}
	var err error
	var origins []string
	if x.AllowOrigins.Items != nil {
		origins = x.AllowOrigins.Items.Origin
	}
	if c.AllowOrigins, err = count(f+".AccessControlAllowOrigins", x.AllowOrigins.Quantity, origins); err != nil {
		return nil, err
	}
	if c.AllowHeaders, err = x.AllowHeaders.list(f + ".AccessControlAllowHeaders"); err != nil {
		return nil, err
	}
	if c.AllowMethods, err = x.AllowMethods.list(f + ".AccessControlAllowMethods"); err != nil {
		return nil, err
	}
	if x.ExposeHeaders != nil {
		if c.ExposeHeaders, err = x.ExposeHeaders.list(f + ".AccessControlExposeHeaders"); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (x *headerListXML) list(field string) ([]string, error) {
	var items []string
	if x.Items != nil {
		items = x.Items.Header
	}
	return count(field, x.Quantity, items)
}

func (x *securityHeadersXML) asDomain() (*distrib.SecurityHeadersConfig, error) {
	if x == nil {
		return nil, nil
	}
	const f = "SecurityHeadersConfig."
	s := &distrib.SecurityHeadersConfig{}
	if v := x.XSSProtection; v != nil {
		if err := missing(f+"XSSProtection", map[string]bool{"Override": v.Override == nil, "Protection": v.Protection == nil}); err != nil {
			return nil, err
		}
		s.XSSProtection = &distrib.XSSProtection{Override: *v.Override, Protection: *v.Protection, ModeBlock: deref(v.ModeBlock), ReportURI: deref(v.ReportURI)}
	}
	if v := x.FrameOptions; v != nil {
		if err := missing(f+"FrameOptions", map[string]bool{"Override": v.Override == nil, "FrameOption": v.FrameOption == nil}); err != nil {
			return nil, err
		}
		s.FrameOptions = &distrib.FrameOptions{Override: *v.Override, FrameOption: *v.FrameOption}
	}
	if v := x.ReferrerPolicy; v != nil {
		if err := missing(f+"ReferrerPolicy", map[string]bool{"Override": v.Override == nil, "ReferrerPolicy": v.ReferrerPolicy == nil}); err != nil {
			return nil, err
		}
		s.ReferrerPolicy = &distrib.ReferrerPolicy{Override: *v.Override, ReferrerPolicy: *v.ReferrerPolicy}
	}
	if v := x.ContentSecurityPolicy; v != nil {
		if err := missing(f+"ContentSecurityPolicy", map[string]bool{"Override": v.Override == nil, "ContentSecurityPolicy": v.ContentSecurityPolicy == nil}); err != nil {
			return nil, err
		}
		s.ContentSecurityPolicy = &distrib.ContentSecurityPolicy{Override: *v.Override, ContentSecurityPolicy: *v.ContentSecurityPolicy}
	}
	if v := x.ContentTypeOptions; v != nil {
		if err := missing(f+"ContentTypeOptions", map[string]bool{"Override": v.Override == nil}); err != nil {
			return nil, err
		}
		s.ContentTypeOptions = &distrib.ContentTypeOptions{Override: *v.Override}
	}
	if v := x.StrictTransportSecurity; v != nil {
		if err := missing(f+"StrictTransportSecurity", map[string]bool{"Override": v.Override == nil, "AccessControlMaxAgeSec": v.AccessControlMaxAgeSec == nil}); err != nil {
			return nil, err
		}
		s.StrictTransportSecurity = &distrib.StrictTransportSecurity{Override: *v.Override, IncludeSubdomains: deref(v.IncludeSubdomains),
			Preload: deref(v.Preload), AccessControlMaxAgeSec: *v.AccessControlMaxAgeSec}
	}
	return s, nil
}
