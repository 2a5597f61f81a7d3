package e2e

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// TestCloudFrontDistributionSDK creates and reads a distribution through aws-sdk-go-v2's
// CloudFront client and waits for it with the SDK's DistributionDeployed waiter.
func TestCloudFrontDistributionSDK(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cf := newCloudFrontSDK(t, srv)
	ctx := context.Background()

	cfg := &types.DistributionConfig{
		CallerReference: aws.String("sdk-dist"),
		Comment:         aws.String("sdk"),
		Enabled:         aws.Bool(true),
		Origins: &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{
			Id: aws.String("local"), DomainName: aws.String("127.0.0.1"),
			CustomOriginConfig: &types.CustomOriginConfig{HTTPPort: aws.Int32(9000), HTTPSPort: aws.Int32(443),
				OriginProtocolPolicy: types.OriginProtocolPolicyHttpOnly},
		}}},
		DefaultCacheBehavior: &types.DefaultCacheBehavior{TargetOriginId: aws.String("local"),
			ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll,
			CachePolicyId:        aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6")},
	}
	out, err := cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.Distribution.Id)
	if !cfIDPattern.MatchString(id) || !cfDomainPattern.MatchString(aws.ToString(out.Distribution.DomainName)) || out.Distribution.LastModifiedTime == nil {
		t.Fatalf("create: %+v", out.Distribution)
	}

	got, err := cf.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	dc := got.Distribution.DistributionConfig
	if aws.ToString(got.ETag) != aws.ToString(out.ETag) || aws.ToString(dc.Comment) != "sdk" ||
		aws.ToInt32(dc.Origins.Items[0].CustomOriginConfig.HTTPPort) != 9000 || dc.HttpVersion != types.HttpVersionHttp2 {
		t.Errorf("get: ETag %q config %+v", aws.ToString(got.ETag), dc)
	}

	w := cloudfront.NewDistributionDeployedWaiter(cf, func(o *cloudfront.DistributionDeployedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 100*time.Millisecond
	})
	if err := w.Wait(ctx, &cloudfront.GetDistributionInput{Id: aws.String(id)}, time.Minute); err != nil {
		t.Fatalf("DistributionDeployed waiter: %v", err)
	}

	list, err := cf.ListDistributions(ctx, &cloudfront.ListDistributionsInput{})
	if err != nil || aws.ToInt32(list.DistributionList.Quantity) != 1 || aws.ToString(list.DistributionList.Items[0].Id) != id {
		t.Errorf("list: %+v %v", list, err)
	}

	_, err = cf.DeleteDistribution(ctx, &cloudfront.DeleteDistributionInput{Id: aws.String(id), IfMatch: got.ETag})
	if code := apiCode(err); code != "DistributionNotDisabled" {
		t.Errorf("delete while enabled: %v, want DistributionNotDisabled", err)
	}
	_, err = cf.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: aws.String("ENOSUCHDIST123")})
	var nsd *types.NoSuchDistribution
	if !errors.As(err, &nsd) {
		t.Errorf("get missing: %v, want *types.NoSuchDistribution", err)
	}
}
