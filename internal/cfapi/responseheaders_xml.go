package cfapi

import (
	"encoding/xml"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// The ResponseHeadersPolicyConfig document, element for element and in order as botocore's
// model names it. Pointers tell a missing element from an empty one on the way in.

type rhpConfigXML struct {
	Comment         *string             `xml:"Comment,omitempty"`
	Name            *string             `xml:"Name"`
	CORS            *corsXML            `xml:"CorsConfig"`
	SecurityHeaders *securityHeadersXML `xml:"SecurityHeadersConfig"`
	ServerTiming    *serverTimingXML    `xml:"ServerTimingHeadersConfig"`
	CustomHeaders   *customHeadersXML   `xml:"CustomHeadersConfig"`
	RemoveHeaders   *removeHeadersXML   `xml:"RemoveHeadersConfig"`
	Unknown         []anyElement        `xml:",any"`
}

type originListXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Origin []string `xml:"Origin"`
	} `xml:"Items"`
}

type headerListXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Header []string `xml:"Header"`
	} `xml:"Items"`
}

type corsXML struct {
	AllowOrigins     *originListXML `xml:"AccessControlAllowOrigins"`
	AllowHeaders     *headerListXML `xml:"AccessControlAllowHeaders"`
	AllowMethods     *methodsXML    `xml:"AccessControlAllowMethods"`
	AllowCredentials *bool          `xml:"AccessControlAllowCredentials"`
	ExposeHeaders    *headerListXML `xml:"AccessControlExposeHeaders"`
	MaxAgeSec        *int64         `xml:"AccessControlMaxAgeSec,omitempty"`
	OriginOverride   *bool          `xml:"OriginOverride"`
}

type securityHeadersXML struct {
	XSSProtection *struct {
		Override   *bool   `xml:"Override"`
		Protection *bool   `xml:"Protection"`
		ModeBlock  *bool   `xml:"ModeBlock,omitempty"`
		ReportURI  *string `xml:"ReportUri,omitempty"`
	} `xml:"XSSProtection"`
	FrameOptions *struct {
		Override    *bool   `xml:"Override"`
		FrameOption *string `xml:"FrameOption"`
	} `xml:"FrameOptions"`
	ReferrerPolicy *struct {
		Override       *bool   `xml:"Override"`
		ReferrerPolicy *string `xml:"ReferrerPolicy"`
	} `xml:"ReferrerPolicy"`
	ContentSecurityPolicy *struct {
		Override              *bool   `xml:"Override"`
		ContentSecurityPolicy *string `xml:"ContentSecurityPolicy"`
	} `xml:"ContentSecurityPolicy"`
	ContentTypeOptions *struct {
		Override *bool `xml:"Override"`
	} `xml:"ContentTypeOptions"`
	StrictTransportSecurity *struct {
		Override               *bool  `xml:"Override"`
		IncludeSubdomains      *bool  `xml:"IncludeSubdomains,omitempty"`
		Preload                *bool  `xml:"Preload,omitempty"`
		AccessControlMaxAgeSec *int64 `xml:"AccessControlMaxAgeSec"`
	} `xml:"StrictTransportSecurity"`
}

type serverTimingXML struct {
	Enabled      *bool    `xml:"Enabled"`
	SamplingRate *float64 `xml:"SamplingRate,omitempty"`
}

type customHeadersXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Header []struct {
			Header   *string `xml:"Header"`
			Value    *string `xml:"Value"`
			Override *bool   `xml:"Override"`
		} `xml:"ResponseHeadersPolicyCustomHeader"`
	} `xml:"Items"`
}

type removeHeadersXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Header []struct {
			Header *string `xml:"Header"`
		} `xml:"ResponseHeadersPolicyRemoveHeader"`
	} `xml:"Items"`
}

type rhpConfigIn struct {
	XMLName xml.Name `xml:"ResponseHeadersPolicyConfig"`
	rhpConfigXML
}

type responseHeadersPolicyXML struct {
	ID               string       `xml:"Id"`
	LastModifiedTime string       `xml:"LastModifiedTime"`
	Config           rhpConfigXML `xml:"ResponseHeadersPolicyConfig"`
}

// responseHeadersPolicyDoc is a ResponseHeadersPolicy as the root of a Create, Get or Update answer; inside a list summary the
// element repeats no namespace.
type responseHeadersPolicyDoc struct {
	XMLName xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ ResponseHeadersPolicy"`
	responseHeadersPolicyXML
}

type responseHeadersPolicyConfigDoc struct {
	XMLName xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ ResponseHeadersPolicyConfig"`
	rhpConfigXML
}

type responseHeadersPolicyListXML struct {
	XMLName    xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ ResponseHeadersPolicyList"`
	NextMarker string   `xml:"NextMarker,omitempty"`
	MaxItems   int      `xml:"MaxItems"`
	Quantity   int      `xml:"Quantity"`
	Items      *struct {
		Summary []responseHeadersPolicySummaryXML `xml:"ResponseHeadersPolicySummary"`
	} `xml:"Items"`
}

type responseHeadersPolicySummaryXML struct {
	Type   string                   `xml:"Type"`
	Policy responseHeadersPolicyXML `xml:"ResponseHeadersPolicy"`
}

func toResponseHeadersPolicyXML(p distrib.ResponseHeadersPolicy) responseHeadersPolicyXML {
	return responseHeadersPolicyXML{ID: p.ID, LastModifiedTime: formatTime(p.LastModified), Config: responseHeadersPolicyConfigOut(p.Config)}
}

// responseHeadersPolicyConfigOut renders a config; absent parts stay absent, and required
// lists (the CORS origins, headers and methods) are always present, if empty.
func responseHeadersPolicyConfigOut(c distrib.ResponseHeadersPolicyConfig) rhpConfigXML {
	x := rhpConfigXML{Comment: optional(c.Comment), Name: ref(c.Name)}
	if cors := c.CORS; cors != nil {
		x.CORS = &corsXML{AllowOrigins: &originListXML{Quantity: len(cors.AllowOrigins)}, AllowHeaders: headersOut(cors.AllowHeaders, true),
			AllowMethods: &methodsXML{Quantity: len(cors.AllowMethods)}, AllowCredentials: ref(cors.AllowCredentials),
			ExposeHeaders: headersOut(cors.ExposeHeaders, false), MaxAgeSec: cors.MaxAgeSec, OriginOverride: ref(cors.OriginOverride)}
		if len(cors.AllowOrigins) > 0 {
			alloc(&x.CORS.AllowOrigins.Items).Origin = cors.AllowOrigins
		}
		if len(cors.AllowMethods) > 0 {
			alloc(&x.CORS.AllowMethods.Items).Method = cors.AllowMethods
		}
	}
	if s := c.SecurityHeaders; s != nil {
		x.SecurityHeaders = securityHeadersOut(s)
	}
	if st := c.ServerTiming; st != nil {
		x.ServerTiming = &serverTimingXML{Enabled: ref(st.Enabled), SamplingRate: st.SamplingRate}
	}
	if len(c.CustomHeaders) > 0 {
		x.CustomHeaders = &customHeadersXML{Quantity: len(c.CustomHeaders)}
		items := alloc(&x.CustomHeaders.Items)
		for _, h := range c.CustomHeaders {
			items.Header = append(items.Header, struct {
				Header   *string `xml:"Header"`
				Value    *string `xml:"Value"`
				Override *bool   `xml:"Override"`
			}{ref(h.Header), ref(h.Value), ref(h.Override)})
		}
	}
	if len(c.RemoveHeaders) > 0 {
		x.RemoveHeaders = &removeHeadersXML{Quantity: len(c.RemoveHeaders)}
		items := alloc(&x.RemoveHeaders.Items)
		for _, h := range c.RemoveHeaders {
			items.Header = append(items.Header, struct {
				Header *string `xml:"Header"`
			}{ref(h)})
		}
	}
	return x
}

// headersOut renders a header list; an empty optional one is absent.
func headersOut(hs []string, required bool) *headerListXML {
	if len(hs) == 0 && !required {
		return nil
	}
	l := &headerListXML{Quantity: len(hs)}
	if len(hs) > 0 {
		alloc(&l.Items).Header = hs
	}
	return l
}

func trueOrNil(b bool) *bool {
	if !b {
		return nil
	}
	return &b
}

func securityHeadersOut(s *distrib.SecurityHeadersConfig) *securityHeadersXML {
	x := &securityHeadersXML{}
	if v := s.XSSProtection; v != nil {
		alloc(&x.XSSProtection)
		x.XSSProtection.Override, x.XSSProtection.Protection = ref(v.Override), ref(v.Protection)
		x.XSSProtection.ModeBlock, x.XSSProtection.ReportURI = trueOrNil(v.ModeBlock), optional(v.ReportURI)
	}
	if v := s.FrameOptions; v != nil {
		alloc(&x.FrameOptions)
		x.FrameOptions.Override, x.FrameOptions.FrameOption = ref(v.Override), ref(v.FrameOption)
	}
	if v := s.ReferrerPolicy; v != nil {
		alloc(&x.ReferrerPolicy)
		x.ReferrerPolicy.Override, x.ReferrerPolicy.ReferrerPolicy = ref(v.Override), ref(v.ReferrerPolicy)
	}
	if v := s.ContentSecurityPolicy; v != nil {
		alloc(&x.ContentSecurityPolicy)
		x.ContentSecurityPolicy.Override, x.ContentSecurityPolicy.ContentSecurityPolicy = ref(v.Override), ref(v.ContentSecurityPolicy)
	}
	if v := s.ContentTypeOptions; v != nil {
		alloc(&x.ContentTypeOptions).Override = ref(v.Override)
	}
	if v := s.StrictTransportSecurity; v != nil {
		h := alloc(&x.StrictTransportSecurity)
		h.Override, h.IncludeSubdomains, h.Preload, h.AccessControlMaxAgeSec = ref(v.Override), trueOrNil(v.IncludeSubdomains), trueOrNil(v.Preload), ref(v.AccessControlMaxAgeSec)
	}
	return x
}
