package storetest

import (
	"errors"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// testVersioningSuspended follows "Working with objects in a versioning-suspended bucket":
// writes and deletes without a version id create or replace the null version; versions made
// while versioning was enabled stay.
func testVersioningSuspended(e *env) {
	b := e.bucket("bkt")
	null := objstore.NullVersionID
	n0 := e.put(b, "k", []byte("null 0")) // before versioning: the null version
	if n0.VersionID != null {
		e.t.Fatalf("unversioned PutObject version %q", n0.VersionID)
	}
	e.setVersioning(b, objstore.VersioningEnabled)
	// The object that existed before keeps version id null, now noncurrent.
	v1 := e.put(b, "k", payload(1, 200<<10))
	e.wantVersions(b, "k", v1.VersionID, null)
	if got := e.readVersion(b, "k", n0); string(got) != "null 0" {
		e.t.Fatalf("the pre-versioning object reads %q", got)
	}

	e.setVersioning(b, objstore.VersioningSuspended)
	n1 := e.put(b, "k", payload(2, 100<<10))
	if n1.VersionID != null || !n1.IsLatest {
		e.t.Fatalf("suspended PutObject = %+v, want the null version", n1)
	}
	// The new null version replaced the old one and is the latest; v1 stays.
	e.wantVersions(b, "k", null, v1.VersionID)
	e.wantBody(b, "k", payload(2, 100<<10))
	if got := e.readVersion(b, "k", n1); len(got) != 100<<10 {
		e.t.Fatalf("null version reads %d bytes", len(got))
	}
	n2 := e.put(b, "k", []byte("null 2"))
	e.wantVersions(b, "k", null, v1.VersionID)
	if h, err := e.s.HeadObject(e.ctx, b, "k", null); err != nil || h.ETag != n2.ETag || !h.IsLatest {
		e.t.Fatalf("HeadObject(null) = %+v, %v", h, err)
	}

	// A delete puts a null delete marker in place of the null version.
	m := e.del(b, "k", "")
	if !m.DeleteMarker || m.VersionID != null || !m.IsLatest {
		e.t.Fatalf("suspended DeleteObject = %+v, want a null delete marker", m)
	}
	e.wantVersions(b, "k", null+"*", v1.VersionID)
	_, err := e.s.HeadObject(e.ctx, b, "k", "")
	e.wantMarker("HeadObject under a null marker", err, objstore.ErrNoSuchKey, null)
	_, err = e.s.HeadObject(e.ctx, b, "k", null)
	e.wantMarker("HeadObject(null) of a null marker", err, objstore.ErrDeleteMarker, null)
	if got := e.readVersion(b, "k", v1); len(got) != 200<<10 {
		e.t.Fatal("v1 is unreadable under the null marker")
	}
	// Another delete replaces the null marker with a new one: still two versions.
	e.del(b, "k", "")
	e.wantVersions(b, "k", null+"*", v1.VersionID)
	// A put replaces the null marker.
	e.put(b, "k", []byte("null 3"))
	e.wantVersions(b, "k", null, v1.VersionID)
	e.wantBody(b, "k", []byte("null 3"))

	// Re-enabled: new versions stack on the null version, which stays.
	e.setVersioning(b, objstore.VersioningEnabled)
	v2 := e.put(b, "k", []byte("v2"))
	e.wantVersions(b, "k", v2.VersionID, null, v1.VersionID)
	// Deleting the null version by id removes it for good; v2 stays current.
	if got := e.del(b, "k", null); got.VersionID != null || got.IsLatest {
		e.t.Fatalf("DeleteObject(null) = %+v", got)
	}
	e.wantVersions(b, "k", v2.VersionID, v1.VersionID)
	_, err = e.s.HeadObject(e.ctx, b, "k", null)
	e.wantErr("HeadObject(null) after deleting it", err, objstore.ErrNoSuchVersion)
	if errors.Is(err, objstore.ErrInvalidVersionID) {
		e.t.Fatal("null is reported as a malformed version id")
	}
	// Suspended again, a delete adds a null marker on top; v2 becomes noncurrent.
	e.setVersioning(b, objstore.VersioningSuspended)
	e.del(b, "k", "")
	e.wantVersions(b, "k", null+"*", v2.VersionID, v1.VersionID)
	e.del(b, "k", null) // removing the marker restores v2
	e.wantBody(b, "k", []byte("v2"))
	if h := e.head(b, "k"); h.VersionID != v2.VersionID {
		e.t.Fatalf("after removing the null marker HeadObject = %+v", h)
	}
}

// testVersionedDeleteBucket: a bucket is not empty while any version or delete marker
// remains, and its objects are gone from ListObjects long before that.
func testVersionedDeleteBucket(e *env) {
	b := e.bucket("bkt")
	e.setVersioning(b, objstore.VersioningEnabled)
	v := e.put(b, "k", []byte("v"))
	m := e.del(b, "k", "")
	if keys := e.keysOf(b); len(keys) != 0 {
		e.t.Fatalf("ListObjects = %q", keys)
	}
	e.wantErr("DeleteBucket with a version and a marker", e.s.DeleteBucket(e.ctx, b), objstore.ErrBucketNotEmpty)
	e.del(b, "k", v.VersionID)
	e.wantErr("DeleteBucket with only a marker", e.s.DeleteBucket(e.ctx, b), objstore.ErrBucketNotEmpty)
	e.del(b, "k", m.VersionID)
	if err := e.s.DeleteBucket(e.ctx, b); err != nil {
		e.t.Fatalf("DeleteBucket after deleting every version: %v", err)
	}
	// A recreated bucket starts unversioned and empty.
	e.bucket(b)
	if got, _ := e.s.GetBucket(e.ctx, b); got.Versioning != objstore.VersioningUnversioned {
		e.t.Fatalf("recreated bucket versioning %q", got.Versioning)
	}
	e.wantVersions(b, "k")
}

// testVersionedWrites: multipart uploads and conditional writes in a versioned bucket, and
// snapshots of a version removed while open.
func testVersionedWrites(e *env) {
	b := e.bucket("bkt")
	e.setVersioning(b, objstore.VersioningEnabled)
	v1 := e.put(b, "k", payload(1, 300<<10))
	u := e.upload(b, "k")
	bodies := e.partBodies(5, 2)
	mp, err := e.complete(u, []objstore.PartInfo{e.part(u, 1, bodies[0]), e.part(u, 2, bodies[1])}, objstore.WriteConditions{})
	if err != nil {
		e.t.Fatal(err)
	}
	e.wantVersionID(mp.VersionID)
	e.wantVersions(b, "k", mp.VersionID, v1.VersionID)
	if got := e.readVersion(b, "k", v1); len(got) != 300<<10 {
		e.t.Fatal("the version a multipart upload stacked on is gone")
	}
	// If-None-Match: * fails while an object is current and succeeds over a delete marker.
	_, err = e.putCond(b, "k", []byte("x"), objstore.WriteConditions{IfNoneMatch: "*"})
	e.wantErr("If-None-Match * over a current object", err, objstore.ErrPreconditionFailed)
	m := e.del(b, "k", "")
	_, err = e.putCond(b, "k", []byte("x"), objstore.WriteConditions{IfMatch: "*"})
	e.wantErr("If-Match * over a delete marker", err, objstore.ErrNoSuchKey)
	v3, err := e.putCond(b, "k", []byte("after marker"), objstore.WriteConditions{IfNoneMatch: "*"})
	if err != nil {
		e.t.Fatalf("If-None-Match * over a delete marker: %v", err)
	}
	e.wantVersions(b, "k", v3.VersionID, m.VersionID+"*", mp.VersionID, v1.VersionID)

	// An open version keeps reading after it is deleted by id.
	o, err := e.s.OpenObject(e.ctx, b, "k", v1.VersionID)
	if err != nil {
		e.t.Fatal(err)
	}
	if o.Info().IsLatest {
		e.t.Fatalf("an old version opened as latest: %+v", o.Info())
	}
	e.del(b, "k", v1.VersionID)
	if got := e.readRange(o, 0, -1); string(got) != string(payload(1, 300<<10)) {
		e.t.Fatal("an open version did not survive its deletion")
	}
	o.Close()
	_, err = e.s.OpenObject(e.ctx, b, "k", v1.VersionID)
	e.wantErr("OpenObject of a deleted version", err, objstore.ErrNoSuchVersion)
}
