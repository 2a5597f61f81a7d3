package e2e

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func listAll(t testing.TB, c *sdkClient, bucket string) []string {
	t.Helper()
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListObjectsV2 %s: %v", bucket, err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

// TestSDKDeleteObjects covers the multi-object delete XML in quiet and verbose mode; deleting
// a key that does not exist is reported as deleted, as S3 does.
func TestSDKDeleteObjects(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "multidel")
	for _, k := range []string{"a", "b", "c d", "ü/e", "f"} {
		mustPut(t, c, bucket, k, []byte(k))
	}
	ids := func(keys ...string) []types.ObjectIdentifier {
		var o []types.ObjectIdentifier
		for _, k := range keys {
			o = append(o, types.ObjectIdentifier{Key: aws.String(k)})
		}
		return o
	}

	quiet, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &types.Delete{Objects: ids("a", "c d", "missing"), Quiet: aws.Bool(true)}})
	if err != nil {
		t.Fatalf("DeleteObjects quiet: %v", err)
	}
	if len(quiet.Deleted) != 0 || len(quiet.Errors) != 0 {
		t.Errorf("DeleteObjects quiet: Deleted %d, Errors %d; want both empty", len(quiet.Deleted), len(quiet.Errors))
	}
	if got := strings.Join(listAll(t, c, bucket), ","); got != "b,f,ü/e" {
		t.Errorf("after quiet delete: keys %q, want b,f,ü/e", got)
	}

	verbose, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &types.Delete{Objects: ids("b", "ü/e", "missing")}})
	if err != nil {
		t.Fatalf("DeleteObjects verbose: %v", err)
	}
	var deleted []string
	for _, d := range verbose.Deleted {
		deleted = append(deleted, aws.ToString(d.Key))
	}
	sort.Strings(deleted)
	if strings.Join(deleted, ",") != "b,missing,ü/e" || len(verbose.Errors) != 0 {
		t.Errorf("DeleteObjects verbose: Deleted %q Errors %+v; want b,missing,ü/e and no errors", deleted, verbose.Errors)
	}
	if got := strings.Join(listAll(t, c, bucket), ","); got != "f" {
		t.Errorf("after verbose delete: keys %q, want f", got)
	}
	var many []string
	for i := range 1001 {
		many = append(many, "k"+strconv.Itoa(i))
	}
	// The DeleteObjects reference: "The request can contain a list of up to 1,000 keys".
	_, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &types.Delete{Objects: ids(many...)}})
	wantAPIError(t, "DeleteObjects with 1,001 keys", err, "MalformedXML", 400)
	_, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("e2e-no-such-bucket-x"), Delete: &types.Delete{Objects: ids("a")}})
	wantAPIError(t, "DeleteObjects on a missing bucket", err, "NoSuchBucket", 404)
}

// TestSDKCopyObject covers CopyObject with the COPY and REPLACE metadata directives, a source
// key that needs escaping, and the x-amz-copy-source-if-* conditions (412 on failure).
func TestSDKCopyObject(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "copy")
	other := mustBucket(t, c, "copy-dst")
	src := "src dir/ü photo+1.png"
	body := randBytes(11, 300_000)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(src), Body: bytes.NewReader(body),
		ContentType: aws.String("image/png"), CacheControl: aws.String("max-age=60"),
		Metadata: map[string]string{"origin": "camera"},
	}); err != nil {
		t.Fatalf("PutObject source: %v", err)
	}
	copySource := bucket + "/" + escapeKey(src)

	cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(other), Key: aws.String("copied.png"), CopySource: aws.String(copySource)})
	if err != nil {
		t.Fatalf("CopyObject COPY: %v", err)
	}
	if cp.CopyObjectResult == nil || aws.ToString(cp.CopyObjectResult.ETag) != quotedMD5(body) || cp.CopyObjectResult.LastModified == nil {
		t.Errorf("CopyObject result %+v, want ETag %s and LastModified", cp.CopyObjectResult, quotedMD5(body))
	}
	got, out := mustGet(t, c, other, "copied.png")
	if !bytes.Equal(got, body) {
		t.Errorf("copy body differs: %d bytes, want %d", len(got), len(body))
	}
	if aws.ToString(out.ContentType) != "image/png" || aws.ToString(out.CacheControl) != "max-age=60" || out.Metadata["origin"] != "camera" || len(out.Metadata) != 1 {
		t.Errorf("COPY directive: Content-Type %q Cache-Control %q meta %v; want the source's", aws.ToString(out.ContentType), aws.ToString(out.CacheControl), out.Metadata)
	}

	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("replaced.webp"), CopySource: aws.String(copySource),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("image/webp"),
		Metadata: map[string]string{"stage": "resized"},
	}); err != nil {
		t.Fatalf("CopyObject REPLACE: %v", err)
	}
	got, out = mustGet(t, c, bucket, "replaced.webp")
	if !bytes.Equal(got, body) {
		t.Errorf("REPLACE copy body differs")
	}
	if aws.ToString(out.ContentType) != "image/webp" || aws.ToString(out.CacheControl) != "" || out.Metadata["stage"] != "resized" || len(out.Metadata) != 1 {
		t.Errorf("REPLACE directive: Content-Type %q Cache-Control %q meta %v; want only the new metadata", aws.ToString(out.ContentType), aws.ToString(out.CacheControl), out.Metadata)
	}

	before := mustPut(t, c, other, "guarded", []byte("unchanged"))
	for _, tc := range []struct {
		name string
		in   s3.CopyObjectInput
	}{
		{"copy-source-if-match wrong", s3.CopyObjectInput{CopySourceIfMatch: aws.String(`"0123456789abcdef0123456789abcdef"`)}},
		{"copy-source-if-none-match current", s3.CopyObjectInput{CopySourceIfNoneMatch: aws.String(quotedMD5(body))}},
	} {
		in := tc.in
		in.Bucket, in.Key, in.CopySource = aws.String(other), aws.String("guarded"), aws.String(copySource)
		_, err := c.CopyObject(ctx, &in)
		wantAPIError(t, "CopyObject "+tc.name, err, "PreconditionFailed", 412)
	}
	if got, out := mustGet(t, c, other, "guarded"); string(got) != "unchanged" || aws.ToString(out.ETag) != before {
		t.Errorf("destination changed by failed conditional copies: %q", truncate(got))
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: aws.String(other), Key: aws.String("guarded"), CopySource: aws.String(copySource), CopySourceIfMatch: aws.String(quotedMD5(body)),
	}); err != nil {
		t.Errorf("CopyObject with a matching copy-source-if-match: %v", err)
	}
	// Copying an object onto itself is how clients change metadata in place: allowed with
	// REPLACE, refused without a change (CopyObject reference: "This copy request is illegal
	// because it is trying to copy an object to itself without changing the object's metadata").
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(src), CopySource: aws.String(copySource),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("image/png"), CacheControl: aws.String("max-age=86400"),
	}); err != nil {
		t.Fatalf("CopyObject onto itself with REPLACE: %v", err)
	}
	got, out = mustGet(t, c, bucket, src)
	if !bytes.Equal(got, body) || aws.ToString(out.CacheControl) != "max-age=86400" || len(out.Metadata) != 0 {
		t.Errorf("after an in-place REPLACE copy: %d bytes, Cache-Control %q, meta %v; want the same body with only the new metadata", len(got), aws.ToString(out.CacheControl), out.Metadata)
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String(src), CopySource: aws.String(copySource)})
	wantAPIError(t, "CopyObject onto itself without changes", err, "InvalidRequest", 400)

	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(other), Key: aws.String("x"), CopySource: aws.String(bucket + "/no-such-key")})
	wantAPIError(t, "CopyObject from a missing key", err, "NoSuchKey", 404)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(other), Key: aws.String("x"), CopySource: aws.String("e2e-no-such-bucket-y/k")})
	wantAPIError(t, "CopyObject from a missing bucket", err, "NoSuchBucket", 404)
}

// escapeKey percent-encodes everything but unreserved characters and '/', as botocore does for
// x-amz-copy-source (quote(key, safe="/~")).
func escapeKey(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		ch := k[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("-_.~/", ch) >= 0 {
			b.WriteByte(ch)
		} else {
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}
