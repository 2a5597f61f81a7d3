package e2e

import (
	"strings"
	"testing"
)

// cachingOptimized is the id of AWS's managed CachingOptimized cache policy.
const cachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"

// policyDistributionConfig is a distribution whose default behavior uses CachingOptimized
// instead of the legacy ForwardedValues and TTLs.
const policyDistributionConfig = `{
  "CallerReference": "policy-dist",
  "Origins": { "Quantity": 1, "Items": [{ "Id": "web", "DomainName": "127.0.0.1",
      "CustomOriginConfig": { "HTTPPort": 8080, "HTTPSPort": 8443, "OriginProtocolPolicy": "http-only" } }] },
  "DefaultCacheBehavior": { "TargetOriginId": "web", "ViewerProtocolPolicy": "allow-all",
      "CachePolicyId": "` + cachingOptimized + `" },
  "Comment": "", "Enabled": true }`

type cfCachePolicy struct {
	ID     string `json:"Id"`
	Config struct {
		Name, Comment                            string
		MinTTL, DefaultTTL                       int64
		MaxTTL                                   int64
		ParametersInCacheKeyAndForwardedToOrigin struct {
			EnableAcceptEncodingGzip bool
			QueryStringsConfig       struct {
				QueryStringBehavior string
				QueryStrings        struct{ Items []string }
			}
		}
	} `json:"CachePolicyConfig"`
}

// TestCloudFrontPolicyCLI drives cache policies, a distribution using a managed one, and
// tagging with the real aws CLI.
func TestCloudFrontPolicyCLI(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cli := newCLI(t, srv.endpoint(), cliOpts{})

	var managed struct {
		CachePolicyList struct {
			Quantity int
			Items    []struct {
				Type        string
				CachePolicy cfCachePolicy
			}
		}
	}
	cli.json(t, &managed, "cloudfront", "list-cache-policies", "--type", "managed")
	found := false
	for _, p := range managed.CachePolicyList.Items {
		if p.CachePolicy.ID == cachingOptimized && p.CachePolicy.Config.Name == "Managed-CachingOptimized" && p.Type == "managed" {
			found = true
		}
	}
	if !found || managed.CachePolicyList.Quantity != len(managed.CachePolicyList.Items) {
		t.Errorf("list --type managed has no CachingOptimized: %+v", managed)
	}

	cfg := `{"Name": "images", "Comment": "image variants", "MinTTL": 1, "DefaultTTL": 3600, "MaxTTL": 86400,
	  "ParametersInCacheKeyAndForwardedToOrigin": {"EnableAcceptEncodingGzip": true, "EnableAcceptEncodingBrotli": true,
	    "HeadersConfig": {"HeaderBehavior": "none"}, "CookiesConfig": {"CookieBehavior": "none"},
	    "QueryStringsConfig": {"QueryStringBehavior": "whitelist", "QueryStrings": {"Quantity": 2, "Items": ["w", "h"]}}}}`
	var created struct {
		Location, ETag string
		CachePolicy    cfCachePolicy
	}
	cli.json(t, &created, "cloudfront", "create-cache-policy", "--cache-policy-config", cfg)
	id := created.CachePolicy.ID
	if c := created.CachePolicy.Config; c.Name != "images" || c.DefaultTTL != 3600 || !c.ParametersInCacheKeyAndForwardedToOrigin.EnableAcceptEncodingGzip ||
		strings.Join(c.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStrings.Items, ",") != "w,h" {
		t.Errorf("create = %+v", created)
	}
	if created.Location != srv.endpoint()+"/2020-05-31/cache-policy/"+id || !cfIDPattern.MatchString(created.ETag) {
		t.Errorf("Location %q ETag %q", created.Location, created.ETag)
	}
	cli.fails(t, "CachePolicyAlreadyExists", "cloudfront", "create-cache-policy", "--cache-policy-config", cfg)
	cli.fails(t, "InvalidArgument", "cloudfront", "create-cache-policy", "--cache-policy-config",
		strings.Replace(strings.Replace(cfg, `"images"`, `"bad-ttls"`, 1), `"MinTTL": 1`, `"MinTTL": 999999`, 1))

	var got struct {
		ETag        string
		CachePolicy cfCachePolicy
	}
	cli.json(t, &got, "cloudfront", "get-cache-policy", "--id", id)
	if got.ETag != created.ETag || got.CachePolicy.Config.Comment != "image variants" {
		t.Errorf("get = %+v", got)
	}
	updated := strings.Replace(cfg, `"image variants"`, `"renamed"`, 1)
	cli.fails(t, "InvalidIfMatchVersion", "cloudfront", "update-cache-policy", "--id", id, "--cache-policy-config", updated)
	cli.json(t, &got, "cloudfront", "update-cache-policy", "--id", id, "--if-match", created.ETag, "--cache-policy-config", updated)
	if got.ETag == created.ETag || got.CachePolicy.Config.Comment != "renamed" {
		t.Errorf("update = %+v", got)
	}
	var cfgOut struct {
		ETag              string
		CachePolicyConfig struct{ Comment string }
	}
	cli.json(t, &cfgOut, "cloudfront", "get-cache-policy-config", "--id", id)
	if cfgOut.ETag != got.ETag || cfgOut.CachePolicyConfig.Comment != "renamed" {
		t.Errorf("get-cache-policy-config = %+v", cfgOut)
	}
	cli.fails(t, "IllegalDelete", "cloudfront", "delete-cache-policy", "--id", cachingOptimized, "--if-match", got.ETag)
	cli.fails(t, "PreconditionFailed", "cloudfront", "delete-cache-policy", "--id", id, "--if-match", created.ETag)
	cli.ok(t, "cloudfront", "delete-cache-policy", "--id", id, "--if-match", got.ETag)
	cli.fails(t, "NoSuchCachePolicy", "cloudfront", "get-cache-policy", "--id", id)

	// A distribution on the managed CachingOptimized policy, then its tags.
	var dist struct {
		ETag         string
		Distribution cfDistribution
	}
	cli.json(t, &dist, "cloudfront", "create-distribution", "--distribution-config", policyDistributionConfig)
	dcb, _ := dist.Distribution.DistributionConfig["DefaultCacheBehavior"].(map[string]any)
	if dcb["CachePolicyId"] != cachingOptimized {
		t.Errorf("DefaultCacheBehavior = %v", dcb)
	}
	cli.fails(t, "NoSuchCachePolicy", "cloudfront", "create-distribution", "--distribution-config",
		strings.Replace(strings.Replace(policyDistributionConfig, cachingOptimized, "00000000-0000-4000-8000-000000000000", 1), "policy-dist", "other", 1))

	arn := dist.Distribution.ARN
	cli.ok(t, "cloudfront", "tag-resource", "--resource", arn, "--tags", `Items=[{Key=team,Value=images},{Key=env,Value=prod}]`)
	cli.ok(t, "cloudfront", "untag-resource", "--resource", arn, "--tag-keys", `Items=env`)
	var tags struct {
		Tags struct{ Items []struct{ Key, Value string } }
	}
	cli.json(t, &tags, "cloudfront", "list-tags-for-resource", "--resource", arn)
	if len(tags.Tags.Items) != 1 || tags.Tags.Items[0].Key != "team" || tags.Tags.Items[0].Value != "images" {
		t.Errorf("list-tags-for-resource = %+v", tags)
	}
	cli.fails(t, "InvalidTagging", "cloudfront", "tag-resource", "--resource", arn, "--tags", `Items=[{Key=aws:owner,Value=x}]`)
	cli.fails(t, "NoSuchResource", "cloudfront", "list-tags-for-resource", "--resource", "arn:aws:cloudfront::123456789012:distribution/ENOSUCHDIST123")
}
