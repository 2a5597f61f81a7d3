package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

var cfInvalidationIDPattern = regexp.MustCompile(`^I[A-Z0-9]{13}$`)

// TestCloudFrontInvalidationCLI runs the tutorial's invalidation follow-up with the real aws
// CLI: create-invalidation --paths '/images/*', get-invalidation, list-invalidations.
func TestCloudFrontInvalidationCLI(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	var oai struct {
		OAI cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &oai, "cloudfront", "create-cloud-front-origin-access-identity",
		"--cloud-front-origin-access-identity-config", seedOAIConfig)
	var created struct{ Distribution cfDistribution }
	cli.json(t, &created, "cloudfront", "create-distribution", "--distribution-config",
		strings.Replace(seedDistributionConfig, "ERTF9F3HTHDQ", oai.OAI.ID, 1))
	id := created.Distribution.ID

	type invalidation struct {
		ID                string `json:"Id"`
		Status            string
		InvalidationBatch struct {
			Paths struct {
				Quantity int
				Items    []string
			}
			CallerReference string
		}
	}
	var inv struct {
		Location     string
		Invalidation invalidation
	}
	cli.json(t, &inv, "cloudfront", "create-invalidation", "--distribution-id", id, "--paths", "/images/*")
	i := inv.Invalidation
	// InProgress until the embedded edge has applied it.
	if !cfInvalidationIDPattern.MatchString(i.ID) || (i.Status != "InProgress" && i.Status != "Completed") || i.InvalidationBatch.Paths.Items[0] != "/images/*" {
		t.Fatalf("create-invalidation: %+v", i)
	}
	waitInvalidated(t, cli, id, i.ID)
	if want := srv.endpoint() + "/2020-05-31/distribution/" + id + "/invalidation/" + i.ID; inv.Location != want {
		t.Errorf("Location = %q, want %q", inv.Location, want)
	}
	var got struct{ Invalidation invalidation }
	cli.json(t, &got, "cloudfront", "get-invalidation", "--distribution-id", id, "--id", i.ID)
	if got.Invalidation.ID != i.ID || got.Invalidation.Status != "Completed" {
		t.Errorf("get-invalidation: %+v", got.Invalidation)
	}
	// The CLI pages through the list and answers the items only (botocore's paginator keeps
	// result_key, not Quantity).
	var list struct {
		InvalidationList struct {
			Items []struct{ Id, Status string }
		}
	}
	cli.json(t, &list, "cloudfront", "list-invalidations", "--distribution-id", id)
	if len(list.InvalidationList.Items) != 1 || list.InvalidationList.Items[0].Id != i.ID {
		t.Errorf("list-invalidations: %+v", list.InvalidationList)
	}
	cli.fails(t, "InvalidArgument", "cloudfront", "create-invalidation", "--distribution-id", id, "--paths", "images/*")
	cli.fails(t, "NoSuchInvalidation", "cloudfront", "get-invalidation", "--distribution-id", id, "--id", "INOSUCHINVAL12")
}

// TestCloudFrontInvalidationSDK creates an invalidation through aws-sdk-go-v2 and waits for it
// with the SDK's InvalidationCompleted waiter.
func TestCloudFrontInvalidationSDK(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cf := newCloudFrontSDK(t, srv)
	ctx := context.Background()
	d, err := cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: &types.DistributionConfig{
		CallerReference: aws.String("sdk-inv"), Comment: aws.String(""), Enabled: aws.Bool(true),
		Origins: &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{Id: aws.String("o"), DomainName: aws.String("localhost"),
			S3OriginConfig: &types.S3OriginConfig{OriginAccessIdentity: aws.String("")}}}},
		DefaultCacheBehavior: &types.DefaultCacheBehavior{TargetOriginId: aws.String("o"), ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll,
			CachePolicyId: aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := cf.CreateInvalidation(ctx, &cloudfront.CreateInvalidationInput{DistributionId: d.Distribution.Id,
		InvalidationBatch: &types.InvalidationBatch{CallerReference: aws.String("r"),
			Paths: &types.Paths{Quantity: aws.Int32(2), Items: []string{"/images/*", "/index.html"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Invalidation.CreateTime == nil || aws.ToInt32(inv.Invalidation.InvalidationBatch.Paths.Quantity) != 2 {
		t.Errorf("create: %+v", inv.Invalidation)
	}
	w := cloudfront.NewInvalidationCompletedWaiter(cf, func(o *cloudfront.InvalidationCompletedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 100*time.Millisecond
	})
	if err := w.Wait(ctx, &cloudfront.GetInvalidationInput{DistributionId: d.Distribution.Id, Id: inv.Invalidation.Id}, time.Minute); err != nil {
		t.Fatalf("InvalidationCompleted waiter: %v", err)
	}
	_, err = cf.CreateInvalidation(ctx, &cloudfront.CreateInvalidationInput{DistributionId: d.Distribution.Id,
		InvalidationBatch: &types.InvalidationBatch{CallerReference: aws.String("r2"),
			Paths: &types.Paths{Quantity: aws.Int32(1), Items: []string{"/a*b"}}}})
	if apiCode(err) != "InvalidArgument" {
		t.Errorf("inner wildcard: %v, want InvalidArgument", err)
	}
}
