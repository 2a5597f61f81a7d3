package cfapi

import (
	"reflect"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// fuzzPolicy is the property every policy config decoder must have: never a panic, only
// 400s (MalformedInput, InvalidArgument, InconsistentQuantities), and a config that decodes
// and validates encodes to a document that decodes to the same config
// (GetXPolicyConfig -> UpdateXPolicy).
func fuzzPolicy[C any](t *testing.T, b []byte, decode func([]byte) (C, error), validate func(*C) error, encode func(C) any) {
	c, err := decode(b)
	if err != nil {
		if e := errorFor(err); e.status != 400 || (e.code != "MalformedInput" && e.code != "InvalidArgument" && e.code != "InconsistentQuantities") {
			t.Fatalf("%v maps to %d %s", err, e.status, e.code)
		}
		return
	}
	if validate(&c) != nil {
		return
	}
	out := newRecorderXML(encode(c))
	back, err := decode(out)
	if err != nil || !reflect.DeepEqual(back, c) {
		t.Fatalf("round trip of %+v: %+v, %v\n%s", c, back, err, out)
	}
}

func FuzzDecodeCachePolicyConfig(f *testing.F) {
	f.Add([]byte(cachePolicyBody))
	f.Add([]byte(`<CachePolicyConfig><Name>n</Name><MinTTL>0</MinTTL></CachePolicyConfig>`))
	f.Add([]byte(`<CachePolicyConfig><Name>n</Name><MinTTL>5</MinTTL><ParametersInCacheKeyAndForwardedToOrigin><EnableAcceptEncodingGzip>true</EnableAcceptEncodingGzip><HeadersConfig><HeaderBehavior>none</HeaderBehavior></HeadersConfig><CookiesConfig><CookieBehavior>allExcept</CookieBehavior><Cookies><Quantity>1</Quantity><Items><Name>s</Name></Items></Cookies></CookiesConfig><QueryStringsConfig><QueryStringBehavior>all</QueryStringBehavior></QueryStringsConfig></ParametersInCacheKeyAndForwardedToOrigin></CachePolicyConfig>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzPolicy(t, b, decodeCachePolicyConfig, func(c *distrib.CachePolicyConfig) error { return c.Validate() },
			func(c distrib.CachePolicyConfig) any {
				return cachePolicyConfigDoc{cachePolicyConfigXML: cachePolicyConfigOut(c)}
			})
	})
}

func FuzzDecodeOriginRequestPolicyConfig(f *testing.F) {
	f.Add([]byte(originRequestPolicyBody))
	f.Add([]byte(`<OriginRequestPolicyConfig><Name>n</Name><HeadersConfig><HeaderBehavior>allViewerAndWhitelistCloudFront</HeaderBehavior><Headers><Quantity>1</Quantity><Items><Name>CloudFront-Viewer-Country</Name></Items></Headers></HeadersConfig><CookiesConfig><CookieBehavior>all</CookieBehavior></CookiesConfig><QueryStringsConfig><QueryStringBehavior>none</QueryStringBehavior></QueryStringsConfig></OriginRequestPolicyConfig>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzPolicy(t, b, decodeOriginRequestPolicyConfig, func(c *distrib.OriginRequestPolicyConfig) error { return c.Validate() },
			func(c distrib.OriginRequestPolicyConfig) any {
				return originRequestPolicyConfigDoc{originRequestPolicyConfigXML: originRequestPolicyConfigOut(c)}
			})
	})
}

func FuzzDecodeResponseHeadersPolicyConfig(f *testing.F) {
	f.Add([]byte(responseHeadersPolicyBody))
	f.Add([]byte(`<ResponseHeadersPolicyConfig><Name>n</Name><SecurityHeadersConfig><XSSProtection><Override>true</Override><Protection>true</Protection><ReportUri>https://r.example/x</ReportUri></XSSProtection><StrictTransportSecurity><Override>false</Override><Preload>true</Preload><AccessControlMaxAgeSec>60</AccessControlMaxAgeSec></StrictTransportSecurity></SecurityHeadersConfig><ServerTimingHeadersConfig><Enabled>true</Enabled><SamplingRate>0.0001</SamplingRate></ServerTimingHeadersConfig></ResponseHeadersPolicyConfig>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzPolicy(t, b, decodeResponseHeadersPolicyConfig, func(c *distrib.ResponseHeadersPolicyConfig) error { return c.Validate() },
			func(c distrib.ResponseHeadersPolicyConfig) any {
				return responseHeadersPolicyConfigDoc{rhpConfigXML: responseHeadersPolicyConfigOut(c)}
			})
	})
}

// FuzzDecodeTags: never a panic, only 400s.
func FuzzDecodeTags(f *testing.F) {
	f.Add([]byte(`<Tags><Items><Tag><Key>team</Key><Value>images</Value></Tag></Items></Tags>`))
	f.Add([]byte(`<TagKeys><Items><Key>team</Key></Items></TagKeys>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, decode := range []func([]byte) error{
			func(b []byte) error { _, err := decodeTags(b); return err },
			func(b []byte) error { _, err := decodeTagKeys(b); return err },
		} {
			if err := decode(b); err != nil {
				if e := errorFor(err); e.status != 400 {
					t.Fatalf("%v maps to %d %s", err, e.status, e.code)
				}
			}
		}
	})
}
