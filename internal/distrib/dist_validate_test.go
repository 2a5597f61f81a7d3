package distrib

import (
	"errors"
	"strings"
	"testing"
)

// TestDistributionConfigValidate pins one error per rule: the code a client sees, and for
// InvalidArgument the field it names.
func TestDistributionConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mod   func(*DistributionConfig)
		want  error
		field string
	}{
		{"seed config", func(*DistributionConfig) {}, nil, ""},
		{"localhost origin", func(c *DistributionConfig) { c.Origins[0].DomainName = "localhost" }, nil, ""},
		{"IPv4 origin", func(c *DistributionConfig) { c.Origins[0].DomainName = "192.168.1.10" }, nil, ""},
		{"IPv6 origin", func(c *DistributionConfig) { c.Origins[0].DomainName = "::1" }, nil, ""},
		{"no caller reference", func(c *DistributionConfig) { c.CallerReference = "" }, ErrInvalidArgument, "CallerReference"},
		{"no origins", func(c *DistributionConfig) { c.Origins = nil }, ErrInvalidArgument, "Origins"},
		{"26 origins", func(c *DistributionConfig) {
			for len(c.Origins) < 26 {
				o := c.Origins[0]
				o.ID += strings.Repeat("x", len(c.Origins))
				c.Origins = append(c.Origins, o)
			}
		}, ErrTooManyOrigins, ""},
		{"bad origin host", func(c *DistributionConfig) { c.Origins[0].DomainName = "bad host" }, ErrInvalidArgument, "Origins.Items[0].DomainName"},
		{"duplicate origin id", func(c *DistributionConfig) { c.Origins = append(c.Origins, c.Origins[0]) }, ErrInvalidArgument, "Origins.Items[1].Id"},
		{"both origin kinds", func(c *DistributionConfig) {
			c.Origins[0].Custom = &CustomOrigin{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only"}
		}, ErrInvalidArgument, "Origins.Items[0]"},
		{"bad OAI path", func(c *DistributionConfig) { c.Origins[0].S3.OriginAccessIdentity = "E123" }, ErrInvalidOAIRef, ""},
		{"origin path with trailing slash", func(c *DistributionConfig) { c.Origins[0].OriginPath = "/a/" }, ErrInvalidArgument, "Origins.Items[0].OriginPath"},
		{"bad custom port", func(c *DistributionConfig) {
			c.Origins[0].S3 = nil
			c.Origins[0].Custom = &CustomOrigin{HTTPPort: 0, HTTPSPort: 443, OriginProtocolPolicy: "http-only"}
		}, ErrInvalidArgument, "Origins.Items[0].CustomOriginConfig.HTTPPort"},
		{"bad protocol policy", func(c *DistributionConfig) {
			c.Origins[0].S3 = nil
			c.Origins[0].Custom = &CustomOrigin{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "ftp"}
		}, ErrInvalidArgument, "Origins.Items[0].CustomOriginConfig.OriginProtocolPolicy"},
		{"connection attempts", func(c *DistributionConfig) { c.Origins[0].ConnectionAttempts = 4 }, ErrInvalidArgument, "Origins.Items[0].ConnectionAttempts"},
		{"unknown target", func(c *DistributionConfig) { c.DefaultCacheBehavior.TargetOriginID = "nope" }, ErrNoSuchOrigin, ""},
		{"viewer protocol", func(c *DistributionConfig) { c.DefaultCacheBehavior.ViewerProtocolPolicy = "http" }, ErrInvalidArgument, "DefaultCacheBehavior.ViewerProtocolPolicy"},
		{"allowed methods", func(c *DistributionConfig) { c.DefaultCacheBehavior.AllowedMethods = []string{"GET"} }, ErrInvalidArgument, "DefaultCacheBehavior.AllowedMethods"},
		{"TTL order", func(c *DistributionConfig) { *c.DefaultCacheBehavior.MinTTL = 90000 }, ErrInvalidArgument, "DefaultCacheBehavior.MinTTL"},
		{"neither policy nor forwarded values", func(c *DistributionConfig) {
			c.DefaultCacheBehavior.ForwardedValues, c.DefaultCacheBehavior.MinTTL, c.DefaultCacheBehavior.DefaultTTL, c.DefaultCacheBehavior.MaxTTL = nil, nil, nil, nil
		}, ErrInvalidArgument, "DefaultCacheBehavior"},
		{"cache behavior without path", func(c *DistributionConfig) {
			c.CacheBehaviors = []CacheBehavior{c.DefaultCacheBehavior}
		}, ErrInvalidArgument, "CacheBehaviors.Items[0].PathPattern"},
		{"origin group member", func(c *DistributionConfig) {
			c.OriginGroups = []OriginGroup{{ID: "g", StatusCodes: []int{500}, Members: []string{"S3-image-bucket-2025", "nope"}}}
		}, ErrNoSuchOrigin, ""},
		{"group is a target", func(c *DistributionConfig) {
			c.Origins = append(c.Origins, Origin{ID: "b", DomainName: "localhost", S3: &S3Origin{}})
			c.OriginGroups = []OriginGroup{{ID: "g", StatusCodes: []int{500}, Members: []string{"S3-image-bucket-2025", "b"}}}
			c.DefaultCacheBehavior.TargetOriginID = "g"
		}, nil, ""},
		{"bad alias", func(c *DistributionConfig) { c.Aliases = []string{"not a name"} }, ErrInvalidArgument, "Aliases"},
		{"root object", func(c *DistributionConfig) { c.DefaultRootObject = "/index.html" }, ErrInvalidDefaultRootObject, ""},
		{"certificate both ways", func(c *DistributionConfig) { c.ViewerCertificate.ACMCertificateARN = "arn:aws:acm:x" }, ErrInvalidViewerCertificate, ""},
		{"error code", func(c *DistributionConfig) { c.CustomErrorResponses = []CustomErrorResponse{{ErrorCode: 200}} }, ErrInvalidArgument, "CustomErrorResponses.Items[0].ErrorCode"},
		{"page without code", func(c *DistributionConfig) {
			c.CustomErrorResponses = []CustomErrorResponse{{ErrorCode: 404, ResponsePagePath: "/404.html"}}
		}, ErrInvalidArgument, "CustomErrorResponses.Items[0].ResponseCode"},
		{"price class", func(c *DistributionConfig) { c.PriceClass = "cheap" }, ErrInvalidArgument, "PriceClass"},
		{"http version", func(c *DistributionConfig) { c.HTTPVersion = "http4" }, ErrInvalidArgument, "HttpVersion"},
		{"geo none with items", func(c *DistributionConfig) { c.GeoRestriction.Locations = []string{"FR"} }, ErrInvalidArgument, "Restrictions.GeoRestriction.Items"},
		{"geo country", func(c *DistributionConfig) { c.GeoRestriction = GeoRestriction{"whitelist", []string{"fr"}} }, ErrInvalidArgument, "Restrictions.GeoRestriction.Items"},
		{"comment too long", func(c *DistributionConfig) { c.Comment = strings.Repeat("x", 129) }, ErrInvalidArgument, "Comment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := seedConfig("")
			tc.mod(&c)
			c.Normalize()
			err := c.Validate()
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Validate() = %v, want %v", err, tc.want)
			}
			var ia *InvalidArgumentError
			if errors.As(err, &ia) && ia.Field != tc.field {
				t.Errorf("field = %q, want %q", ia.Field, tc.field)
			}
		})
	}
}
