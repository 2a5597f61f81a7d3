package cfapi

import (
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// goldenDistribution has one of everything the encoder renders.
func goldenDistribution(t *testing.T) distrib.Distribution {
	t.Helper()
	ttl := func(v int64) *int64 { return &v }
	cfg := distrib.DistributionConfig{
		CallerReference: "golden-ref",
		Aliases:         []string{"img.example.com"},
		Origins: []distrib.Origin{
			{ID: "s3", DomainName: "image-bucket-2025.s3.amazonaws.com", S3: &distrib.S3Origin{OriginAccessIdentity: "origin-access-identity/cloudfront/E2QWRUHAPOMQZL"}},
			{ID: "web", DomainName: "127.0.0.1", OriginPath: "/static", CustomHeaders: []distrib.CustomHeader{{Name: "X-Origin-Token", Value: "t"}},
				Custom: &distrib.CustomOrigin{HTTPPort: 8080, HTTPSPort: 8443, OriginProtocolPolicy: "http-only"}},
		},
		OriginGroups: []distrib.OriginGroup{{ID: "failover", StatusCodes: []int{500, 503}, Members: []string{"s3", "web"}}},
		DefaultCacheBehavior: distrib.CacheBehavior{TargetOriginID: "failover", ViewerProtocolPolicy: "redirect-to-https", Compress: true,
			ForwardedValues: &distrib.ForwardedValues{CookiesForward: "whitelist", CookieNames: []string{"session"}, Headers: []string{"Origin"}}},
		CacheBehaviors: []distrib.CacheBehavior{{PathPattern: "/api/*", TargetOriginID: "web", ViewerProtocolPolicy: "https-only",
			AllowedMethods: []string{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"},
			CachePolicyID:  "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", OriginRequestPolicyID: "216adef6-5c7f-47e4-b989-5492eafa07d3"}},
		CustomErrorResponses: []distrib.CustomErrorResponse{{ErrorCode: 404, ResponsePagePath: "/404.html", ResponseCode: "404", ErrorCachingMinTTL: ttl(60)}},
		Comment:              "golden & <all>",
		Logging:              distrib.Logging{Enabled: true, Bucket: "logs.s3.amazonaws.com", Prefix: "cf/"},
		PriceClass:           "PriceClass_100",
		Enabled:              true,
		GeoRestriction:       distrib.GeoRestriction{RestrictionType: "whitelist", Locations: []string{"FR", "DE"}},
		IsIPV6Enabled:        true,
	}
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return distrib.Distribution{ID: "EDFDVBD6EXAMPLE", DomainLabel: "d111111abcdef8", Config: cfg, ETag: "E2QWRUHEXAMPLE",
		Version: 1, LastModified: time.Date(2025, 2, 7, 7, 13, 57, 123e6, time.UTC), Status: distrib.StatusDeployed}
}

func TestDistributionGolden(t *testing.T) {
	hs := newHarness(t, nil)
	d := goldenDistribution(t)
	seed, err := decodeDistConfig([]byte(seedDistBody))
	if err != nil {
		t.Fatal(err)
	}
	seed.Normalize()
	sd := distrib.Distribution{ID: "E2XXAEVCAOEBMR", DomainLabel: "d2z61qbc2yzo2i", Config: seed, ETag: "E3SEEDETAGEXAM",
		LastModified: d.LastModified, Status: distrib.StatusInProgress}
	list := distListXML{MaxItems: 1, IsTruncated: true, NextMarker: d.ID, Quantity: 1}
	alloc(&list.Items).Summary = []distSummaryXML{hs.h.summary(d)}
	for _, tc := range []struct {
		name string
		doc  any
	}{
		{"distribution", mustDoc(t, hs, d)},
		{"distribution_config", distConfigDoc{distConfigXML: fromDomain(d.Config)}},
		{"distribution_seed", mustDoc(t, hs, sd)},
		{"invalidation", toInvalidationXML(distrib.Invalidation{ID: "IDFDVBD632BHDS5", CallerReference: "inv-ref",
			Paths: []string{"/images/*", "/index.html"}, CreateTime: d.LastModified, Status: distrib.InvalidationStatusInProgress})},
		{"invalidation_list", invalidationListXML{MaxItems: 100, Quantity: 1, Items: &struct {
			Summary []invalidationSummaryXML `xml:"InvalidationSummary"`
		}{[]invalidationSummaryXML{{ID: "IDFDVBD632BHDS5", CreateTime: formatTime(d.LastModified), Status: "Completed"}}}}},
		{"distribution_list", list},
		{"distribution_list_empty", distListXML{MaxItems: 100}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, tc.name, tc.doc) })
	}
}

// TestDistributionConfigRoundTrip: what GetDistributionConfig answers decodes to the same
// config, so a client can send it back unchanged.
func TestDistributionConfigRoundTrip(t *testing.T) {
	d := goldenDistribution(t)
	w := newRecorderXML(distConfigDoc{distConfigXML: fromDomain(d.Config)})
	got, err := decodeDistConfig(w)
	if err != nil {
		t.Fatal(err)
	}
	got.Normalize()
	if a, b := string(newRecorderXML(distConfigDoc{distConfigXML: fromDomain(got)})), string(w); a != b {
		t.Errorf("round trip differs:\n got %s\nwant %s", a, b)
	}
}

func mustDoc(t *testing.T, hs *harness, d distrib.Distribution) distributionXML {
	t.Helper()
	doc, err := hs.h.distributionDoc(d)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
