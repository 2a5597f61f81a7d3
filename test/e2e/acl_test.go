package e2e

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// allUsers is the grantee URI of the public-read canned ACL ("Access control list (ACL)
// overview", S3 user guide, "Amazon S3 predefined groups").
const allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"

// bpaConfig is a put-public-access-block configuration in the CLI's shorthand.
func bpaConfig(blockACLs, ignoreACLs bool) string {
	b := func(v bool) string {
		if v {
			return "true"
		}
		return "false"
	}
	return "BlockPublicAcls=" + b(blockACLs) + ",IgnorePublicAcls=" + b(ignoreACLs) + ",BlockPublicPolicy=false,RestrictPublicBuckets=false"
}

// TestCannedACLs checks that a public-read canned ACL makes an object public exactly when
// AWS says it does: ACLs enabled by Object Ownership (ObjectWriter or BucketOwnerPreferred)
// and not blocked; IgnorePublicAcls makes the grant count for nothing; BlockPublicAcls
// refuses new public ACLs with 403 and leaves existing ones alone; with BucketOwnerEnforced,
// the default, an ACL other than the owner's is 400 AccessControlListNotSupported
// ("Blocking public access to your Amazon S3 storage" and "Controlling ownership of objects
// and disabling ACLs", S3 user guide). ObjectWriter runs with the aws CLI, BucketOwnerPreferred
// with the SDK; anonymous readers are curl.
func TestCannedACLs(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	t.Run("ObjectWriter/cli", func(t *testing.T) {
		t.Parallel()
		testPublicReadACL(t, srv, "ObjectWriter", cliACL{newCLI(t, srv.endpoint(), cliOpts{})})
	})
	t.Run("BucketOwnerPreferred/sdk", func(t *testing.T) {
		t.Parallel()
		testPublicReadACL(t, srv, "BucketOwnerPreferred", sdkACL{pathSDK(t, srv)})
	})
	t.Run("BucketOwnerEnforced", func(t *testing.T) {
		t.Parallel()
		cli := newCLI(t, srv.endpoint(), cliOpts{})
		c := pathSDK(t, srv)
		bucket := mustBucket(t, c, "aclenforced")
		var oc struct {
			OwnershipControls struct {
				Rules []struct{ ObjectOwnership string }
			}
		}
		cli.json(t, &oc, "s3api", "get-bucket-ownership-controls", "--bucket", bucket)
		if r := oc.OwnershipControls.Rules; len(r) != 1 || r[0].ObjectOwnership != "BucketOwnerEnforced" {
			t.Errorf("get-bucket-ownership-controls of a new bucket: %+v, want BucketOwnerEnforced", oc)
		}
		src := aclFile(t, []byte("enforced"))
		cli.fails(t, "AccessControlListNotSupported", "s3api", "put-object", "--bucket", bucket, "--key", "public.png", "--body", src, "--acl", "public-read")
		_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("public.png"),
			Body: bytes.NewReader([]byte("enforced")), ACL: types.ObjectCannedACLPublicRead})
		wantAPIError(t, "PutObject x-amz-acl public-read with BucketOwnerEnforced", err, "AccessControlListNotSupported", 400)
		// The owner-only ACL stays allowed: it changes nobody's access.
		_, err = c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("owned.png"),
			Body: bytes.NewReader([]byte("enforced")), ACL: types.ObjectCannedACLBucketOwnerFullControl})
		if err != nil {
			t.Errorf("PutObject x-amz-acl bucket-owner-full-control with BucketOwnerEnforced: %v", err)
		}
		resp, body := curl(t, srv.endpoint()+"/"+bucket+"/owned.png")
		wantXMLError(t, "anonymous GET with BucketOwnerEnforced", resp, body, http.StatusForbidden, "AccessDenied")
		_, err = c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("public.png")})
		wantAPIError(t, "HEAD of the refused public-read PUT's key", err, "NotFound", 404)
	})
}

// aclClient is what testPublicReadACL does to a bucket, with the aws CLI or with the SDK.
type aclClient interface {
	setOwnership(t *testing.T, bucket, ownership string)
	setBPA(t *testing.T, bucket string, blockACLs, ignoreACLs bool)
	// put stores body at key with the canned ACL (none when ""), and returns the S3 error
	// code and HTTP status of a refusal (status 0 when the client does not show it).
	put(t *testing.T, bucket, key string, body []byte, acl string) (code string, status int)
	// putACL sets the canned ACL of an existing object, like put.
	putACL(t *testing.T, bucket, key, acl string) (code string, status int)
	// publicRead reports whether the object's ACL grants READ to AllUsers.
	publicRead(t *testing.T, bucket, key string) bool
}

// testPublicReadACL runs the public-read life cycle on a bucket with ACLs enabled.
func testPublicReadACL(t *testing.T, srv *server, ownership string, ac aclClient) {
	bucket := mustBucket(t, pathSDK(t, srv), "acl")
	public, private := []byte("public bytes of "+ownership), []byte("private bytes of "+ownership)
	pubURL, privURL := srv.endpoint()+"/"+bucket+"/public.png", srv.endpoint()+"/"+bucket+"/private.png"
	wantOK := func(what, code string, status int) {
		t.Helper()
		if code != "" {
			t.Fatalf("%s: refused with %s (%d)", what, code, status)
		}
	}
	wantRefused := func(what, code string, status int, wantCode string, wantStatus int) {
		t.Helper()
		if code != wantCode || (status != 0 && status != wantStatus) {
			t.Errorf("%s: got %q (%d), want %s (%d)", what, code, status, wantCode, wantStatus)
		}
	}

	ac.setOwnership(t, bucket, ownership)
	ac.setBPA(t, bucket, false, false)
	code, st := ac.put(t, bucket, "public.png", public, "public-read")
	wantOK("put-object --acl public-read", code, st)
	code, st = ac.put(t, bucket, "private.png", private, "")
	wantOK("put-object without an ACL", code, st)

	resp, body := curl(t, pubURL)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, public) {
		t.Errorf("anonymous GET of a public-read object (%s, no Block Public Access): %s %s", ownership, resp.Status, truncate(body))
	}
	resp, body = curl(t, privURL)
	wantXMLError(t, "anonymous GET of an object without ACL", resp, body, http.StatusForbidden, "AccessDenied")
	if !ac.publicRead(t, bucket, "public.png") {
		t.Errorf("the ACL of the public-read object has no READ grant to AllUsers")
	}

	// IgnorePublicAcls: the grant stays, and counts for nothing.
	ac.setBPA(t, bucket, false, true)
	resp, body = curl(t, pubURL)
	wantXMLError(t, "anonymous GET of a public-read object with IgnorePublicAcls", resp, body, http.StatusForbidden, "AccessDenied")

	// BlockPublicAcls: new public ACLs are refused with 403; existing ones still work.
	ac.setBPA(t, bucket, true, false)
	code, st = ac.put(t, bucket, "public2.png", public, "public-read")
	wantRefused("put-object --acl public-read with BlockPublicAcls", code, st, "AccessDenied", 403)
	_, err := pathSDK(t, srv).HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("public2.png")})
	wantAPIError(t, "HEAD of the refused public-read PUT's key", err, "NotFound", 404)
	code, st = ac.putACL(t, bucket, "private.png", "public-read")
	wantRefused("put-object-acl --acl public-read with BlockPublicAcls", code, st, "AccessDenied", 403)
	resp, body = curl(t, privURL)
	wantXMLError(t, "anonymous GET after the refused put-object-acl", resp, body, http.StatusForbidden, "AccessDenied")
	resp, body = curl(t, pubURL)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, public) {
		t.Errorf("anonymous GET of the existing public-read object with only BlockPublicAcls (it blocks new ACLs, not existing ones): %s %s", resp.Status, truncate(body))
	}
}

// aclFile writes b to a temporary file for --body.
func aclFile(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
