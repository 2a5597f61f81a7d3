package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// seedDistributionConfig is the seed's step 6.2 config, verbatim; ERTF9F3HTHDQ is the seed's
// OAI id, which the test replaces with the id step 6.1 returned (ids are random).
const seedDistributionConfig = `{
      "CallerReference": "aws-cli-example-caller-2025",
      "Aliases": { "Quantity": 0, "Items": [] },
      "DefaultRootObject": "",
      "Origins": { "Quantity": 1, "Items": [{
          "Id": "S3-image-bucket-2025",
          "DomainName": "image-bucket-2025.s3.amazonaws.com",
          "OriginPath": "",
          "CustomHeaders": { "Quantity": 0 },
          "S3OriginConfig": { "OriginAccessIdentity": "origin-access-identity/cloudfront/ERTF9F3HTHDQ" } }] },
      "DefaultCacheBehavior": {
        "TargetOriginId": "S3-image-bucket-2025",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": { "Quantity": 2, "Items": ["GET", "HEAD"],
                            "CachedMethods": { "Quantity": 2, "Items": ["GET", "HEAD"] } },
        "TrustedSigners": { "Enabled": false, "Quantity": 0 },
        "ForwardedValues": { "QueryString": false, "Cookies": { "Forward": "none" },
                             "Headers": { "Quantity": 0 }, "QueryStringCacheKeys": { "Quantity": 0 } },
        "MinTTL": 0, "DefaultTTL": 86400, "MaxTTL": 31536000, "Compress": true },
      "Comment": "CloudFront distribution for image hosting",
      "Enabled": true,
      "PriceClass": "PriceClass_100",
      "ViewerCertificate": { "CloudFrontDefaultCertificate": true },
      "Restrictions": { "GeoRestriction": { "RestrictionType": "none", "Quantity": 0 } } }`

var cfDomainPattern = regexp.MustCompile(`^d[a-z0-9]{13}\.cdn\.localhost$`)

// cfDistribution is the part of the aws CLI's Distribution JSON the tests look at.
type cfDistribution struct {
	ID                 string `json:"Id"`
	ARN                string
	Status             string
	DomainName         string
	DistributionConfig map[string]any
}

// TestCloudFrontDistributionCLI runs the seed's steps 6.1, 6.2 and 8 verbatim with the real
// aws CLI, then get, get-config -> update (a round trip through a file), disable and delete.
func TestCloudFrontDistributionCLI(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cli := newCLI(t, srv.endpoint(), cliOpts{})

	var oai struct {
		ETag string
		OAI  cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &oai, "cloudfront", "create-cloud-front-origin-access-identity",
		"--cloud-front-origin-access-identity-config", seedOAIConfig)

	var created struct {
		Location     string
		ETag         string
		Distribution cfDistribution
	}
	cli.json(t, &created, "cloudfront", "create-distribution", "--distribution-config",
		strings.Replace(seedDistributionConfig, "ERTF9F3HTHDQ", oai.OAI.ID, 1))
	d := created.Distribution
	if !cfIDPattern.MatchString(d.ID) || !cfIDPattern.MatchString(created.ETag) || !cfDomainPattern.MatchString(d.DomainName) {
		t.Fatalf("create: Id %q ETag %q DomainName %q", d.ID, created.ETag, d.DomainName)
	}
	if want := srv.endpoint() + "/2020-05-31/distribution/" + d.ID; created.Location != want {
		t.Errorf("Location = %q, want %q", created.Location, want)
	}
	// InProgress until the embedded edge has loaded it (usually at once, so either may show).
	if !strings.HasPrefix(d.ARN, "arn:aws:cloudfront::") || !strings.HasSuffix(d.ARN, ":distribution/"+d.ID) ||
		(d.Status != "InProgress" && d.Status != "Deployed") {
		t.Errorf("ARN %q Status %q", d.ARN, d.Status)
	}
	waitDeployed(t, cli, d.ID)

	var got struct {
		ETag         string
		Distribution cfDistribution
	}
	cli.json(t, &got, "cloudfront", "get-distribution", "--id", d.ID)
	if got.ETag != created.ETag || got.Distribution.DomainName != d.DomainName || got.Distribution.DistributionConfig["Comment"] != "CloudFront distribution for image hosting" {
		t.Errorf("get-distribution = %+v", got)
	}
	cli.fails(t, "CloudFrontOriginAccessIdentityInUse", "cloudfront", "delete-cloud-front-origin-access-identity",
		"--id", oai.OAI.ID, "--if-match", oai.ETag)

	// get-distribution-config -> edit -> update-distribution --distribution-config file://...
	update := func(etag string, edit func(map[string]any)) string {
		t.Helper()
		var cfg struct {
			ETag               string
			DistributionConfig map[string]any
		}
		cli.json(t, &cfg, "cloudfront", "get-distribution-config", "--id", d.ID)
		if cfg.ETag != etag {
			t.Fatalf("get-distribution-config ETag %q, want %q", cfg.ETag, etag)
		}
		edit(cfg.DistributionConfig)
		b, err := json.Marshal(cfg.DistributionConfig)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "config.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		var out struct {
			ETag         string
			Distribution cfDistribution
		}
		cli.json(t, &out, "cloudfront", "update-distribution", "--id", d.ID, "--if-match", etag,
			"--distribution-config", "file://"+path)
		if out.ETag == etag || out.Distribution.ID != d.ID {
			t.Fatalf("update-distribution: ETag %q (was %q), Id %q", out.ETag, etag, out.Distribution.ID)
		}
		return out.ETag
	}
	cli.fails(t, "PreconditionFailed", "cloudfront", "update-distribution", "--id", d.ID, "--if-match", "ESTALEESTALE12",
		"--distribution-config", strings.Replace(seedDistributionConfig, "ERTF9F3HTHDQ", oai.OAI.ID, 1))
	etag := update(created.ETag, func(c map[string]any) { c["Comment"] = "images, renamed" })
	cli.json(t, &got, "cloudfront", "get-distribution", "--id", d.ID)
	if got.Distribution.DistributionConfig["Comment"] != "images, renamed" || got.ETag != etag {
		t.Errorf("after update: Comment %v ETag %q", got.Distribution.DistributionConfig["Comment"], got.ETag)
	}

	// Step 8, verbatim.
	table := cli.ok(t, "cloudfront", "list-distributions", "--query", "DistributionList.Items[].{Id:Id, DomainName:DomainName}", "--output", "table")
	if !strings.Contains(table, d.ID) || !strings.Contains(table, d.DomainName) {
		t.Errorf("list-distributions table lacks %s / %s:\n%s", d.ID, d.DomainName, table)
	}

	cli.fails(t, "DistributionNotDisabled", "cloudfront", "delete-distribution", "--id", d.ID, "--if-match", etag)
	etag = update(etag, func(c map[string]any) { c["Enabled"] = false })
	cli.ok(t, "cloudfront", "delete-distribution", "--id", d.ID, "--if-match", etag)
	cli.fails(t, "NoSuchDistribution", "cloudfront", "get-distribution", "--id", d.ID)
	cli.ok(t, "cloudfront", "delete-cloud-front-origin-access-identity", "--id", oai.OAI.ID, "--if-match", oai.ETag)
}
