package s3api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// sdkAs is an aws-sdk-go-v2 client of the test server signing with id.
func (e *authzEnv) sdkAs(id keyPair) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.ts.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(id.accessKey, id.secret, ""),
		HTTPClient:   e.client,
	})
}

// httpStatus is the HTTP status of an SDK error, 0 if there is none.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

const seedBucket = "image-bucket-2025"

// seedOAIPolicy is step 7 of the seed recipe: only the OAI may read.
const seedOAIPolicy = `{
  "Version": "2012-10-17",
  "Statement": [ { "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ERTF9F3HTHDQ" },
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::image-bucket-2025/*" } ] }`

const seedPublicPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
  "Action":"s3:GetObject","Resource":"arn:aws:s3:::image-bucket-2025/*"}]}`

// TestSeedRecipe runs steps 2, 3, 4 and 7 of the seed recipe with aws-sdk-go-v2 (the same
// operations and documents the aws CLI sends), then checks what they are for: anonymous
// reads are refused, the OAI's are allowed and get the encrypted, versioned object; a public
// policy is refused while BlockPublicPolicy is on and accepted once the Block Public Access
// configuration is deleted, and then anonymous reads succeed.
func TestSeedRecipe(t *testing.T) {
	e := newAuthzEnv(t)
	ctx := context.Background()
	root, oai := e.sdkAs(e.root), e.sdkAs(e.oai)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(seedBucket)}))
	// Step 2.
	must(root.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(seedBucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}))
	// A mistyped name: the root learns it does not exist, another caller only that it may not.
	_, err := root.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("image-bucket-2052"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	if apiCode(err) != "NoSuchBucket" {
		t.Errorf("versioning a missing bucket as root: %v", err)
	}
	_, err = e.sdkAs(e.bob).PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("image-bucket-2052"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	if apiCode(err) != "AccessDenied" {
		t.Errorf("versioning a missing bucket as a user: %v", err)
	}
	// Step 3.
	must(root.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(seedBucket),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256},
		}}}}))
	// Step 4.
	must(root.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(seedBucket),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true),
			IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}))
	// Step 5.
	put, err := root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(seedBucket), Key: aws.String("images/word-embedding-apple.png"),
		Body: strings.NewReader("\x89PNG apple"), ContentType: aws.String("image/png")})
	if err != nil {
		t.Fatal(err)
	}
	if put.ServerSideEncryption != types.ServerSideEncryptionAes256 || aws.ToString(put.VersionId) == "" {
		t.Errorf("upload: encryption %q, version %q", put.ServerSideEncryption, aws.ToString(put.VersionId))
	}
	// Step 7: a policy naming a fixed principal is not public, so BlockPublicPolicy lets it in.
	must(root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(seedBucket), Policy: aws.String(seedOAIPolicy)}))
	st, err := root.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String(seedBucket)})
	if err != nil || aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Errorf("policy status %+v, %v", st, err)
	}

	path := "/" + seedBucket + "/images/word-embedding-apple.png"
	resp, body := e.anon(http.MethodGet, path, nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = e.as(e.bob, http.MethodGet, path, nil)
	mustError(t, resp, body, http.StatusForbidden, "AccessDenied")
	got, err := oai.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(seedBucket), Key: aws.String("images/word-embedding-apple.png")})
	if err != nil {
		t.Fatalf("GET as the OAI: %v", err)
	}
	data, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if string(data) != "\x89PNG apple" || got.ServerSideEncryption != types.ServerSideEncryptionAes256 ||
		aws.ToString(got.VersionId) != aws.ToString(put.VersionId) || aws.ToString(got.ContentType) != "image/png" {
		t.Errorf("GET as the OAI: %q %q %q %q", data, got.ServerSideEncryption, aws.ToString(got.VersionId), aws.ToString(got.ContentType))
	}
	// The OAI may read, nothing else; a missing key is 403 to it (no s3:ListBucket), as S3.
	_, err = oai.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(seedBucket), Key: aws.String("images/missing.png")})
	if httpStatus(err) != http.StatusForbidden {
		t.Errorf("HEAD of a missing key as the OAI: %v", err)
	}
	_, err = oai.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(seedBucket), Key: aws.String("x"), Body: strings.NewReader("x")})
	if apiCode(err) != "AccessDenied" {
		t.Errorf("PUT as the OAI: %v", err)
	}
	_, err = oai.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(seedBucket)})
	if apiCode(err) != "AccessDenied" {
		t.Errorf("list as the OAI: %v", err)
	}

	// A public policy: refused while BlockPublicPolicy is on, accepted once the Block Public
	// Access configuration is gone; then anyone may read.
	_, err = root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(seedBucket), Policy: aws.String(seedPublicPolicy)})
	if apiCode(err) != "AccessDenied" {
		t.Fatalf("public policy under BlockPublicPolicy: %v", err)
	}
	must(root.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String(seedBucket)}))
	_, err = root.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(seedBucket)})
	if apiCode(err) != "NoSuchPublicAccessBlockConfiguration" {
		t.Errorf("GetPublicAccessBlock after delete: %v", err)
	}
	must(root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(seedBucket), Policy: aws.String(seedPublicPolicy)}))
	resp, body = e.anon(http.MethodGet, path, nil)
	mustStatus(t, resp, body, http.StatusOK)
	if string(body) != "\x89PNG apple" || resp.Header.Get("X-Amz-Server-Side-Encryption") != "AES256" {
		t.Errorf("anonymous GET: %q %v", body, resp.Header)
	}
	st, err = root.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String(seedBucket)})
	if err != nil || !aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Errorf("policy status %+v, %v", st, err)
	}
	var ae smithy.APIError
	if _, err := root.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("image-bucket-2052")}); !errors.As(err, &ae) || ae.ErrorCode() != "NoSuchBucket" {
		t.Errorf("GetBucketPolicy of a missing bucket: %v", err)
	}
}
