package s3api

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// versionsOf lists every version and delete marker of a bucket through the SDK with pages
// of max entries, as sorted "key version latest [marker]" lines (the SDK splits S3's one
// ordered listing into two lists; the store's order is its conformance suite's business).
func versionsOf(t *testing.T, c *s3.Client, bucket string, max int32) []string {
	t.Helper()
	var out []string
	in := &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), MaxKeys: aws.Int32(max)}
	for {
		page, err := c.ListObjectVersions(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Versions {
			out = append(out, aws.ToString(v.Key)+" "+aws.ToString(v.VersionId)+" "+latest(v.IsLatest))
		}
		for _, m := range page.DeleteMarkers {
			out = append(out, aws.ToString(m.Key)+" "+aws.ToString(m.VersionId)+" "+latest(m.IsLatest)+" marker")
		}
		if !aws.ToBool(page.IsTruncated) {
			sort.Strings(out)
			return out
		}
		in.KeyMarker, in.VersionIdMarker = page.NextKeyMarker, page.NextVersionIdMarker
	}
}

func latest(b *bool) string {
	if aws.ToBool(b) {
		return "latest"
	}
	return "old"
}

func readAll(t *testing.T, out *s3.GetObjectOutput, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestVersioningRoundTrip drives versioning with aws-sdk-go-v2: overwrite, delete, list
// versions, get an old version, restore by deleting the marker, copy an old version,
// delete versions for good, and the null-version rules of suspended buckets.
func TestVersioningRoundTrip(t *testing.T) {
	e := newAuthzEnv(t)
	c := e.sdkAs(e.root)
	ctx := context.Background()
	b := aws.String("vbkt")
	k := aws.String("photo.jpg")
	put := func(data string) string {
		t.Helper()
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: k, Body: strings.NewReader(data)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.VersionId)
	}
	get := func(version string) string {
		t.Helper()
		in := &s3.GetObjectInput{Bucket: b, Key: k}
		if version != "" {
			in.VersionId = aws.String(version)
		}
		out, err := c.GetObject(ctx, in)
		return readAll(t, out, err)
	}
	setVersioning := func(s types.BucketVersioningStatus) {
		t.Helper()
		if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b,
			VersioningConfiguration: &types.VersioningConfiguration{Status: s}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	gv, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	if err != nil || gv.Status != "" {
		t.Fatalf("never versioned: %q %v", gv.Status, err)
	}
	if v := put("v0"); v != "" {
		t.Errorf("unversioned PUT answered version %q", v)
	}

	setVersioning(types.BucketVersioningStatusEnabled)
	gv, _ = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	if gv.Status != types.BucketVersioningStatusEnabled {
		t.Fatalf("status %q", gv.Status)
	}
	v1, v2 := put("v1"), put("v2")
	for _, v := range []string{v1, v2} {
		if v == "" || v == "null" || url.PathEscape(v) != v {
			t.Fatalf("version id %q is not an opaque URL-safe id", v)
		}
	}
	if got := get(""); got != "v2" {
		t.Errorf("latest %q", got)
	}
	if got := get(v1); got != "v1" {
		t.Errorf("old version %q", got)
	}
	if got := get("null"); got != "v0" {
		t.Errorf("null version %q", got)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k, VersionId: aws.String(v1)})
	if err != nil || aws.ToString(head.VersionId) != v1 || aws.ToInt64(head.ContentLength) != 2 {
		t.Errorf("HEAD of v1: %+v %v", head, err)
	}

	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) == "" {
		t.Fatalf("delete: %+v %v", del, err)
	}
	marker := aws.ToString(del.VersionId)
	if _, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k}); apiCode(err) != "NoSuchKey" {
		t.Errorf("GET behind the marker: %v", err)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k, VersionId: aws.String(marker)}); httpStatus(err) != http.StatusMethodNotAllowed {
		t.Errorf("HEAD of the marker: %v", err)
	}
	want := []string{
		"photo.jpg " + marker + " latest marker", "photo.jpg " + v2 + " old", "photo.jpg " + v1 + " old", "photo.jpg null old",
	}
	sort.Strings(want)
	for _, max := range []int32{1, 2, 1000} {
		if got := versionsOf(t, c, "vbkt", max); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("versions in pages of %d:\n%s\nwant:\n%s", max, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}

	// Nothing was lost: deleting the marker restores the object.
	del, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, VersionId: aws.String(marker)})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != marker {
		t.Fatalf("delete the marker: %+v %v", del, err)
	}
	if got := get(""); got != "v2" {
		t.Errorf("restored %q", got)
	}
	// Deleting a version removes it for good; the next newest becomes current.
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, VersionId: aws.String(v2)}); err != nil {
		t.Fatal(err)
	}
	if got := get(""); got != "v1" {
		t.Errorf("after deleting v2: %q", got)
	}
	if _, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, VersionId: aws.String(v2)}); apiCode(err) != "NoSuchVersion" {
		t.Errorf("GET of a deleted version: %v", err)
	}
	// Copying an old version makes it the newest.
	cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: k, CopySource: aws.String("vbkt/photo.jpg?versionId=null")})
	if err != nil || aws.ToString(cp.CopySourceVersionId) != "null" || aws.ToString(cp.VersionId) == "" {
		t.Fatalf("copy of the null version: %+v %v", cp, err)
	}
	if got := get(""); got != "v0" {
		t.Errorf("after copying the null version: %q", got)
	}
	// DeleteObjects with and without versions.
	dout, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &types.Delete{Objects: []types.ObjectIdentifier{
		{Key: k, VersionId: aws.String(v1)}, {Key: k},
	}}})
	if err != nil || len(dout.Deleted) != 2 || len(dout.Errors) != 0 {
		t.Fatalf("DeleteObjects: %+v %v", dout, err)
	}
	if d := dout.Deleted[0]; aws.ToString(d.VersionId) != v1 || aws.ToBool(d.DeleteMarker) {
		t.Errorf("deleted version: %+v", d)
	}
	if d := dout.Deleted[1]; !aws.ToBool(d.DeleteMarker) || aws.ToString(d.DeleteMarkerVersionId) == "" {
		t.Errorf("deleted key: %+v", d)
	}

	// Suspended: new writes replace the null version; older versions stay.
	setVersioning(types.BucketVersioningStatusSuspended)
	if v := put("s1"); v != "null" {
		t.Errorf("PUT in a suspended bucket: version %q", v)
	}
	if v := put("s2"); v != "null" {
		t.Errorf("PUT in a suspended bucket: version %q", v)
	}
	if got := get("null"); got != "s2" {
		t.Errorf("null version %q", got)
	}
	nulls := 0
	for _, line := range versionsOf(t, c, "vbkt", 1000) {
		if strings.Contains(line, " null ") {
			nulls++
		}
	}
	if nulls != 1 {
		t.Errorf("%d null versions", nulls)
	}
	del, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != "null" {
		t.Errorf("delete in a suspended bucket: %+v %v", del, err)
	}
	gv, _ = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	if gv.Status != types.BucketVersioningStatusSuspended {
		t.Errorf("status %q", gv.Status)
	}

	// A completed multipart upload is a new version too.
	setVersioning(types.BucketVersioningStatusEnabled)
	id := e.createUpload("vbkt", "mp")
	etag := e.uploadPart("vbkt", "mp", id, 1, []byte("part"))
	resp, body := e.do(http.MethodPost, "/vbkt/mp?uploadId="+id, completeBody([]string{etag}, nil))
	mustStatus(t, resp, body, http.StatusOK)
	if v := resp.Header.Get("X-Amz-Version-Id"); v == "" || v == "null" {
		t.Errorf("CompleteMultipartUpload version %q", v)
	}
}

// TestVersionIDHeader: x-amz-version-id is sent for buckets that were ever versioned (null
// included) and never for the others.
func TestVersionIDHeader(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "src", []byte("s"))
	check := func(what string, resp *http.Response, want string) {
		t.Helper()
		if got, ok := resp.Header["X-Amz-Version-Id"]; (want == "") != !ok || (ok && got[0] != want) {
			t.Errorf("%s: x-amz-version-id %v, want %q", what, got, want)
		}
	}
	resp := e.put("bkt", "k", []byte("x"))
	check("unversioned PUT", resp, "")
	resp, _ = e.do(http.MethodGet, "/bkt/k", nil)
	check("unversioned GET", resp, "")
	resp, _ = e.do(http.MethodPut, "/bkt/c", nil, "X-Amz-Copy-Source", "/bkt/src")
	check("unversioned copy", resp, "")
	if resp.Header.Get("X-Amz-Copy-Source-Version-Id") != "" {
		t.Errorf("unversioned copy: %v", resp.Header)
	}
	resp, _ = e.do(http.MethodDelete, "/bkt/k", nil)
	check("unversioned DELETE", resp, "")

	e.putConfig("bkt", "versioning", `<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>`)
	resp = e.put("bkt", "k", []byte("x"))
	check("suspended PUT", resp, "null")
	resp, _ = e.do(http.MethodHead, "/bkt/src", nil)
	check("suspended HEAD of an object from before", resp, "null")
	resp, _ = e.do(http.MethodPut, "/bkt/c", nil, "X-Amz-Copy-Source", "/bkt/src")
	check("suspended copy", resp, "null")
	if resp.Header.Get("X-Amz-Copy-Source-Version-Id") != "null" {
		t.Errorf("suspended copy: %v", resp.Header)
	}
	resp, _ = e.do(http.MethodDelete, "/bkt/k", nil)
	check("suspended DELETE", resp, "null")
	if resp.Header.Get("X-Amz-Delete-Marker") != "true" {
		t.Errorf("suspended DELETE: %v", resp.Header)
	}
}

func TestPutBucketVersioningErrors(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	for _, c := range []struct {
		body string
		hdr  []string
		code string
	}{
		{`<VersioningConfiguration><Status>On</Status></VersioningConfiguration>`, nil, "MalformedXML"},
		{`<VersioningConfiguration></VersioningConfiguration>`, nil, "IllegalVersioningConfigurationException"},
		{`<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>`, nil, "NotImplemented"},
		{`<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Maybe</MfaDelete></VersioningConfiguration>`, nil, "MalformedXML"},
		{`<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`, []string{"X-Amz-Mfa", "arn:aws:iam::1:mfa/x 123456"}, "NotImplemented"},
		{``, nil, "MissingRequestBodyError"},
		{`<Versioning`, nil, "MalformedXML"},
	} {
		resp, body := e.do(http.MethodPut, "/bkt?versioning", []byte(c.body), c.hdr...)
		status := http.StatusBadRequest
		if c.code == "NotImplemented" {
			status = http.StatusNotImplemented
		}
		mustError(t, resp, body, status, c.code)
	}
	resp, body := e.do(http.MethodGet, "/bkt?versioning", nil)
	if strings.Contains(string(body), "<Status>") {
		t.Errorf("a refused PutBucketVersioning changed the state: %s", body)
	}
	e.putConfig("bkt", "versioning", `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>`)
	resp, body = e.do(http.MethodGet, "/bkt?versioning", nil)
	mustStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(string(body), "<Status>Enabled</Status>") {
		t.Errorf("GetBucketVersioning: %s", body)
	}
	resp, body = e.do(http.MethodPut, "/missing?versioning", []byte(`<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`))
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
}
