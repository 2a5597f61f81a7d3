package disk

import (
	"bytes"
	"context"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// encodeV1 is the format 1 object record encoding, as stores before versioning wrote it.
func encodeV1(r *objRecord) []byte {
	e := enc{}
	e.byte(recordFormatV1)
	var flags byte
	if r.inline {
		flags |= flagInline
	}
	e.byte(flags)
	e.int(r.size)
	e.int(r.modified)
	e.raw(r.md5[:])
	e.uint(uint64(r.parts))
	e.str(r.versionID)
	e.str(r.meta.StorageClass)
	e.checksum(r.checksum)
	e.meta(&r.meta)
	if r.inline {
		e.id(r.dataID)
	} else {
		e.uint(uint64(len(r.segs)))
		for _, s := range r.segs {
			e.id(s.id)
			e.int(s.size)
		}
	}
	return e.b
}

// TestMigrateUnversionedStore turns a store as the previous layout left it (format 1 o/
// records, no v/ or n/ records, no x/format) back into one, reopens it, and checks that every
// object became a readable null version that versioning then keeps.
func TestMigrateUnversionedStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	mustBucket(t, s, "old")
	bodies := map[string][]byte{"small": payload(1, 100), "large": payload(2, 300<<10), "x\x00y": nil}
	for k, b := range bodies {
		mustPut(t, s, "old", k, b)
	}
	batch := s.db.NewBatch()
	scan(t, s, nsObject, func(k, v []byte) {
		rec, err := decodeObject(v, false)
		if err != nil {
			t.Fatal(err)
		}
		batch.Set(k, encodeV1(&rec), nil)
	})
	for _, ns := range []string{nsVersion, nsNull} {
		scan(t, s, ns, func(k, _ []byte) { batch.Delete(k, nil) })
	}
	batch.Delete([]byte(keyFormat), nil)
	if err := s.commit(batch); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, nil)
	checkNoLeaks(t, s)
	for k, want := range bodies {
		if got := readAll(t, s, "old", k); !bytes.Equal(got, want) {
			t.Fatalf("%q after migration: %d bytes, want %d", k, len(got), len(want))
		}
		if info, err := s.HeadObject(ctx, "old", k, objstore.NullVersionID); err != nil || !info.IsLatest {
			t.Fatalf("HeadObject(%q, null) = %+v, %v", k, info, err)
		}
	}
	if err := s.SetBucketVersioning(ctx, "old", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	v := mustPut(t, s, "old", "large", []byte("new"))
	res, err := s.ListObjectVersions(ctx, "old", objstore.ListVersionsInput{Prefix: "large", MaxKeys: 10})
	if err != nil || len(res.Versions) != 2 || res.Versions[0].VersionID != v.VersionID || res.Versions[1].VersionID != objstore.NullVersionID {
		t.Fatalf("versions after migration and a versioned put: %+v, %v", res.Versions, err)
	}
	checkNoLeaks(t, s)
	// A second Open finds the store migrated and changes nothing.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, nil)
	if got := readAll(t, s, "old", "small"); !bytes.Equal(got, bodies["small"]) {
		t.Fatal("small changed after a second Open")
	}
	checkNoLeaks(t, s)
}
