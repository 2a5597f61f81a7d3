package distrib

import (
	"errors"
	"reflect"
	"regexp"
	"sync"
	"testing"
)

var labelPattern = regexp.MustCompile(`^d[a-z0-9]{13}$`)

// seedConfig is the seed's step 6.2 config as the API layer decodes it, naming oai.
func seedConfig(oai string) DistributionConfig {
	ttl := func(v int64) *int64 { return &v }
	return DistributionConfig{
		CallerReference: "aws-cli-example-caller-2025",
		Origins: []Origin{{ID: "S3-image-bucket-2025", DomainName: "image-bucket-2025.s3.amazonaws.com",
			S3: &S3Origin{OriginAccessIdentity: oai}}},
		DefaultCacheBehavior: CacheBehavior{TargetOriginID: "S3-image-bucket-2025", ViewerProtocolPolicy: "redirect-to-https",
			AllowedMethods: []string{"GET", "HEAD"}, CachedMethods: []string{"GET", "HEAD"},
			ForwardedValues: &ForwardedValues{CookiesForward: "none"},
			MinTTL:          ttl(0), DefaultTTL: ttl(86400), MaxTTL: ttl(31536000), Compress: true},
		Comment:           "CloudFront distribution for image hosting",
		Enabled:           true,
		PriceClass:        "PriceClass_100",
		ViewerCertificate: ViewerCertificate{CloudFrontDefaultCertificate: true},
		GeoRestriction:    GeoRestriction{RestrictionType: "none"},
	}
}

func TestDistributionLifecycle(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	oai, _, err := s.CreateOAI(OAIConfig{CallerReference: "oai", Comment: "c"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := seedConfig(OAIPathPrefix + oai.ID)
	d, created, err := s.CreateDistribution(cfg, nil)
	if err != nil || !created {
		t.Fatalf("CreateDistribution: %v created=%v", err, created)
	}
	if !idPattern.MatchString(d.ID) || !idPattern.MatchString(d.ETag) || !labelPattern.MatchString(d.DomainLabel) {
		t.Errorf("id %q etag %q label %q: not CloudFront-shaped", d.ID, d.ETag, d.DomainLabel)
	}
	if d.Status != StatusDeployed {
		t.Errorf("Status = %q with no edge registered, want Deployed", d.Status)
	}
	// Defaults are filled in, so that Get returns a complete config.
	c := d.Config
	if c.HTTPVersion != "http2" || c.Origins[0].ConnectionAttempts != 3 || c.Origins[0].ConnectionTimeout != 10 ||
		c.ViewerCertificate.SSLSupportMethod != "vip" || c.ViewerCertificate.CertificateSource != "cloudfront" {
		t.Errorf("defaults not filled in: %+v", c)
	}
	again, created, err := s.CreateDistribution(cfg, nil)
	if err != nil || created || again.ID != d.ID {
		t.Errorf("same CallerReference and config: %+v created=%v %v; want the existing one", again.ID, created, err)
	}
	other := cfg
	other.Comment = "other"
	if _, _, err := s.CreateDistribution(other, nil); !errors.Is(err, ErrDistributionAlreadyExists) {
		t.Errorf("same CallerReference, other config: %v", err)
	}
	if err := s.DeleteOAI(oai.ID, oai.ETag); !errors.Is(err, ErrOAIInUse) {
		t.Errorf("DeleteOAI while a distribution uses it: %v, want ErrOAIInUse", err)
	}

	upd := d.Config
	upd.Comment = "changed"
	if _, err := s.UpdateDistribution(d.ID, "", upd); !errors.Is(err, ErrMissingIfMatch) {
		t.Errorf("update without If-Match: %v", err)
	}
	if _, err := s.UpdateDistribution(d.ID, "EWRONG", upd); !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("update with a stale If-Match: %v", err)
	}
	bad := upd
	bad.CallerReference = "other"
	if _, err := s.UpdateDistribution(d.ID, d.ETag, bad); !errors.Is(err, ErrIllegalUpdate) {
		t.Errorf("update changing CallerReference: %v", err)
	}
	u, err := s.UpdateDistribution(d.ID, d.ETag, upd)
	if err != nil || u.ETag == d.ETag || u.Version != 2 || u.Config.Comment != "changed" {
		t.Fatalf("update: %+v %v", u, err)
	}
	if err := s.DeleteDistribution(d.ID, u.ETag); !errors.Is(err, ErrDistributionNotDisabled) {
		t.Errorf("delete while enabled: %v", err)
	}
	upd.Enabled = false
	upd.Origins = []Origin{{ID: "S3-image-bucket-2025", DomainName: "127.0.0.1", S3: &S3Origin{}}}
	if u, err = s.UpdateDistribution(d.ID, u.ETag, upd); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteOAI(oai.ID, oai.ETag); err != nil {
		t.Errorf("DeleteOAI once no distribution uses it: %v", err)
	}
	if err := s.DeleteDistribution(d.ID, u.ETag); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := s.GetDistribution(d.ID); !errors.Is(err, ErrNoSuchDistribution) {
		t.Errorf("get after delete: %v", err)
	}
	if _, created, err := s.CreateDistribution(upd, nil); err != nil || !created {
		t.Errorf("the CallerReference is free again after delete: %v created=%v", err, created)
	}
}

func TestDistributionReferences(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	if _, _, err := s.CreateDistribution(seedConfig(OAIPathPrefix+"ENOSUCHOAI1234"), nil); !errors.Is(err, ErrInvalidOAIRef) {
		t.Errorf("unknown OAI: %v", err)
	}
	cfg := seedConfig("")
	cfg.Origins[0].OriginAccessControlID = "ENOSUCHOAC1234"
	if _, _, err := s.CreateDistribution(cfg, nil); !errors.Is(err, ErrInvalidOACRef) {
		t.Errorf("unknown OAC: %v", err)
	}
	oac, err := s.CreateOAC(OACConfig{Name: "n", SigningProtocol: "sigv4", SigningBehavior: "always", OriginType: "s3"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Origins[0].OriginAccessControlID = oac.ID
	cfg.Aliases = []string{"img.example.com"}
	a, _, err := s.CreateDistribution(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteOAC(oac.ID, oac.ETag); !errors.Is(err, ErrOACInUse) {
		t.Errorf("DeleteOAC while used: %v", err)
	}
	cfg2 := seedConfig("")
	cfg2.CallerReference = "second"
	cfg2.Aliases = []string{"IMG.example.com"}
	if _, _, err := s.CreateDistribution(cfg2, nil); !errors.Is(err, ErrCNAMEAlreadyExists) {
		t.Errorf("alias of another distribution: %v", err)
	}
	// The owner may keep its own alias on update.
	a.Config.Comment = "x"
	if _, err := s.UpdateDistribution(a.ID, a.ETag, a.Config); err != nil {
		t.Errorf("update keeping its own alias: %v", err)
	}
}

func TestDistributionStatusFollowsEdges(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	if err := s.RegisterEdge("edge-1"); err != nil {
		t.Fatal(err)
	}
	d, _, err := s.CreateDistribution(seedConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusInProgress {
		t.Errorf("Status = %q before the edge applied it, want InProgress", d.Status)
	}
	if err := s.MarkApplied("edge-2", d.ID, d.Version); !errors.Is(err, ErrNoSuchEdge) {
		t.Errorf("MarkApplied by an unregistered node: %v", err)
	}
	if err := s.MarkApplied("edge-1", d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetDistribution(d.ID); got.Status != StatusDeployed {
		t.Errorf("Status = %q after the only edge applied it, want Deployed", got.Status)
	}
	d.Config.Enabled = false
	u, err := s.UpdateDistribution(d.ID, d.ETag, d.Config)
	if err != nil || u.Status != StatusInProgress {
		t.Fatalf("after update: %q %v, want InProgress", u.Status, err)
	}
	if err := s.DeleteDistribution(d.ID, u.ETag); !errors.Is(err, ErrDistributionNotDisabled) {
		t.Errorf("delete before the disabled config is deployed: %v", err)
	}
	// An old report arriving late does not undo a newer one.
	if err := s.MarkApplied("edge-1", d.ID, u.Version); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkApplied("edge-1", d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetDistribution(d.ID); got.Status != StatusDeployed {
		t.Errorf("Status = %q, want Deployed", got.Status)
	}
	if err := s.DeleteDistribution(d.ID, u.ETag); err != nil {
		t.Errorf("delete once disabled and deployed: %v", err)
	}
}

func TestDistributionRestartAndConcurrentUpdates(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	d, _, err := s.CreateDistribution(seedConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := d.Config
			c.Comment = string(rune('a' + i))
			_, errs[i] = s.UpdateDistribution(d.ID, d.ETag, c)
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, ErrPreconditionFailed):
			t.Errorf("losing update: %v, want ErrPreconditionFailed", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d updates with the same If-Match succeeded, want 1", wins)
	}
	want, err := s.GetDistribution(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, nil)
	got, err := s.GetDistribution(d.ID)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after restart:\n got %+v %v\nwant %+v", got, err, want)
	}
	if byHost, err := s.DistributionByHost(want.DomainLabel); err != nil || byHost.ID != d.ID {
		t.Errorf("DistributionByHost after restart: %+v %v", byHost.ID, err)
	}
	l, err := s.ListDistributions(Page{})
	if err != nil || len(l.Items) != 1 || l.Items[0].ID != d.ID || l.Items[0].Status != StatusDeployed {
		t.Errorf("ListDistributions: %+v %v", l, err)
	}
}
