package storetest

import (
	"bytes"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// testObjectACLs: a canned ACL is recorded per version, verbatim, set on write or later,
// carried from a multipart upload to its object, and never changes anything else.
func testObjectACLs(e *env) {
	b := e.bucket("bkt")
	info, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: "k", Body: bytes.NewReader([]byte("v1")), Size: 2, ACL: "public-read"})
	if err != nil || info.ACL != "public-read" {
		e.t.Fatalf("PutObject with an ACL = %+v, %v", info, err)
	}
	if h := e.head(b, "k"); h.ACL != "public-read" {
		e.t.Fatalf("HeadObject ACL %q", h.ACL)
	}
	if p := e.put(b, "plain", []byte("x")); p.ACL != "" {
		e.t.Fatalf("an object written without an ACL reports %q", p.ACL)
	}
	if err := e.s.SetObjectACL(e.ctx, b, "k", "", "private"); err != nil {
		e.t.Fatal(err)
	}
	h := e.head(b, "k")
	if h.ACL != "private" || h.ETag != info.ETag || !h.LastModified.Equal(info.LastModified) || h.VersionID != info.VersionID {
		e.t.Fatalf("after SetObjectACL HeadObject = %+v, want only the ACL changed from %+v", h, info)
	}
	e.wantBody(b, "k", []byte("v1"))
	if keys := e.keysOf(b); len(keys) != 2 {
		e.t.Fatalf("ListObjects after SetObjectACL = %q", keys)
	}

	// Per version in a versioned bucket.
	e.setVersioning(b, objstore.VersioningEnabled)
	v2, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: "k", Body: bytes.NewReader([]byte("v2")), Size: 2, ACL: "authenticated-read"})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.s.SetObjectACL(e.ctx, b, "k", objstore.NullVersionID, "bucket-owner-full-control"); err != nil {
		e.t.Fatal(err)
	}
	for id, want := range map[string]string{"": "authenticated-read", v2.VersionID: "authenticated-read", objstore.NullVersionID: "bucket-owner-full-control"} {
		got, err := e.s.HeadObject(e.ctx, b, "k", id)
		if err != nil || got.ACL != want {
			e.t.Fatalf("HeadObject(version %q).ACL = %q, %v; want %q", id, got.ACL, err, want)
		}
	}
	if err := e.s.SetObjectACL(e.ctx, b, "k", "", "public-read-write"); err != nil {
		e.t.Fatal(err)
	}
	if o, err := e.s.OpenObject(e.ctx, b, "k", ""); err != nil || o.Info().ACL != "public-read-write" || o.Info().VersionID != v2.VersionID {
		e.t.Fatalf("OpenObject after SetObjectACL on the latest: %v", err)
	} else {
		o.Close()
	}
	e.wantVersions(b, "k", v2.VersionID, objstore.NullVersionID)

	m := e.del(b, "k", "")
	e.wantMarker("SetObjectACL under a delete marker", e.s.SetObjectACL(e.ctx, b, "k", "", "private"), objstore.ErrNoSuchKey, m.VersionID)
	e.wantMarker("SetObjectACL of a delete marker", e.s.SetObjectACL(e.ctx, b, "k", m.VersionID, "private"), objstore.ErrDeleteMarker, m.VersionID)
	e.wantErr("SetObjectACL of a missing key", e.s.SetObjectACL(e.ctx, b, "absent", "", "private"), objstore.ErrNoSuchKey)
	e.wantErr("SetObjectACL of a missing version", e.s.SetObjectACL(e.ctx, b, "plain", v2.VersionID, "private"), objstore.ErrNoSuchVersion)
	e.wantErr("SetObjectACL in a missing bucket", e.s.SetObjectACL(e.ctx, "nope", "k", "", "private"), objstore.ErrNoSuchBucket)

	// A multipart upload's ACL goes to the object it completes.
	u, err := e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: "mp", ACL: "public-read"})
	if err != nil {
		e.t.Fatal(err)
	}
	if got, err := e.s.GetUpload(e.ctx, b, "mp", u.UploadID); err != nil || got.ACL != "public-read" {
		e.t.Fatalf("GetUpload = %+v, %v", got, err)
	}
	mp, err := e.complete(u, []objstore.PartInfo{e.part(u, 1, []byte("only part"))}, objstore.WriteConditions{})
	if err != nil || mp.ACL != "public-read" || e.head(b, "mp").ACL != "public-read" {
		e.t.Fatalf("completed upload = %+v, %v", mp, err)
	}
}
