package e2e

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// urlSafeVersionID is what the issue asks of version ids: opaque and URL-safe.
var urlSafeVersionID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,1000}$`)

// mustVersionedBucket creates a bucket with versioning Enabled.
func mustVersionedBucket(t *testing.T, c *sdkClient, stem string) string {
	t.Helper()
	bucket := mustBucket(t, c, stem)
	_, err := c.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{
		Bucket: aws.String(bucket), VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled},
	})
	if err != nil {
		t.Fatalf("PutBucketVersioning Enabled: %v", err)
	}
	return bucket
}

// putVersion PUTs body and returns the version id the server answered.
func putVersion(t *testing.T, c *sdkClient, bucket, key string, body []byte) string {
	t.Helper()
	out, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatalf("PutObject %q: %v", key, err)
	}
	id := aws.ToString(out.VersionId)
	if !urlSafeVersionID.MatchString(id) {
		t.Fatalf("PutObject %q in an Enabled bucket: VersionId %q, want an opaque URL-safe id", key, id)
	}
	return id
}

// TestSDKVersioningRoundTrips drives versioning with aws-sdk-go-v2's typed outputs: version
// ids on PUT and DELETE, what GET and HEAD answer for a delete marker (latest: 404 with
// x-amz-delete-marker; by version id: 405 MethodNotAllowed, GetObject and HeadObject API
// references), and restoring by deleting the marker.
func TestSDKVersioningRoundTrips(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()

	plain := mustBucket(t, c, "nover")
	gv, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(plain)})
	if err != nil || gv.Status != "" {
		t.Errorf("GetBucketVersioning of a never-versioned bucket: %+v, %v; want no Status", gv, err)
	}

	bucket := mustVersionedBucket(t, c, "versdk")
	gv, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	if err != nil || gv.Status != types.BucketVersioningStatusEnabled {
		t.Errorf("GetBucketVersioning: %+v, %v; want Enabled", gv, err)
	}
	const key = "logo.webp"
	v1, v2 := randBytes(31, 100_000), randBytes(32, 500)
	id1, id2 := putVersion(t, c, bucket, key, v1), putVersion(t, c, bucket, key, v2)
	if id1 == id2 {
		t.Fatalf("two PUTs answered the same version id %q", id1)
	}
	got, out := mustGet(t, c, bucket, key)
	if !bytes.Equal(got, v2) || aws.ToString(out.VersionId) != id2 {
		t.Errorf("GET latest: %d bytes, version %q; want the second body, %q", len(got), aws.ToString(out.VersionId), id2)
	}
	gOld, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: aws.String(id1)})
	if err != nil {
		t.Fatalf("GET versionId %s: %v", id1, err)
	}
	if b := readBody(t, gOld.Body); !bytes.Equal(b, v1) || aws.ToString(gOld.VersionId) != id1 || aws.ToString(gOld.ETag) != quotedMD5(v1) {
		t.Errorf("GET versionId %s: %d bytes, version %q, ETag %s; want the first body", id1, len(b), aws.ToString(gOld.VersionId), aws.ToString(gOld.ETag))
	}

	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("DeleteObject: %v", err)
	}
	marker := aws.ToString(del.VersionId)
	if !aws.ToBool(del.DeleteMarker) || !urlSafeVersionID.MatchString(marker) || marker == id1 || marker == id2 {
		t.Fatalf("DeleteObject in an Enabled bucket: DeleteMarker %v, VersionId %q; want true and a new id", aws.ToBool(del.DeleteMarker), marker)
	}
	checkDeleteMarkerAnswers(t, c, bucket, key, marker)

	// Deleting the marker restores the object.
	del, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: aws.String(marker)})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != marker {
		t.Fatalf("DeleteObject versionId=<marker>: %+v, %v; want DeleteMarker true, VersionId %s", del, err, marker)
	}
	if got, out := mustGet(t, c, bucket, key); !bytes.Equal(got, v2) || aws.ToString(out.VersionId) != id2 {
		t.Errorf("GET after deleting the marker: %d bytes, version %q; want the second body, %q", len(got), aws.ToString(out.VersionId), id2)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: aws.String(id1)})
	if err != nil || aws.ToString(head.VersionId) != id1 || aws.ToInt64(head.ContentLength) != int64(len(v1)) {
		t.Errorf("HEAD versionId %s: %+v, %v", id1, head, err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: aws.String(marker)})
	wantAPIError(t, "GET by the id of a deleted delete marker", err, "NoSuchVersion", 404)
}

// checkDeleteMarkerAnswers checks GET and HEAD of a key whose latest version is the delete
// marker, and of the marker by id, down to the raw response headers.
func checkDeleteMarkerAnswers(t *testing.T, c *sdkClient, bucket, key, marker string) {
	t.Helper()
	ctx := context.Background()
	_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	wantAPIError(t, "HEAD of a key whose latest version is a delete marker", err, "NotFound", 404)
	wantMarkerHeaders(t, "HEAD latest=marker", responseHeader(err), marker)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	wantAPIError(t, "GET of a key whose latest version is a delete marker", err, "NoSuchKey", 404)
	wantMarkerHeaders(t, "GET latest=marker", responseHeader(err), marker)

	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: aws.String(marker)})
	wantAPIError(t, "GET versionId=<delete marker>", err, "MethodNotAllowed", 405)
	wantMarkerHeaders(t, "GET versionId=<marker>", responseHeader(err), marker)
	if h := responseHeader(err); h != nil && h.Get("Last-Modified") == "" {
		t.Errorf("GET versionId=<marker>: no Last-Modified header (the GetObject reference: 405 with the Last-Modified timestamp)")
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: aws.String(marker)})
	wantAPIError(t, "HEAD versionId=<delete marker>", err, "MethodNotAllowed", 405)
	wantMarkerHeaders(t, "HEAD versionId=<marker>", responseHeader(err), marker)
}

func wantMarkerHeaders(t *testing.T, what string, h map[string][]string, marker string) {
	t.Helper()
	get := func(k string) string {
		if v := h[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if get("X-Amz-Delete-Marker") != "true" || get("X-Amz-Version-Id") != marker {
		t.Errorf("%s: x-amz-delete-marker %q, x-amz-version-id %q; want true and %s", what, get("X-Amz-Delete-Marker"), get("X-Amz-Version-Id"), marker)
	}
}

// entry is one row of ListObjectVersions: a version or a delete marker.
type entry struct {
	key, id        string
	marker, latest bool
}

func (e entry) String() string {
	kind := "v"
	if e.marker {
		kind = "dm"
	}
	return fmt.Sprintf("%s@%s(%s latest=%v)", e.key, e.id, kind, e.latest)
}

// page lists one page of versions and markers merged in S3's order (key ascending, newest
// first within a key; the two lists of a page are each in that order).
func page(out *s3.ListObjectVersionsOutput) []entry {
	var vs, ms []entry
	for _, v := range out.Versions {
		vs = append(vs, entry{aws.ToString(v.Key), aws.ToString(v.VersionId), false, aws.ToBool(v.IsLatest)})
	}
	for _, m := range out.DeleteMarkers {
		ms = append(ms, entry{aws.ToString(m.Key), aws.ToString(m.VersionId), true, aws.ToBool(m.IsLatest)})
	}
	// The page lists do not say how versions and markers of one key interleave; pages of
	// one entry (max-keys 1) never need to.
	return append(vs, ms...)
}

func entriesString(es []entry) string {
	var s []string
	for _, e := range es {
		s = append(s, e.String())
	}
	return strings.Join(s, " ")
}
