package e2e

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

var canonicalUserID = regexp.MustCompile(`^[0-9a-f]{64}$`)

// TestSDKBucketLifecycle covers CreateBucket, HeadBucket, ListBuckets, GetBucketLocation and
// DeleteBucket with the errors AWS documents for each.
func TestSDKBucketLifecycle(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()

	east := newBucketName("east")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(east)}); err != nil {
		t.Fatalf("CreateBucket %s: %v", east, err)
	}
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(east)}); err != nil {
		t.Errorf("HeadBucket %s: %v", east, err)
	}
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(east)})
	if err != nil {
		t.Errorf("GetBucketLocation %s: %v", east, err)
	} else if loc.LocationConstraint != "" {
		// AWS answers an empty LocationConstraint for us-east-1 buckets.
		t.Errorf("GetBucketLocation %s = %q, want empty (us-east-1)", east, loc.LocationConstraint)
	}

	west := newBucketName("west")
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    aws.String(west),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintUsWest2},
	})
	if err != nil {
		t.Fatalf("CreateBucket %s in us-west-2: %v", west, err)
	}
	loc, err = c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(west)})
	if err != nil {
		t.Errorf("GetBucketLocation %s: %v", west, err)
	} else if loc.LocationConstraint != types.BucketLocationConstraintUsWest2 {
		t.Errorf("GetBucketLocation %s = %q, want us-west-2", west, loc.LocationConstraint)
	}
	// Outside us-east-1 AWS answers 409 BucketAlreadyOwnedByYou to the owner's second create.
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    aws.String(west),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintUsWest2},
	})
	wantAPIError(t, "CreateBucket existing "+west, err, "BucketAlreadyOwnedByYou", 409)

	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    aws.String(newBucketName("explicit-east")),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "us-east-1"},
	})
	wantAPIError(t, "CreateBucket LocationConstraint=us-east-1", err, "InvalidLocationConstraint", 400)

	list, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets: %v", err)
	}
	found := map[string]bool{}
	var names []string
	for _, b := range list.Buckets {
		found[aws.ToString(b.Name)] = true
		names = append(names, aws.ToString(b.Name))
		if b.CreationDate == nil || b.CreationDate.IsZero() {
			t.Errorf("ListBuckets: %s has no CreationDate", aws.ToString(b.Name))
		}
	}
	if !found[east] || !found[west] {
		t.Errorf("ListBuckets = %v, want it to include %s and %s", names, east, west)
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Errorf("ListBuckets not sorted by name: %q before %q", names[i-1], names[i])
		}
	}
	if list.Owner == nil || !canonicalUserID.MatchString(aws.ToString(list.Owner.ID)) || aws.ToString(list.Owner.DisplayName) == "" {
		t.Errorf("ListBuckets Owner = %+v, want a 64-hex canonical ID and a display name", list.Owner)
	}

	// DeleteBucket refuses while an object remains.
	mustPut(t, c, east, "keep.txt", []byte("x"))
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(east)})
	wantAPIError(t, "DeleteBucket non-empty", err, "BucketNotEmpty", 409)
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(east), Key: aws.String("keep.txt")}); err != nil {
		t.Errorf("object gone after refused DeleteBucket: %v", err)
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(east), Key: aws.String("keep.txt")}); err != nil {
		t.Fatalf("DeleteObject: %v", err)
	}
	for _, b := range []string{east, west} {
		if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Errorf("DeleteBucket %s: %v", b, err)
		}
		_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b)})
		wantAPIError(t, "HeadBucket deleted "+b, err, "NotFound", 404)
	}
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(east)})
	wantAPIError(t, "DeleteBucket missing", err, "NoSuchBucket", 404)
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(east)})
	wantAPIError(t, "ListObjectsV2 missing bucket", err, "NoSuchBucket", 404)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(east), Key: aws.String("k"), Body: bytes.NewReader([]byte("x"))})
	wantAPIError(t, "PutObject missing bucket", err, "NoSuchBucket", 404)
}

// TestSDKInvalidBucketNames checks the bucket naming rules of the S3 user guide
// ("General purpose bucket naming rules").
func TestSDKInvalidBucketNames(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	for _, name := range []string{
		"ab",                      // shorter than 3
		strings.Repeat("a", 64),   // longer than 63
		"Upper-Case",              // upper case
		"under_score",             // underscore
		"-leading-dash",           // must begin with a letter or digit
		"trailing-dash-",          // must end with a letter or digit
		"two..dots",               // adjacent periods
		"192.168.5.4",             // IP address form
		"xn--punycode-prefix",     // reserved prefix
		"reserved-suffix-s3alias", // reserved suffix
	} {
		_, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
		wantAPIError(t, "CreateBucket "+name, err, "InvalidBucketName", 400)
	}
}
