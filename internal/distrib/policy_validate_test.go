package distrib

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// wantInvalid checks that err is want, and for InvalidArgument that it names field.
func wantInvalid(t *testing.T, name string, err, want error, field string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: %v, want %v", name, err, want)
		return
	}
	var ia *InvalidArgumentError
	if errors.As(err, &ia) && ia.Field != field {
		t.Errorf("%s: field %q, want %q (%v)", name, ia.Field, field, err)
	}
}

func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint("n", i)
	}
	return out
}

func TestCachePolicyValidate(t *testing.T) {
	const params = "ParametersInCacheKeyAndForwardedToOrigin."
	for _, tc := range []struct {
		name  string
		mod   func(*CachePolicyConfig)
		want  error
		field string
	}{
		{"no name", func(c *CachePolicyConfig) { c.Name = "" }, ErrInvalidArgument, "Name"},
		{"name with a space", func(c *CachePolicyConfig) { c.Name = "my policy" }, ErrInvalidArgument, "Name"},
		{"long name", func(c *CachePolicyConfig) { c.Name = strings.Repeat("a", 129) }, ErrInvalidArgument, "Name"},
		{"long comment", func(c *CachePolicyConfig) { c.Comment = strings.Repeat("a", 129) }, ErrInvalidArgument, "Comment"},
		{"negative MinTTL", func(c *CachePolicyConfig) { c.MinTTL = -1 }, ErrInvalidArgument, "MinTTL"},
		{"DefaultTTL below MinTTL", func(c *CachePolicyConfig) { c.MinTTL = 7200 }, ErrInvalidArgument, "DefaultTTL"},
		{"MaxTTL below DefaultTTL", func(c *CachePolicyConfig) { c.MaxTTL = 60 }, ErrInvalidArgument, "MaxTTL"},
		{"header behavior all", func(c *CachePolicyConfig) { c.Parameters.HeadersConfig = NamesConfig{Behavior: BehaviorAll} }, ErrInvalidArgument, params + "HeadersConfig"},
		{"whitelist without names", func(c *CachePolicyConfig) { c.Parameters.HeadersConfig.Names = nil }, ErrInvalidArgument, params + "HeadersConfig"},
		{"none with names", func(c *CachePolicyConfig) { c.Parameters.CookiesConfig.Names = []string{"s"} }, ErrInvalidArgument, params + "CookiesConfig"},
		{"bad header name", func(c *CachePolicyConfig) { c.Parameters.HeadersConfig.Names = []string{"X Y"} }, ErrInvalidArgument, params + "HeadersConfig"},
		{"duplicate header", func(c *CachePolicyConfig) { c.Parameters.HeadersConfig.Names = []string{"Accept", "accept"} }, ErrInvalidArgument, params + "HeadersConfig"},
		{"empty query name", func(c *CachePolicyConfig) { c.Parameters.QueryStringsConfig.Names = []string{""} }, ErrInvalidArgument, params + "QueryStringsConfig"},
		{"11 headers", func(c *CachePolicyConfig) { c.Parameters.HeadersConfig.Names = names(11) }, ErrTooManyHeadersInCachePolicy, ""},
		{"11 cookies", func(c *CachePolicyConfig) {
			c.Parameters.CookiesConfig = NamesConfig{Behavior: BehaviorAllExcept, Names: names(11)}
		}, ErrTooManyCookiesInCachePolicy, ""},
		{"11 query strings", func(c *CachePolicyConfig) { c.Parameters.QueryStringsConfig.Names = names(11) }, ErrTooManyQueryStringsInCachePolicy, ""},
		{"cache key with caching disabled", func(c *CachePolicyConfig) {
			c.MinTTL, c.DefaultTTL, c.MaxTTL = 0, 0, 0
			c.Parameters.HeadersConfig = NamesConfig{Behavior: BehaviorNone}
		}, ErrInvalidArgument, params + "QueryStringsConfig"},
		{"gzip with caching disabled", func(c *CachePolicyConfig) {
			c.MinTTL, c.DefaultTTL, c.MaxTTL = 0, 0, 0
			c.Parameters.HeadersConfig = NamesConfig{Behavior: BehaviorNone}
			c.Parameters.QueryStringsConfig = NamesConfig{Behavior: BehaviorNone}
		}, ErrInvalidArgument, params + "EnableAcceptEncodingGzip"},
	} {
		c := testCachePolicy("p")
		if err := c.Validate(); err != nil {
			t.Fatalf("the base config: %v", err)
		}
		tc.mod(&c)
		wantInvalid(t, tc.name, c.Validate(), tc.want, tc.field)
	}
}

func TestCachePolicyTTLDefaults(t *testing.T) {
	p := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		min              int64
		def, max         *int64
		wantDef, wantMax int64
	}{
		{0, nil, nil, 86400, 31536000},
		{100000, nil, nil, 100000, 31536000},
		{0, p(40000000), nil, 40000000, 40000000},
		{0, p(5), p(10), 5, 10},
	} {
		if d, m := CachePolicyTTLDefaults(tc.min, tc.def, tc.max); d != tc.wantDef || m != tc.wantMax {
			t.Errorf("CachePolicyTTLDefaults(%d, ...) = %d, %d; want %d, %d", tc.min, d, m, tc.wantDef, tc.wantMax)
		}
	}
}

func TestOriginRequestPolicyValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mod   func(*OriginRequestPolicyConfig)
		want  error
		field string
	}{
		{"no name", func(c *OriginRequestPolicyConfig) { c.Name = "" }, ErrInvalidArgument, "Name"},
		{"bad header behavior", func(c *OriginRequestPolicyConfig) { c.HeadersConfig.Behavior = "all" }, ErrInvalidArgument, "HeadersConfig"},
		{"allViewer with names", func(c *OriginRequestPolicyConfig) { c.HeadersConfig.Behavior = BehaviorAllViewer }, ErrInvalidArgument, "HeadersConfig"},
		{"CloudFront whitelist of another header", func(c *OriginRequestPolicyConfig) {
			c.HeadersConfig.Behavior = BehaviorAllViewerAndWhitelistCloudFront
		}, ErrInvalidArgument, "HeadersConfig.Headers"},
		{"allExcept without names", func(c *OriginRequestPolicyConfig) { c.CookiesConfig.Behavior = BehaviorAllExcept }, ErrInvalidArgument, "CookiesConfig"},
		{"all with names", func(c *OriginRequestPolicyConfig) { c.QueryStringsConfig.Names = []string{"q"} }, ErrInvalidArgument, "QueryStringsConfig"},
		{"31 headers", func(c *OriginRequestPolicyConfig) { c.HeadersConfig.Names = names(31) }, ErrTooManyHeadersInOriginRequestPolicy, ""},
		{"31 cookies", func(c *OriginRequestPolicyConfig) {
			c.CookiesConfig = NamesConfig{Behavior: BehaviorWhitelist, Names: names(31)}
		}, ErrTooManyCookiesInOriginRequestPolicy, ""},
		{"31 query strings", func(c *OriginRequestPolicyConfig) {
			c.QueryStringsConfig = NamesConfig{Behavior: BehaviorAllExcept, Names: names(31)}
		}, ErrTooManyQueryStringsInOriginRequestPolicy, ""},
	} {
		c := testOriginRequestPolicy("p")
		if err := c.Validate(); err != nil {
			t.Fatalf("the base config: %v", err)
		}
		tc.mod(&c)
		wantInvalid(t, tc.name, c.Validate(), tc.want, tc.field)
	}
}

func TestResponseHeadersPolicyValidate(t *testing.T) {
	rate := func(v float64) *float64 { return &v }
	const sec = "SecurityHeadersConfig."
	for _, tc := range []struct {
		name  string
		mod   func(*ResponseHeadersPolicyConfig)
		want  error
		field string
	}{
		{"nothing configured", func(c *ResponseHeadersPolicyConfig) { *c = ResponseHeadersPolicyConfig{Name: "p"} }, ErrInvalidArgument, "ResponseHeadersPolicyConfig"},
		{"no origins", func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = nil }, ErrInvalidArgument, "CorsConfig.AccessControlAllowOrigins"},
		{"credentials with *", func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowOrigins = []string{"*"} }, ErrInvalidArgument, "CorsConfig.AccessControlAllowCredentials"},
		{"bad method", func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowMethods = []string{"TRACE"} }, ErrInvalidArgument, "CorsConfig.AccessControlAllowMethods"},
		{"ALL with others", func(c *ResponseHeadersPolicyConfig) { c.CORS.AllowMethods = []string{"ALL", "GET"} }, ErrInvalidArgument, "CorsConfig.AccessControlAllowMethods"},
		{"bad expose header", func(c *ResponseHeadersPolicyConfig) { c.CORS.ExposeHeaders = []string{"a b"} }, ErrInvalidArgument, "CorsConfig.AccessControlExposeHeaders"},
		{"negative max age", func(c *ResponseHeadersPolicyConfig) { c.CORS.MaxAgeSec = new(int64); *c.CORS.MaxAgeSec = -1 }, ErrInvalidArgument, "CorsConfig.AccessControlMaxAgeSec"},
		{"frame option", func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders = &SecurityHeadersConfig{FrameOptions: &FrameOptions{FrameOption: "ALLOW"}}
		}, ErrInvalidArgument, sec + "FrameOptions.FrameOption"},
		{"referrer policy", func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders = &SecurityHeadersConfig{ReferrerPolicy: &ReferrerPolicy{ReferrerPolicy: "never"}}
		}, ErrInvalidArgument, sec + "ReferrerPolicy.ReferrerPolicy"},
		{"mode block and report", func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders = &SecurityHeadersConfig{XSSProtection: &XSSProtection{Protection: true, ModeBlock: true, ReportURI: "https://r.example/x"}}
		}, ErrInvalidArgument, sec + "XSSProtection"},
		{"mode block without protection", func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders = &SecurityHeadersConfig{XSSProtection: &XSSProtection{ModeBlock: true}}
		}, ErrInvalidArgument, sec + "XSSProtection"},
		{"relative report URI", func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders = &SecurityHeadersConfig{XSSProtection: &XSSProtection{Protection: true, ReportURI: "/r"}}
		}, ErrInvalidArgument, sec + "XSSProtection.ReportUri"},
		{"CSP too long", func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders = &SecurityHeadersConfig{ContentSecurityPolicy: &ContentSecurityPolicy{ContentSecurityPolicy: strings.Repeat("a", 1784)}}
		}, ErrTooLongCSPInResponseHeadersPolicy, ""},
		{"empty CSP", func(c *ResponseHeadersPolicyConfig) {
			c.SecurityHeaders = &SecurityHeadersConfig{ContentSecurityPolicy: &ContentSecurityPolicy{}}
		}, ErrInvalidArgument, sec + "ContentSecurityPolicy.ContentSecurityPolicy"},
		{"sampling rate", func(c *ResponseHeadersPolicyConfig) {
			c.ServerTiming = &ServerTimingConfig{Enabled: true, SamplingRate: rate(100.5)}
		}, ErrInvalidArgument, "ServerTimingHeadersConfig.SamplingRate"},
		{"sampling precision", func(c *ResponseHeadersPolicyConfig) {
			c.ServerTiming = &ServerTimingConfig{Enabled: true, SamplingRate: rate(1.00001)}
		}, ErrInvalidArgument, "ServerTimingHeadersConfig.SamplingRate"},
		{"11 custom headers", func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders = nil
			for _, n := range names(11) {
				c.CustomHeaders = append(c.CustomHeaders, ResponseCustomHeader{Header: "X-" + n, Value: "v"})
			}
		}, ErrTooManyCustomHeadersInResponseHeadersPolicy, ""},
		{"11 removed headers", func(c *ResponseHeadersPolicyConfig) { c.RemoveHeaders = names(11) }, ErrTooManyRemoveHeadersInResponseHeadersPolicy, ""},
		{"custom header set by CORS", func(c *ResponseHeadersPolicyConfig) {
			c.CustomHeaders[0].Header = "Access-Control-Allow-Origin"
		}, ErrInvalidArgument, "CustomHeadersConfig"},
		{"custom header value", func(c *ResponseHeadersPolicyConfig) { c.CustomHeaders[0].Value = "a\r\nb" }, ErrInvalidArgument, "CustomHeadersConfig"},
		{"added and removed", func(c *ResponseHeadersPolicyConfig) { c.RemoveHeaders = []string{"x-served-by"} }, ErrInvalidArgument, "RemoveHeadersConfig"},
		{"unremovable header", func(c *ResponseHeadersPolicyConfig) { c.RemoveHeaders = []string{"Content-Length"} }, ErrInvalidArgument, "RemoveHeadersConfig"},
	} {
		c := testResponseHeadersPolicy("p")
		if err := c.Validate(); err != nil {
			t.Fatalf("the base config: %v", err)
		}
		tc.mod(&c)
		wantInvalid(t, tc.name, c.Validate(), tc.want, tc.field)
	}
}
