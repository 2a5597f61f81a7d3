package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

// TestCloudFrontPolicySDK drives the policy and tagging operations through aws-sdk-go-v2 and
// checks the typed errors it decodes.
func TestCloudFrontPolicySDK(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cf := newCloudFrontSDK(t, srv)
	ctx := context.Background()

	cfg := &types.CachePolicyConfig{Name: aws.String("sdk-images"), MinTTL: aws.Int64(0), DefaultTTL: aws.Int64(60), MaxTTL: aws.Int64(600),
		ParametersInCacheKeyAndForwardedToOrigin: &types.ParametersInCacheKeyAndForwardedToOrigin{
			EnableAcceptEncodingGzip: aws.Bool(true),
			HeadersConfig:            &types.CachePolicyHeadersConfig{HeaderBehavior: types.CachePolicyHeaderBehaviorNone},
			CookiesConfig:            &types.CachePolicyCookiesConfig{CookieBehavior: types.CachePolicyCookieBehaviorNone},
			QueryStringsConfig:       &types.CachePolicyQueryStringsConfig{QueryStringBehavior: types.CachePolicyQueryStringBehaviorAll},
		}}
	created, err := cf.CreateCachePolicy(ctx, &cloudfront.CreateCachePolicyInput{CachePolicyConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(created.CachePolicy.Id)
	if c := created.CachePolicy.CachePolicyConfig; aws.ToInt64(c.DefaultTTL) != 60 || created.CachePolicy.LastModifiedTime == nil {
		t.Errorf("create = %+v", created.CachePolicy)
	}
	if _, err := cf.CreateCachePolicy(ctx, &cloudfront.CreateCachePolicyInput{CachePolicyConfig: cfg}); apiCode(err) != "CachePolicyAlreadyExists" {
		t.Errorf("duplicate name: %v", err)
	}
	cfg.Comment = aws.String("updated")
	upd, err := cf.UpdateCachePolicy(ctx, &cloudfront.UpdateCachePolicyInput{Id: aws.String(id), IfMatch: created.ETag, CachePolicyConfig: cfg})
	if err != nil || aws.ToString(upd.CachePolicy.CachePolicyConfig.Comment) != "updated" {
		t.Fatalf("update: %v", err)
	}

	list, err := cf.ListCachePolicies(ctx, &cloudfront.ListCachePoliciesInput{Type: types.CachePolicyTypeCustom})
	if err != nil || aws.ToInt32(list.CachePolicyList.Quantity) != 1 || list.CachePolicyList.Items[0].Type != types.CachePolicyTypeCustom {
		t.Errorf("list custom: %+v %v", list, err)
	}
	orp, err := cf.GetOriginRequestPolicy(ctx, &cloudfront.GetOriginRequestPolicyInput{Id: aws.String("216adef6-5c7f-47e4-b989-5492eafa07d3")})
	if err != nil || aws.ToString(orp.OriginRequestPolicy.OriginRequestPolicyConfig.Name) != "Managed-AllViewer" ||
		orp.OriginRequestPolicy.OriginRequestPolicyConfig.HeadersConfig.HeaderBehavior != types.OriginRequestPolicyHeaderBehaviorAllViewer {
		t.Errorf("AllViewer: %+v %v", orp, err)
	}
	rhp, err := cf.GetResponseHeadersPolicy(ctx, &cloudfront.GetResponseHeadersPolicyInput{Id: aws.String("67f7725c-6f97-4210-82d7-5512b31e9d03")})
	if err != nil || rhp.ResponseHeadersPolicy.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions.FrameOption != types.FrameOptionsListSameorigin {
		t.Errorf("SecurityHeadersPolicy: %+v %v", rhp, err)
	}

	dist, err := cf.CreateDistributionWithTags(ctx, &cloudfront.CreateDistributionWithTagsInput{DistributionConfigWithTags: &types.DistributionConfigWithTags{
		DistributionConfig: &types.DistributionConfig{CallerReference: aws.String("sdk-policy"), Comment: aws.String(""), Enabled: aws.Bool(true),
			Origins: &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{Id: aws.String("web"), DomainName: aws.String("127.0.0.1"),
				CustomOriginConfig: &types.CustomOriginConfig{HTTPPort: aws.Int32(80), HTTPSPort: aws.Int32(443), OriginProtocolPolicy: types.OriginProtocolPolicyHttpOnly}}}},
			DefaultCacheBehavior: &types.DefaultCacheBehavior{TargetOriginId: aws.String("web"), ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll,
				CachePolicyId: aws.String(id), OriginRequestPolicyId: orp.OriginRequestPolicy.Id}},
		Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("team"), Value: aws.String("images")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cf.DeleteCachePolicy(ctx, &cloudfront.DeleteCachePolicyInput{Id: aws.String(id), IfMatch: upd.ETag}); apiCode(err) != "CachePolicyInUse" {
		t.Errorf("delete in use: %v", err)
	}
	if _, err := cf.DeleteOriginRequestPolicy(ctx, &cloudfront.DeleteOriginRequestPolicyInput{Id: orp.OriginRequestPolicy.Id, IfMatch: orp.ETag}); apiCode(err) != "IllegalDelete" {
		t.Errorf("delete managed: %v", err)
	}

	arn := dist.Distribution.ARN
	tags, err := cf.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: arn})
	if err != nil || len(tags.Tags.Items) != 1 || aws.ToString(tags.Tags.Items[0].Key) != "team" {
		t.Errorf("CreateDistributionWithTags tags: %+v %v", tags, err)
	}
	if _, err := cf.TagResource(ctx, &cloudfront.TagResourceInput{Resource: arn, Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cf.UntagResource(ctx, &cloudfront.UntagResourceInput{Resource: arn, TagKeys: &types.TagKeys{Items: []string{"team"}}}); err != nil {
		t.Fatal(err)
	}
	tags, err = cf.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: arn})
	if err != nil || len(tags.Tags.Items) != 1 || aws.ToString(tags.Tags.Items[0].Key) != "env" || aws.ToString(tags.Tags.Items[0].Value) != "prod" {
		t.Errorf("after tag/untag: %+v %v", tags, err)
	}
	if _, err := cf.GetCachePolicy(ctx, &cloudfront.GetCachePolicyInput{Id: aws.String("00000000-0000-4000-8000-000000000000")}); apiCode(err) != "NoSuchCachePolicy" {
		t.Errorf("unknown policy: %v", err)
	}
}
