package e2e

import (
	"context"
	"slices"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestSDKListVersionsAndDeleteObjects pages ListObjectVersions one entry at a time over
// several keys, versions and a delete marker, following NextKeyMarker/NextVersionIdMarker
// (ListObjectVersions API reference), and deletes versions and markers by id with
// DeleteObjects.
func TestSDKListVersionsAndDeleteObjects(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustVersionedBucket(t, c, "verlist")

	a1 := putVersion(t, c, bucket, "a", []byte("a1"))
	a2 := putVersion(t, c, bucket, "a", randBytes(42, 80_000))
	a3 := putVersion(t, c, bucket, "a", []byte("a3"))
	b1 := putVersion(t, c, bucket, "b", []byte("b1"))
	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("b")})
	if err != nil || !aws.ToBool(del.DeleteMarker) {
		t.Fatalf("DeleteObject b: %+v, %v", del, err)
	}
	bm := aws.ToString(del.VersionId)
	c1 := putVersion(t, c, bucket, "c/x", []byte("c1"))
	c2 := putVersion(t, c, bucket, "c/x", []byte("c2"))

	want := []entry{
		{"a", a3, false, true}, {"a", a2, false, false}, {"a", a1, false, false},
		{"b", bm, true, true}, {"b", b1, false, false},
		{"c/x", c2, false, true}, {"c/x", c1, false, false},
	}
	if got := pageVersions(t, c, bucket); !slices.Equal(got, want) {
		t.Errorf("ListObjectVersions max-keys 1, page by page:\n got %s\nwant %s", entriesString(got), entriesString(want))
	}
	whole, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("ListObjectVersions: %v", err)
	}
	var wantV, wantM []entry
	for _, e := range want {
		if e.marker {
			wantM = append(wantM, e)
		} else {
			wantV = append(wantV, e)
		}
	}
	if got := page(whole); aws.ToBool(whole.IsTruncated) || !slices.Equal(got, append(wantV, wantM...)) {
		t.Errorf("ListObjectVersions in one page (truncated %v):\n got %s\nwant %s", aws.ToBool(whole.IsTruncated), entriesString(got), entriesString(append(wantV, wantM...)))
	}
	grouped, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), Delimiter: aws.String("/")})
	if err != nil || len(grouped.CommonPrefixes) != 1 || aws.ToString(grouped.CommonPrefixes[0].Prefix) != "c/" || len(grouped.Versions) != 4 || len(grouped.DeleteMarkers) != 1 {
		t.Errorf("ListObjectVersions delimiter /: %d versions, %d markers, prefixes %v, %v; want 4, 1, [c/]", len(grouped.Versions), len(grouped.DeleteMarkers), grouped.CommonPrefixes, err)
	}

	// DeleteObjects with version ids removes exactly those versions; deleting a marker by id
	// answers DeleteMarker true with its id; a key without a version id gets a new marker.
	out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
		{Key: aws.String("a"), VersionId: aws.String(a1)},
		{Key: aws.String("b"), VersionId: aws.String(bm)},
		{Key: aws.String("c/x"), VersionId: aws.String(c1)},
		{Key: aws.String("c/x"), VersionId: aws.String(c2)},
	}}})
	if err != nil {
		t.Fatalf("DeleteObjects with version ids: %v", err)
	}
	if len(out.Errors) != 0 || len(out.Deleted) != 4 {
		t.Fatalf("DeleteObjects with version ids: %d deleted, errors %+v; want 4 and none", len(out.Deleted), out.Errors)
	}
	for _, d := range out.Deleted {
		id := aws.ToString(d.VersionId)
		isMarker := id == bm
		if aws.ToBool(d.DeleteMarker) != isMarker || (isMarker && aws.ToString(d.DeleteMarkerVersionId) != bm) {
			t.Errorf("DeleteObjects: deleted %s@%s DeleteMarker %v DeleteMarkerVersionId %q; want DeleteMarker %v",
				aws.ToString(d.Key), id, aws.ToBool(d.DeleteMarker), aws.ToString(d.DeleteMarkerVersionId), isMarker)
		}
	}
	out, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: aws.String("a")}}}})
	if err != nil || len(out.Deleted) != 1 {
		t.Fatalf("DeleteObjects a without a version id: %+v, %v", out, err)
	}
	am := aws.ToString(out.Deleted[0].DeleteMarkerVersionId)
	if !aws.ToBool(out.Deleted[0].DeleteMarker) || !urlSafeVersionID.MatchString(am) {
		t.Errorf("DeleteObjects a without a version id: DeleteMarker %v, DeleteMarkerVersionId %q; want true and the new marker's id", aws.ToBool(out.Deleted[0].DeleteMarker), am)
	}
	want = []entry{{"a", a3, false, false}, {"a", a2, false, false}, {"b", b1, false, true}, {"a", am, true, true}}
	whole, err = c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("ListObjectVersions: %v", err)
	}
	if got := page(whole); !slices.Equal(got, want) {
		t.Errorf("ListObjectVersions after DeleteObjects:\n got %s\nwant %s", entriesString(got), entriesString(want))
	}
	if got, _ := mustGet(t, c, bucket, "b"); string(got) != "b1" {
		t.Errorf("GET b after its marker was deleted by DeleteObjects: %q, want b1", got)
	}
	if keys := listAll(t, c, bucket); !sort.StringsAreSorted(keys) || len(keys) != 1 || keys[0] != "b" {
		t.Errorf("ListObjectsV2 after DeleteObjects: %q, want [b]", keys)
	}
}

// pageVersions lists every version and marker with max-keys 1, checking each page's markers.
func pageVersions(t *testing.T, c *sdkClient, bucket string) []entry {
	t.Helper()
	var all []entry
	in := &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), MaxKeys: aws.Int32(1)}
	for range 50 {
		out, err := c.ListObjectVersions(context.Background(), in)
		if err != nil {
			t.Fatalf("ListObjectVersions key-marker %q version-id-marker %q: %v", aws.ToString(in.KeyMarker), aws.ToString(in.VersionIdMarker), err)
		}
		if aws.ToString(out.KeyMarker) != aws.ToString(in.KeyMarker) || aws.ToString(out.VersionIdMarker) != aws.ToString(in.VersionIdMarker) {
			t.Errorf("ListObjectVersions echoes KeyMarker %q VersionIdMarker %q, sent %q %q", aws.ToString(out.KeyMarker), aws.ToString(out.VersionIdMarker), aws.ToString(in.KeyMarker), aws.ToString(in.VersionIdMarker))
		}
		got := page(out)
		if len(got) != 1 {
			t.Fatalf("ListObjectVersions max-keys 1 after %s: %d entries (%s)", entriesString(all), len(got), entriesString(got))
		}
		all = append(all, got[0])
		if !aws.ToBool(out.IsTruncated) {
			return all
		}
		if aws.ToString(out.NextKeyMarker) != got[0].key || aws.ToString(out.NextVersionIdMarker) != got[0].id {
			t.Fatalf("ListObjectVersions page %s: NextKeyMarker %q NextVersionIdMarker %q, want the page's last entry", got[0], aws.ToString(out.NextKeyMarker), aws.ToString(out.NextVersionIdMarker))
		}
		in.KeyMarker, in.VersionIdMarker = out.NextKeyMarker, out.NextVersionIdMarker
	}
	t.Fatalf("ListObjectVersions max-keys 1 still truncated after 50 pages: %s", entriesString(all))
	return nil
}
