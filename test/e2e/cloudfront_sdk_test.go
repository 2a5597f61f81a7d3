package e2e

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"
)

// newCloudFrontSDK is aws-sdk-go-v2's CloudFront client pointed at the API port with the
// root test keys and no retries, so that every error surfaces as the server sent it.
func newCloudFrontSDK(t *testing.T, s *server) *cloudfront.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(testRegion),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(testAccessKey, testSecretKey, "")),
	)
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTPClient = &http.Client{Transport: loopbackTransport(nil)}
	cfg.RetryMaxAttempts = 1
	return cloudfront.NewFromConfig(cfg, func(o *cloudfront.Options) { o.BaseEndpoint = aws.String(s.endpoint()) })
}

// apiCode is the error code of an SDK error, "" for none.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// TestCloudFrontOACSDK drives every origin access control operation through aws-sdk-go-v2
// and checks the typed errors it decodes.
func TestCloudFrontOACSDK(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cf := newCloudFrontSDK(t, srv)
	ctx := context.Background()

	in := &types.OriginAccessControlConfig{
		Name:                          aws.String("image-bucket-2025-oac"),
		Description:                   aws.String("OAC for image-bucket-2025"),
		SigningProtocol:               types.OriginAccessControlSigningProtocolsSigv4,
		SigningBehavior:               types.OriginAccessControlSigningBehaviorsAlways,
		OriginAccessControlOriginType: types.OriginAccessControlOriginTypesS3,
	}
	created, err := cf.CreateOriginAccessControl(ctx, &cloudfront.CreateOriginAccessControlInput{OriginAccessControlConfig: in})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(created.OriginAccessControl.Id)
	etag := aws.ToString(created.ETag)
	if !cfIDPattern.MatchString(id) || !cfIDPattern.MatchString(etag) {
		t.Fatalf("create: Id %q ETag %q", id, etag)
	}
	if want := srv.endpoint() + "/2020-05-31/origin-access-control/" + id; aws.ToString(created.Location) != want {
		t.Errorf("Location = %q, want %q", aws.ToString(created.Location), want)
	}
	if c := created.OriginAccessControl.OriginAccessControlConfig; aws.ToString(c.Name) != "image-bucket-2025-oac" ||
		c.SigningBehavior != types.OriginAccessControlSigningBehaviorsAlways || c.OriginAccessControlOriginType != types.OriginAccessControlOriginTypesS3 {
		t.Errorf("create config = %+v", c)
	}

	_, err = cf.CreateOriginAccessControl(ctx, &cloudfront.CreateOriginAccessControlInput{OriginAccessControlConfig: in})
	var exists *types.OriginAccessControlAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("duplicate name: %v, want OriginAccessControlAlreadyExists", err)
	}
	lambda := *in
	lambda.Name, lambda.OriginAccessControlOriginType = aws.String("lambda-oac"), types.OriginAccessControlOriginTypesLambda
	_, err = cf.CreateOriginAccessControl(ctx, &cloudfront.CreateOriginAccessControlInput{OriginAccessControlConfig: &lambda})
	var invalid *types.InvalidArgument
	if !errors.As(err, &invalid) {
		t.Errorf("lambda origin type: %v, want InvalidArgument", err)
	}

	got, err := cf.GetOriginAccessControl(ctx, &cloudfront.GetOriginAccessControlInput{Id: aws.String(id)})
	if err != nil || aws.ToString(got.ETag) != etag || aws.ToString(got.OriginAccessControl.Id) != id {
		t.Errorf("get: %+v, %v", got, err)
	}
	gotCfg, err := cf.GetOriginAccessControlConfig(ctx, &cloudfront.GetOriginAccessControlConfigInput{Id: aws.String(id)})
	if err != nil || aws.ToString(gotCfg.ETag) != etag || aws.ToString(gotCfg.OriginAccessControlConfig.Description) != "OAC for image-bucket-2025" {
		t.Errorf("get config: %+v, %v", gotCfg, err)
	}

	changed := *in
	changed.SigningBehavior = types.OriginAccessControlSigningBehaviorsNoOverride
	_, err = cf.UpdateOriginAccessControl(ctx, &cloudfront.UpdateOriginAccessControlInput{Id: aws.String(id), OriginAccessControlConfig: &changed})
	var badIfMatch *types.InvalidIfMatchVersion
	if !errors.As(err, &badIfMatch) {
		t.Errorf("update without IfMatch: %v, want InvalidIfMatchVersion", err)
	}
	upd, err := cf.UpdateOriginAccessControl(ctx, &cloudfront.UpdateOriginAccessControlInput{Id: aws.String(id), IfMatch: aws.String(etag), OriginAccessControlConfig: &changed})
	if err != nil {
		t.Fatal(err)
	}
	if newETag := aws.ToString(upd.ETag); newETag == etag || upd.OriginAccessControl.OriginAccessControlConfig.SigningBehavior != types.OriginAccessControlSigningBehaviorsNoOverride {
		t.Errorf("update: ETag %q (was %q), config %+v", newETag, etag, upd.OriginAccessControl.OriginAccessControlConfig)
	}
	_, err = cf.UpdateOriginAccessControl(ctx, &cloudfront.UpdateOriginAccessControlInput{Id: aws.String(id), IfMatch: aws.String(etag), OriginAccessControlConfig: &changed})
	var stale *types.PreconditionFailed
	if !errors.As(err, &stale) {
		t.Errorf("update with the old ETag: %v, want PreconditionFailed", err)
	}

	list, err := cf.ListOriginAccessControls(ctx, &cloudfront.ListOriginAccessControlsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if l := list.OriginAccessControlList; aws.ToInt32(l.Quantity) != 1 || aws.ToBool(l.IsTruncated) || len(l.Items) != 1 ||
		aws.ToString(l.Items[0].Id) != id || l.Items[0].SigningBehavior != types.OriginAccessControlSigningBehaviorsNoOverride {
		t.Errorf("list = %+v", l)
	}

	if _, err := cf.DeleteOriginAccessControl(ctx, &cloudfront.DeleteOriginAccessControlInput{Id: aws.String(id), IfMatch: upd.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = cf.GetOriginAccessControl(ctx, &cloudfront.GetOriginAccessControlInput{Id: aws.String(id)})
	var missing *types.NoSuchOriginAccessControl
	if !errors.As(err, &missing) {
		t.Errorf("get after delete: %v, want NoSuchOriginAccessControl", err)
	}

	// OAIs work through the SDK too, and operations outside this API surface are typed 501s.
	oai, err := cf.CreateCloudFrontOriginAccessIdentity(ctx, &cloudfront.CreateCloudFrontOriginAccessIdentityInput{
		CloudFrontOriginAccessIdentityConfig: &types.CloudFrontOriginAccessIdentityConfig{CallerReference: aws.String("sdk"), Comment: aws.String("")},
	})
	if err != nil || !hex64Pattern.MatchString(aws.ToString(oai.CloudFrontOriginAccessIdentity.S3CanonicalUserId)) {
		t.Errorf("create OAI: %+v, %v", oai, err)
	}
	if _, err := cf.ListKeyGroups(ctx, &cloudfront.ListKeyGroupsInput{}); apiCode(err) != "NotImplemented" {
		t.Errorf("ListKeyGroups: %v, want NotImplemented", err)
	}
}
