package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// Versioning as the S3 user guide describes it: "Working with objects in a
// versioning-enabled bucket", "Working with objects in a versioning-suspended bucket" and
// "Deleting object versions".

func (e *env) setVersioning(b string, state objstore.VersioningState) {
	e.t.Helper()
	if err := e.s.SetBucketVersioning(e.ctx, b, state); err != nil {
		e.t.Fatalf("SetBucketVersioning(%q, %q): %v", b, state, err)
	}
}

func (e *env) del(b, key, versionID string) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.s.DeleteObject(e.ctx, b, key, versionID)
	if err != nil {
		e.t.Fatalf("DeleteObject(%q, %q, %q): %v", b, key, versionID, err)
	}
	return info
}

// readVersion returns the whole body of one version, checking Info against want.
func (e *env) readVersion(b, key string, want objstore.ObjectInfo) []byte {
	e.t.Helper()
	o, err := e.s.OpenObject(e.ctx, b, key, want.VersionID)
	if err != nil {
		e.t.Fatalf("OpenObject(%q, version %q): %v", key, want.VersionID, err)
	}
	defer o.Close()
	if got := o.Info(); got.VersionID != want.VersionID || got.ETag != want.ETag || got.Size != want.Size {
		e.t.Fatalf("OpenObject(%q, version %q).Info() = %+v, want %+v", key, want.VersionID, got, want)
	}
	return e.readRange(o, 0, -1)
}

// wantMarker checks that err reports the delete marker with the given version id: wrapping
// ErrNoSuchKey when it is the latest version read without an id, ErrDeleteMarker when read
// by its id.
func (e *env) wantMarker(what string, err error, sentinel error, versionID string) {
	e.t.Helper()
	var dm *objstore.DeleteMarkerError
	if !errors.Is(err, sentinel) || !errors.As(err, &dm) {
		e.t.Fatalf("%s: got %v, want a DeleteMarkerError wrapping %v", what, err, sentinel)
	}
	if !dm.Marker.DeleteMarker || dm.Marker.VersionID != versionID || dm.Marker.LastModified.IsZero() {
		e.t.Fatalf("%s: marker %+v, want version %q", what, dm.Marker, versionID)
	}
	other := objstore.ErrDeleteMarker
	if sentinel == objstore.ErrDeleteMarker {
		other = objstore.ErrNoSuchKey
	}
	if errors.Is(err, other) {
		e.t.Fatalf("%s: %v is also %v", what, err, other)
	}
}

// wantVersionID checks that a version id is opaque, URL-safe and not "null".
func (e *env) wantVersionID(id string) {
	e.t.Helper()
	ok := id != "" && id != objstore.NullVersionID && len(id) <= 1024
	for _, c := range id {
		ok = ok && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", c))
	}
	if !ok {
		e.t.Fatalf("version id %q is not an opaque URL-safe token", id)
	}
}

func testVersioningStates(e *env) {
	b := e.bucket("bkt")
	state := func() objstore.VersioningState {
		got, err := e.s.GetBucket(e.ctx, b)
		if err != nil {
			e.t.Fatal(err)
		}
		return got.Versioning
	}
	if s := state(); s != objstore.VersioningUnversioned {
		e.t.Fatalf("a new bucket's versioning is %q", s)
	}
	e.setVersioning(b, objstore.VersioningUnversioned) // a no-op while never enabled
	for _, bad := range []objstore.VersioningState{"enabled", "Disabled", "x"} {
		e.wantErr(fmt.Sprintf("SetBucketVersioning(%q)", bad), e.s.SetBucketVersioning(e.ctx, b, bad), objstore.ErrInvalidVersioningState)
	}
	for _, st := range []objstore.VersioningState{objstore.VersioningEnabled, objstore.VersioningSuspended, objstore.VersioningEnabled, objstore.VersioningEnabled} {
		e.setVersioning(b, st)
		if got := state(); got != st {
			e.t.Fatalf("after setting %q the bucket reports %q", st, got)
		}
	}
	e.wantErr("returning to Unversioned", e.s.SetBucketVersioning(e.ctx, b, objstore.VersioningUnversioned), objstore.ErrInvalidVersioningState)
	e.wantErr("SetBucketVersioning of a missing bucket", e.s.SetBucketVersioning(e.ctx, "nope", objstore.VersioningEnabled), objstore.ErrNoSuchBucket)
	if list, err := e.s.ListBuckets(e.ctx); err != nil || len(list) != 1 || list[0].Versioning != objstore.VersioningEnabled {
		e.t.Fatalf("ListBuckets = %+v, %v", list, err)
	}
	// CreateBucket records the state it is given.
	if err := e.s.CreateBucket(e.ctx, objstore.Bucket{Name: "born-versioned", Versioning: objstore.VersioningEnabled}); err != nil {
		e.t.Fatal(err)
	}
	if got, err := e.s.GetBucket(e.ctx, "born-versioned"); err != nil || got.Versioning != objstore.VersioningEnabled {
		e.t.Fatalf("GetBucket of a bucket created versioned = %+v, %v", got, err)
	}
	if v := e.put("born-versioned", "k", []byte("x")); v.VersionID == objstore.NullVersionID {
		e.t.Fatal("a bucket created versioned wrote a null version")
	}
	e.wantErr("CreateBucket with a bad versioning state", e.s.CreateBucket(e.ctx, objstore.Bucket{Name: "bad-state", Versioning: "On"}), objstore.ErrInvalidVersioningState)
}

func testVersioningEnabled(e *env) {
	b := e.bucket("bkt")
	e.setVersioning(b, objstore.VersioningEnabled)
	bodies := [][]byte{payload(1, 10), payload(2, 300<<10), payload(3, 70<<10)}
	var vs []objstore.ObjectInfo
	for _, body := range bodies {
		info := e.put(b, "k", body)
		e.wantVersionID(info.VersionID)
		if !info.IsLatest {
			e.t.Fatalf("PutObject info %+v is not the latest", info)
		}
		for _, v := range vs {
			if v.VersionID == info.VersionID {
				e.t.Fatalf("version id %q issued twice", v.VersionID)
			}
		}
		vs = append(vs, info)
	}
	if h := e.head(b, "k"); h.VersionID != vs[2].VersionID || !h.IsLatest {
		e.t.Fatalf("HeadObject = %+v, want the third version", h)
	}
	e.wantBody(b, "k", bodies[2])
	for i, v := range vs {
		if got := e.readVersion(b, "k", v); string(got) != string(bodies[i]) {
			e.t.Fatalf("version %d reads %d bytes, want %d", i, len(got), len(bodies[i]))
		}
		h, err := e.s.HeadObject(e.ctx, b, "k", v.VersionID)
		if err != nil || h.VersionID != v.VersionID || h.IsLatest != (i == 2) || !h.LastModified.Equal(v.LastModified) {
			e.t.Fatalf("HeadObject(version %d) = %+v, %v", i, h, err)
		}
	}
	if keys := e.keysOf(b); !slices.Equal(keys, []string{"k"}) {
		e.t.Fatalf("ListObjects = %q", keys)
	}

	// A delete without a version id adds a marker and removes nothing.
	m := e.del(b, "k", "")
	e.wantVersionID(m.VersionID)
	if !m.DeleteMarker || !m.IsLatest || m.Key != "k" {
		e.t.Fatalf("DeleteObject = %+v, want a delete marker", m)
	}
	_, err := e.s.HeadObject(e.ctx, b, "k", "")
	e.wantMarker("HeadObject under a marker", err, objstore.ErrNoSuchKey, m.VersionID)
	_, err = e.s.OpenObject(e.ctx, b, "k", "")
	e.wantMarker("OpenObject under a marker", err, objstore.ErrNoSuchKey, m.VersionID)
	_, err = e.s.HeadObject(e.ctx, b, "k", m.VersionID)
	e.wantMarker("HeadObject of the marker's id", err, objstore.ErrDeleteMarker, m.VersionID)
	_, err = e.s.OpenObject(e.ctx, b, "k", m.VersionID)
	e.wantMarker("OpenObject of the marker's id", err, objstore.ErrDeleteMarker, m.VersionID)
	if keys := e.keysOf(b); len(keys) != 0 {
		e.t.Fatalf("ListObjects under a marker = %q", keys)
	}
	if got := e.readVersion(b, "k", vs[1]); string(got) != string(bodies[1]) {
		e.t.Fatal("an old version is unreadable under a delete marker")
	}
	// A second marker stacks on the first.
	m2 := e.del(b, "k", "")
	if m2.VersionID == m.VersionID || !m2.DeleteMarker {
		e.t.Fatalf("second marker %+v", m2)
	}
	e.wantVersions(b, "k", m2.VersionID+"*", m.VersionID+"*", vs[2].VersionID, vs[1].VersionID, vs[0].VersionID)

	// Deleting the markers restores the object.
	for _, mk := range []objstore.ObjectInfo{m2, m} {
		got := e.del(b, "k", mk.VersionID)
		if !got.DeleteMarker || got.VersionID != mk.VersionID {
			e.t.Fatalf("deleting marker %q returned %+v", mk.VersionID, got)
		}
	}
	e.wantBody(b, "k", bodies[2])
	// Deleting the latest version by id makes the next newest current.
	if got := e.del(b, "k", vs[2].VersionID); got.VersionID != vs[2].VersionID || got.DeleteMarker || got.ETag != vs[2].ETag || !got.IsLatest {
		e.t.Fatalf("deleting the latest version returned %+v", got)
	}
	e.wantBody(b, "k", bodies[1])
	if h := e.head(b, "k"); h.VersionID != vs[1].VersionID {
		e.t.Fatalf("after deleting the latest, HeadObject = %+v", h)
	}
	// Deleting a noncurrent version leaves the current one alone.
	if got := e.del(b, "k", vs[0].VersionID); got.IsLatest || got.VersionID != vs[0].VersionID {
		e.t.Fatalf("deleting a noncurrent version returned %+v", got)
	}
	e.wantBody(b, "k", bodies[1])
	for _, gone := range []string{vs[0].VersionID, vs[2].VersionID, m.VersionID} {
		_, err := e.s.HeadObject(e.ctx, b, "k", gone)
		e.wantErr("HeadObject of a deleted version", err, objstore.ErrNoSuchVersion)
		if errors.Is(err, objstore.ErrInvalidVersionID) {
			e.t.Fatalf("a well-formed deleted version id is reported as malformed: %v", err)
		}
		if got := e.del(b, "k", gone); got.VersionID != "" {
			e.t.Fatalf("deleting an absent version returned %+v", got)
		}
	}
	e.wantVersions(b, "k", vs[1].VersionID)
	// Deleting the only version leaves nothing, not even a marker.
	e.del(b, "k", vs[1].VersionID)
	_, err = e.s.HeadObject(e.ctx, b, "k", "")
	e.wantErr("HeadObject after deleting every version", err, objstore.ErrNoSuchKey)
	var dm *objstore.DeleteMarkerError
	if errors.As(err, &dm) {
		e.t.Fatalf("HeadObject of a key without versions reports a marker: %v", err)
	}
	e.wantVersions(b, "k")
	// A delete marker is added even when the key never existed, as S3 does.
	if got := e.del(b, "never", ""); !got.DeleteMarker {
		e.t.Fatalf("DeleteObject of a new key in a versioned bucket = %+v", got)
	}
	_, err = e.s.HeadObject(e.ctx, b, "k", "not-an-id")
	if !errors.Is(err, objstore.ErrNoSuchVersion) || !errors.Is(err, objstore.ErrInvalidVersionID) {
		e.t.Fatalf("HeadObject of a malformed version id: %v", err)
	}
}

// wantVersions lists key's versions and compares their ids, newest first; a trailing "*"
// marks a delete marker.
func (e *env) wantVersions(b, key string, want ...string) {
	e.t.Helper()
	res, err := e.s.ListObjectVersions(e.ctx, b, objstore.ListVersionsInput{Prefix: key, MaxKeys: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	var got []string
	for _, v := range res.Versions {
		if v.Key != key {
			continue
		}
		if v.IsLatest != (len(got) == 0) {
			e.t.Fatalf("version %d of %q has IsLatest %v", len(got), key, v.IsLatest)
		}
		id := v.VersionID
		if v.DeleteMarker {
			id += "*"
		}
		got = append(got, id)
	}
	if !slices.Equal(got, want) {
		e.t.Fatalf("versions of %q:\n got %q\nwant %q", key, got, want)
	}
}
