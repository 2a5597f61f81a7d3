package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// cliVersions is the output of `aws s3api list-object-versions`.
type cliVersions struct {
	Versions []struct {
		Key, VersionId, ETag string
		IsLatest             bool
		Size                 int64
	}
	DeleteMarkers []struct {
		Key, VersionId string
		IsLatest       bool
	}
}

// String lists entries as key@version(flags), versions first, for messages.
func (v cliVersions) String() string {
	var s []string
	for _, x := range v.Versions {
		s = append(s, fmt.Sprintf("%s@%s(size %d, latest %v)", x.Key, x.VersionId, x.Size, x.IsLatest))
	}
	for _, x := range v.DeleteMarkers {
		s = append(s, fmt.Sprintf("%s@%s(marker, latest %v)", x.Key, x.VersionId, x.IsLatest))
	}
	return strings.Join(s, " ")
}

// TestCLIVersioningRecovery proves the issue's promise, "an overwrite or delete in a
// versioned bucket is always recoverable with the aws CLI alone": overwrite, delete, find
// both versions and the delete marker with list-object-versions, read the old version by
// id, and undo the delete by deleting the marker ("Working with objects in a
// versioning-enabled bucket", S3 user guide). Then the null version of a suspended bucket
// ("Working with objects in a versioning-suspended bucket"): a PUT creates or replaces the
// version "null" and leaves the earlier versions alone.
func TestCLIVersioningRecovery(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	sdk := pathSDK(t, srv)
	// The bucket and its versioning are set up with the SDK (TestCLISeedProtections runs
	// step 2 with the CLI); from here on only the CLI touches it.
	bucket := mustVersionedBucket(t, sdk, "vercli")
	const key = "images/photo.png"
	dir := t.TempDir()
	file := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	v1, v2 := randBytes(1, 70_000), randBytes(2, 1234)
	getVersion := func(id string, want []byte, what string) {
		t.Helper()
		out := filepath.Join(dir, "got-"+what)
		var meta struct{ VersionId string }
		args := []string{"s3api", "get-object", "--bucket", bucket, "--key", key}
		if id != "" {
			args = append(args, "--version-id", id)
		}
		cli.json(t, &meta, append(args, out)...)
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("get-object %s (version %q): %d bytes, not the %d expected", what, id, len(got), len(want))
		}
		if id != "" && meta.VersionId != id {
			t.Errorf("get-object %s: VersionId %q, want %q", what, meta.VersionId, id)
		}
	}
	put := func(b []byte, name string) string {
		t.Helper()
		var out struct{ VersionId, ETag string }
		cli.json(t, &out, "s3api", "put-object", "--bucket", bucket, "--key", key, "--body", file(name, b))
		if out.ETag != quotedMD5(b) {
			t.Errorf("put-object %s: ETag %s, want %s", name, out.ETag, quotedMD5(b))
		}
		return out.VersionId
	}

	id1, id2 := put(v1, "v1"), put(v2, "v2")
	if id1 == "" || id2 == "" || id1 == id2 || id1 == "null" || id2 == "null" {
		t.Fatalf("put-object in an Enabled bucket: version ids %q and %q, want two distinct non-null ids", id1, id2)
	}

	var del struct {
		DeleteMarker bool
		VersionId    string
	}
	cli.json(t, &del, "s3api", "delete-object", "--bucket", bucket, "--key", key)
	marker := del.VersionId
	if !del.DeleteMarker || marker == "" || marker == id1 || marker == id2 {
		t.Fatalf("delete-object without a version id: %+v, want DeleteMarker true and a new version id", del)
	}
	cli.fails(t, "NoSuchKey", "s3api", "get-object", "--bucket", bucket, "--key", key, filepath.Join(dir, "deleted"))

	var vs cliVersions
	cli.json(t, &vs, "s3api", "list-object-versions", "--bucket", bucket)
	if len(vs.Versions) != 2 || len(vs.DeleteMarkers) != 1 ||
		vs.Versions[0].VersionId != id2 || vs.Versions[0].IsLatest || vs.Versions[0].Size != int64(len(v2)) ||
		vs.Versions[1].VersionId != id1 || vs.Versions[1].IsLatest || vs.Versions[1].ETag != quotedMD5(v1) ||
		vs.DeleteMarkers[0].VersionId != marker || !vs.DeleteMarkers[0].IsLatest || vs.DeleteMarkers[0].Key != key {
		t.Errorf("list-object-versions after overwrite and delete: %v\nwant %s@%s and %s@%s (not latest) and the latest marker %s",
			vs, key, id2, key, id1, marker)
	}

	// Recovery: the old bytes by version id, then the delete undone by deleting the marker.
	getVersion(id1, v1, "old-version")
	del.DeleteMarker, del.VersionId = false, "" // json.Unmarshal keeps fields the output leaves out
	cli.json(t, &del, "s3api", "delete-object", "--bucket", bucket, "--key", key, "--version-id", marker)
	if !del.DeleteMarker || del.VersionId != marker {
		t.Errorf("delete-object --version-id <marker>: %+v, want DeleteMarker true, VersionId %s", del, marker)
	}
	getVersion("", v2, "restored")

	// Deleting a version by id really removes it (the listing below no longer has it).
	del.DeleteMarker, del.VersionId = false, ""
	cli.json(t, &del, "s3api", "delete-object", "--bucket", bucket, "--key", key, "--version-id", id2)
	if del.DeleteMarker || del.VersionId != id2 {
		t.Errorf("delete-object --version-id %s: %+v, want VersionId %s and no DeleteMarker", id2, del, id2)
	}

	// Suspended: the null version.
	cli.ok(t, "s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Suspended")
	ver, err := sdk.GetBucketVersioning(context.Background(), &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	if err != nil || ver.Status != types.BucketVersioningStatusSuspended {
		t.Errorf("GetBucketVersioning after put-bucket-versioning Suspended: %+v, %v", ver, err)
	}
	s1, s2 := []byte("first null version"), []byte("second null version, replacing the first")
	if id := put(s1, "s1"); id != "null" {
		t.Errorf("put-object in a Suspended bucket: VersionId %q, want \"null\"", id)
	}
	if id := put(s2, "s2"); id != "null" {
		t.Errorf("second put-object in a Suspended bucket: VersionId %q, want \"null\"", id)
	}
	vs = cliVersions{}
	cli.json(t, &vs, "s3api", "list-object-versions", "--bucket", bucket)
	if len(vs.Versions) != 2 || len(vs.DeleteMarkers) != 0 ||
		vs.Versions[0].VersionId != "null" || !vs.Versions[0].IsLatest || vs.Versions[0].ETag != quotedMD5(s2) ||
		vs.Versions[1].VersionId != id1 || vs.Versions[1].IsLatest {
		t.Errorf("list-object-versions after two PUTs while Suspended: %v\nwant %s@null (latest, the second body) and %s@%s", vs, key, key, id1)
	}
	getVersion("null", s2, "null-version")
	getVersion(id1, v1, "kept-version")
}
