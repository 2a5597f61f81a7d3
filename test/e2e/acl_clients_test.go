package e2e

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// cliACL is aclClient with the aws CLI.
type cliACL struct{ cli *awsCLI }

var _ aclClient = cliACL{}

// botocoreError is how the CLI reports an S3 error on stderr.
var botocoreError = regexp.MustCompile(`An error occurred \(([A-Za-z0-9]+)\)`)

func (c cliACL) setOwnership(t *testing.T, bucket, ownership string) {
	c.cli.ok(t, "s3api", "put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls", "Rules=[{ObjectOwnership="+ownership+"}]")
}

func (c cliACL) setBPA(t *testing.T, bucket string, blockACLs, ignoreACLs bool) {
	c.cli.ok(t, "s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration", bpaConfig(blockACLs, ignoreACLs))
}

func (c cliACL) result(t *testing.T, args ...string) (string, int) {
	t.Helper()
	out, stderr, err := c.cli.run(t, args...)
	if err == nil {
		return "", 0
	}
	if m := botocoreError.FindStringSubmatch(stderr); m != nil {
		return m[1], 0
	}
	t.Fatalf("aws %v: %v without an S3 error code\nstdout: %s\nstderr: %s", args, err, out, stderr)
	return "", 0
}

func (c cliACL) put(t *testing.T, bucket, key string, body []byte, acl string) (string, int) {
	args := []string{"s3api", "put-object", "--bucket", bucket, "--key", key, "--body", aclFile(t, body)}
	if acl != "" {
		args = append(args, "--acl", acl)
	}
	return c.result(t, args...)
}

func (c cliACL) putACL(t *testing.T, bucket, key, acl string) (string, int) {
	return c.result(t, "s3api", "put-object-acl", "--bucket", bucket, "--key", key, "--acl", acl)
}

func (c cliACL) publicRead(t *testing.T, bucket, key string) bool {
	var acl struct {
		Grants []struct {
			Grantee    struct{ Type, URI string }
			Permission string
		}
	}
	c.cli.json(t, &acl, "s3api", "get-object-acl", "--bucket", bucket, "--key", key)
	for _, g := range acl.Grants {
		if g.Grantee.Type == "Group" && g.Grantee.URI == allUsers && g.Permission == "READ" {
			return true
		}
	}
	t.Logf("get-object-acl %s: %+v", key, acl.Grants)
	return false
}

// sdkACL is aclClient with aws-sdk-go-v2.
type sdkACL struct{ c *sdkClient }

var _ aclClient = sdkACL{}

func (s sdkACL) setOwnership(t *testing.T, bucket, ownership string) {
	_, err := s.c.PutBucketOwnershipControls(context.Background(), &s3.PutBucketOwnershipControlsInput{Bucket: aws.String(bucket),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnership(ownership)}}}})
	if err != nil {
		t.Fatalf("PutBucketOwnershipControls %s: %v", ownership, err)
	}
	out, err := s.c.GetBucketOwnershipControls(context.Background(), &s3.GetBucketOwnershipControlsInput{Bucket: aws.String(bucket)})
	if err != nil || len(out.OwnershipControls.Rules) != 1 || string(out.OwnershipControls.Rules[0].ObjectOwnership) != ownership {
		t.Errorf("GetBucketOwnershipControls after setting %s: %+v, %v", ownership, out, err)
	}
}

func (s sdkACL) setBPA(t *testing.T, bucket string, blockACLs, ignoreACLs bool) {
	_, err := s.c.PutPublicAccessBlock(context.Background(), &s3.PutPublicAccessBlockInput{Bucket: aws.String(bucket),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(blockACLs), IgnorePublicAcls: aws.Bool(ignoreACLs),
			BlockPublicPolicy: aws.Bool(false), RestrictPublicBuckets: aws.Bool(false)}})
	if err != nil {
		t.Fatalf("PutPublicAccessBlock: %v", err)
	}
}

func sdkResult(err error) (string, int) {
	if err == nil {
		return "", 0
	}
	code, status := err.Error(), -1
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return code, status
}

func (s sdkACL) put(t *testing.T, bucket, key string, body []byte, acl string) (string, int) {
	_, err := s.c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ACL: types.ObjectCannedACL(acl)})
	return sdkResult(err)
}

func (s sdkACL) putACL(t *testing.T, bucket, key, acl string) (string, int) {
	_, err := s.c.PutObjectAcl(context.Background(), &s3.PutObjectAclInput{Bucket: aws.String(bucket), Key: aws.String(key), ACL: types.ObjectCannedACL(acl)})
	return sdkResult(err)
}

func (s sdkACL) publicRead(t *testing.T, bucket, key string) bool {
	out, err := s.c.GetObjectAcl(context.Background(), &s3.GetObjectAclInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObjectAcl %s: %v", key, err)
	}
	for _, g := range out.Grants {
		if g.Grantee != nil && g.Grantee.Type == types.TypeGroup && aws.ToString(g.Grantee.URI) == allUsers && g.Permission == types.PermissionRead {
			return true
		}
	}
	return false
}
