package e2e

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// The seed's commands, verbatim (../shared/seed/README.md, steps 2, 3, 4 and 7).
const (
	seedBucket     = "image-bucket-2025"
	seedOAI        = "ERTF9F3HTHDQ"
	seedEncryption = `{ "Rules": [{ "ApplyServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }] }`
	seedBPA        = `{ "BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true }`
	seedPolicy     = `{
      "Version": "2012-10-17",
      "Statement": [ { "Effect": "Allow",
          "Principal": { "AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ERTF9F3HTHDQ" },
          "Action": "s3:GetObject", "Resource": "arn:aws:s3:::image-bucket-2025/*" } ] }`
	// publicPolicy lets anyone read the images: what BlockPublicPolicy exists to stop.
	publicPolicy = `{"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow",
      "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::image-bucket-2025/*"}]}`
)

// seedImages is the folder of step 5: the tutorial's image (its size from step 9) and one
// more in a subfolder.
func seedImages(t *testing.T) (dir string, files map[string][]byte) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "test-image")
	png := append([]byte("\x89PNG\r\n\x1a\n"), randBytes(2025, 32369-8)...)
	files = map[string][]byte{
		"word-embedding-apple.png": png,
		"thumbs/apple-small.png":   append([]byte("\x89PNG\r\n\x1a\n"), randBytes(2026, 4000)...),
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, files
}

// TestCLISeedProtections runs the seed's steps 1 to 5 and 7 with the real aws CLI, reads
// every setting back, and then checks that each one changes what the store does: only the
// OAI may read, users without a grant get AccessDenied (also for a bucket that does not
// exist), a public policy is refused while BlockPublicPolicy is on and works once the Block
// Public Access configuration is deleted. The bucket name is the seed's, so the test runs on
// a server of its own.
func TestCLISeedProtections(t *testing.T) {
	t.Parallel()
	srv := startServer(t, filepath.Join(t.TempDir(), "data"))
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	userAK, userSK := createKey(t, srv, "--name", "uploader")
	user := cliAs(t, srv, userAK, userSK)

	// Step 1, then step 2 with a mistyped name: NoSuchBucket for the owner, AccessDenied for
	// a user, who must not learn which names exist (the seed: "AWS answers Access Denied when
	// the caller has no rights on that name").
	cli.ok(t, "s3api", "create-bucket", "--bucket", seedBucket, "--region", "us-east-1")
	cli.fails(t, "NoSuchBucket", "s3api", "put-bucket-versioning", "--bucket", "image-bucket-2205", "--versioning-configuration", "Status=Enabled")
	user.fails(t, "AccessDenied", "s3api", "put-bucket-versioning", "--bucket", "image-bucket-2205", "--versioning-configuration", "Status=Enabled")

	// Steps 2, 3, 4, 5, 7 exactly as written.
	cli.ok(t, "s3api", "put-bucket-versioning", "--bucket", seedBucket, "--versioning-configuration", "Status=Enabled")
	cli.ok(t, "s3api", "put-bucket-encryption", "--bucket", seedBucket, "--server-side-encryption-configuration", seedEncryption)
	cli.ok(t, "s3api", "put-public-access-block", "--bucket", seedBucket, "--public-access-block-configuration", seedBPA)
	dir, files := seedImages(t)
	synced := cli.ok(t, "s3", "sync", dir, "s3://"+seedBucket+"/images")
	for name := range files {
		if !strings.Contains(synced, "upload: ") || !strings.Contains(synced, " to s3://"+seedBucket+"/images/"+name) {
			t.Errorf("aws s3 sync output does not name %s:\n%s", name, synced)
		}
	}
	cli.ok(t, "s3api", "put-bucket-policy", "--bucket", seedBucket, "--policy", seedPolicy)

	checkSeedSettings(t, cli)

	// Objects uploaded by step 5 were encrypted by default and versioned.
	const key = "images/word-embedding-apple.png"
	root := pathSDK(t, srv)
	ctx := context.Background()
	head, err := root.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(seedBucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("HEAD %s: %v", key, err)
	}
	versionID := aws.ToString(head.VersionId)
	if head.ServerSideEncryption != "AES256" || versionID == "" || versionID == "null" || aws.ToString(head.ContentType) != "image/png" {
		t.Errorf("HEAD %s: SSE %q, version %q, Content-Type %q; want AES256, a version id and image/png", key, head.ServerSideEncryption, versionID, aws.ToString(head.ContentType))
	}

	// Anonymous readers are refused.
	objURL := srv.endpoint() + "/" + seedBucket + "/" + key
	resp, body := curl(t, objURL)
	wantXMLError(t, "anonymous curl GET with only the OAI policy", resp, body, http.StatusForbidden, "AccessDenied")

	checkOAIAccess(t, srv, key, files["word-embedding-apple.png"])

	// A user with no grant: AccessDenied on the object, the bucket, and a bucket that does
	// not exist (the same answer, so existence is not revealed).
	checkNoGrant(t, newSDK(t, sdkOpts{endpoint: srv.endpoint(), pathStyle: true, access: userAK, secret: userSK}), key)

	// BlockPublicPolicy refuses a public policy and keeps the old one...
	cli.fails(t, "AccessDenied", "s3api", "put-bucket-policy", "--bucket", seedBucket, "--policy", publicPolicy)
	pol, err := root.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(seedBucket)})
	if err != nil || !sameJSON(t, aws.ToString(pol.Policy), seedPolicy) {
		t.Errorf("GetBucketPolicy after the refused public policy: %v, want the seed's policy", err)
	}
	// ...until Block Public Access is deleted.
	cli.ok(t, "s3api", "delete-public-access-block", "--bucket", seedBucket)
	_, err = root.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(seedBucket)})
	wantAPIError(t, "GetPublicAccessBlock after delete-public-access-block", err, "NoSuchPublicAccessBlockConfiguration", 404)
	cli.ok(t, "s3api", "put-bucket-policy", "--bucket", seedBucket, "--policy", publicPolicy)

	resp, body = curl(t, objURL)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, files["word-embedding-apple.png"]) {
		t.Errorf("anonymous curl GET with the public policy: %s, %d bytes (want 200 and the %d uploaded): %s",
			resp.Status, len(body), len(files["word-embedding-apple.png"]), truncate(body))
	}
	for h, want := range map[string]string{"Content-Type": "image/png", "Content-Length": "32369",
		"X-Amz-Server-Side-Encryption": "AES256", "Etag": quotedMD5(files["word-embedding-apple.png"])} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("anonymous curl GET: %s %q, want %q", h, got, want)
		}
	}
	if resp.Header.Get("X-Amz-Version-Id") != versionID {
		t.Errorf("anonymous curl GET: x-amz-version-id %q, want %q", resp.Header.Get("X-Amz-Version-Id"), versionID)
	}
	var status struct{ PolicyStatus struct{ IsPublic *bool } }
	cli.json(t, &status, "s3api", "get-bucket-policy-status", "--bucket", seedBucket)
	if status.PolicyStatus.IsPublic == nil || !*status.PolicyStatus.IsPublic {
		t.Errorf("get-bucket-policy-status with the public policy: IsPublic %v, want true", status.PolicyStatus.IsPublic)
	}
	// A public GetObject grant is no write grant.
	resp, body = curl(t, "-X", "PUT", "--data-binary", "x", srv.endpoint()+"/"+seedBucket+"/images/anon.png")
	wantXMLError(t, "anonymous curl PUT with the public read policy", resp, body, http.StatusForbidden, "AccessDenied")
}

// checkSeedSettings reads every setting of steps 2, 3, 4 and 7 back with the CLI.
func checkSeedSettings(t *testing.T, cli *awsCLI) {
	t.Helper()
	var ver struct{ Status, MFADelete string }
	cli.json(t, &ver, "s3api", "get-bucket-versioning", "--bucket", seedBucket)
	if ver.Status != "Enabled" {
		t.Errorf("get-bucket-versioning: %+v, want Status Enabled", ver)
	}

	var enc struct {
		ServerSideEncryptionConfiguration struct {
			Rules []struct {
				ApplyServerSideEncryptionByDefault struct{ SSEAlgorithm, KMSMasterKeyID string }
			}
		}
	}
	cli.json(t, &enc, "s3api", "get-bucket-encryption", "--bucket", seedBucket)
	if r := enc.ServerSideEncryptionConfiguration.Rules; len(r) != 1 || r[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != "AES256" {
		t.Errorf("get-bucket-encryption: %+v, want one rule with SSEAlgorithm AES256", enc)
	}

	var bpa struct {
		PublicAccessBlockConfiguration map[string]bool
	}
	cli.json(t, &bpa, "s3api", "get-public-access-block", "--bucket", seedBucket)
	for _, f := range []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"} {
		if v, ok := bpa.PublicAccessBlockConfiguration[f]; !ok || !v {
			t.Errorf("get-public-access-block: %s = %v (present %v), want true", f, v, ok)
		}
	}

	var pol struct{ Policy string }
	cli.json(t, &pol, "s3api", "get-bucket-policy", "--bucket", seedBucket)
	if !sameJSON(t, pol.Policy, seedPolicy) {
		t.Errorf("get-bucket-policy: %s\nwant the policy of step 7: %s", pol.Policy, seedPolicy)
	}

	var status struct{ PolicyStatus struct{ IsPublic *bool } }
	cli.json(t, &status, "s3api", "get-bucket-policy-status", "--bucket", seedBucket)
	if status.PolicyStatus.IsPublic == nil || *status.PolicyStatus.IsPublic {
		t.Errorf("get-bucket-policy-status with the OAI-only policy: IsPublic %v, want false", status.PolicyStatus.IsPublic)
	}
}

// checkOAIAccess signs requests as the origin access identity of step 7: it may get objects
// (exact bytes) and nothing else, neither list the bucket nor put.
func checkOAIAccess(t *testing.T, srv *server, key string, want []byte) {
	t.Helper()
	ak, sk := createKey(t, srv, "--oai", seedOAI)
	oai := cliAs(t, srv, ak, sk)
	out := filepath.Join(t.TempDir(), "apple.png")
	var got struct {
		ServerSideEncryption, ETag string
		ContentLength              int64
	}
	oai.json(t, &got, "s3api", "get-object", "--bucket", seedBucket, "--key", key, out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) || got.ContentLength != int64(len(want)) || got.ETag != quotedMD5(want) || got.ServerSideEncryption != "AES256" {
		t.Errorf("get-object as the OAI: %d bytes, %+v; want the %d bytes uploaded, their MD5 ETag and AES256", len(b), got, len(want))
	}
	// The same key with the SDK: no listing, no writes.
	c := newSDK(t, sdkOpts{endpoint: srv.endpoint(), pathStyle: true, access: ak, secret: sk})
	ctx := context.Background()
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(seedBucket)})
	wantAPIError(t, "ListObjectsV2 as the OAI", err, "AccessDenied", 403)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(seedBucket), Key: aws.String("images/evil.png"), Body: strings.NewReader("not an image")})
	wantAPIError(t, "PutObject as the OAI", err, "AccessDenied", 403)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(seedBucket), Key: aws.String("images/missing.png")})
	wantAPIError(t, "GetObject of a missing key as the OAI (no s3:ListBucket: 403, not 404)", err, "AccessDenied", 403)
	_, err = pathSDK(t, srv).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(seedBucket), Key: aws.String("images/evil.png")})
	wantAPIError(t, "HEAD of the key the OAI was refused to put", err, "NotFound", 404)
}

// checkNoGrant: a user key without any policy grant is refused everything with AccessDenied,
// whether or not the bucket exists.
func checkNoGrant(t *testing.T, c *sdkClient, key string) {
	t.Helper()
	ctx := context.Background()
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(seedBucket), Key: aws.String(key)})
	wantAPIError(t, "GetObject as a user without a grant", err, "AccessDenied", 403)
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(seedBucket)})
	wantAPIError(t, "ListObjectsV2 as a user without a grant", err, "AccessDenied", 403)
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("image-bucket-does-not-exist-2025")})
	wantAPIError(t, "ListObjectsV2 of a bucket that does not exist, as a user", err, "AccessDenied", 403)
	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(seedBucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusSuspended}})
	wantAPIError(t, "PutBucketVersioning as a user without a grant", err, "AccessDenied", 403)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(seedBucket), Key: aws.String("images/user.png"), Body: strings.NewReader("x")})
	wantAPIError(t, "PutObject as a user without a grant", err, "AccessDenied", 403)
}
