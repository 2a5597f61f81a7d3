package disk

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

func payload(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func mustPut(t testing.TB, s *Store, bucket, key string, body []byte) objstore.ObjectInfo {
	t.Helper()
	info, err := s.PutObject(context.Background(), objstore.PutInput{Bucket: bucket, Key: key, Body: bytes.NewReader(body), Size: int64(len(body))})
	if err != nil {
		t.Fatalf("PutObject(%q): %v", key, err)
	}
	return info
}

func mustBucket(t testing.TB, s *Store, name string) {
	t.Helper()
	if err := s.CreateBucket(context.Background(), objstore.Bucket{Name: name}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
}

func readAll(t testing.TB, s *Store, bucket, key string) []byte {
	t.Helper()
	o, err := s.OpenObject(context.Background(), bucket, key, "")
	if err != nil {
		t.Fatalf("OpenObject(%q): %v", key, err)
	}
	defer o.Close()
	rc, err := o.NewReader(0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %q: %v", key, err)
	}
	return b
}

// blobFiles lists the file names under blobs/.
func blobFiles(t testing.TB, dir string) map[string]bool {
	t.Helper()
	files := map[string]bool{}
	subdirs, err := os.ReadDir(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range subdirs {
		entries, err := os.ReadDir(filepath.Join(dir, "blobs", d.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			files[e.Name()] = true
		}
	}
	return files
}

// scan calls fn for every metadata key and value under prefix.
func scan(t testing.TB, s *Store, prefix string, fn func(k, v []byte)) {
	t.Helper()
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte(prefix), UpperBound: prefixEnd([]byte(prefix))})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		fn(it.Key(), it.Value())
	}
}

// checkNoLeaks fails unless the blob files are exactly those the version and part records
// reference (each by one record), no pending or gc marker remains, every d/ value is
// referenced, tmp/ is empty, and the o/ and n/ records agree with the v/ records.
func checkNoLeaks(t testing.TB, s *Store) {
	t.Helper()
	want := map[string]bool{}
	data := map[string]bool{}
	own := func(m map[string]bool, id blobID, k []byte) {
		if m[id.String()] {
			t.Errorf("%q references %s, which another record references too", k, id)
		}
		m[id.String()] = true
	}
	scan(t, s, nsVersion, func(k, v []byte) {
		rec, err := decodeObject(v, false)
		if err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		if rec.inline {
			own(data, rec.dataID, k)
		}
		for _, id := range rec.blobs() {
			own(want, id, k)
		}
	})
	scan(t, s, nsPart, func(k, v []byte) {
		rec, err := decodePart(v)
		if err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		own(want, rec.blob, k)
	})
	got := blobFiles(t, s.cfg.Dir)
	for f := range got {
		if !want[f] {
			t.Errorf("blob file %s is referenced by no record", f)
		}
	}
	for f := range want {
		if !got[f] {
			t.Errorf("blob %s is referenced but missing", f)
		}
	}
	scan(t, s, nsData, func(k, _ []byte) {
		var id blobID
		copy(id[:], k[len(nsData):])
		if !data[id.String()] {
			t.Errorf("inline body %s is referenced by no record", id)
		}
	})
	for _, ns := range []string{nsPending, nsGC} {
		scan(t, s, ns, func(k, _ []byte) { t.Errorf("marker %q remains", k) })
	}
	if tmp, _ := os.ReadDir(filepath.Join(s.cfg.Dir, "tmp")); len(tmp) != 0 {
		t.Errorf("tmp/ holds %d files", len(tmp))
	}
	checkVersionIndex(t, s)
}

// checkVersionIndex checks the invariants of the key schema: o/ is byte for byte the newest
// v/ record of its key unless that is a delete marker, versions sort newest first by
// sequence, a key has at most one null version, and n/ indexes exactly the null versions.
func checkVersionIndex(t testing.TB, s *Store) {
	t.Helper()
	type keyState struct {
		newest   []byte
		marker   bool // the newest version is a delete marker
		mirrored bool // an o/ record exists
		nulls    []sortKey
		lastSeq  uint64
		versions int
	}
	keys := map[string]*keyState{} // "bucket/key"
	scan(t, s, nsVersion, func(k, v []byte) {
		rest := k[len(nsVersion):]
		slash := bytes.IndexByte(rest, '/')
		key, sk, err := parseVersionKey(rest[slash+1:])
		if err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		rec, err := decodeObject(v, false)
		if err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		if rec.sortKey != sk {
			t.Errorf("%q holds a record with sort key %x", k, rec.sortKey)
		}
		if rec.versionID != objstore.NullVersionID && rec.versionID != sk.versionID() {
			t.Errorf("%q holds version id %q", k, rec.versionID)
		}
		id := string(rest[:slash]) + "/" + key
		st := keys[id]
		if st == nil {
			st = &keyState{newest: bytes.Clone(v), marker: rec.deleteMarker}
			keys[id] = st
		} else if sk.seq() >= st.lastSeq {
			t.Errorf("%q: versions out of order", id)
		}
		st.lastSeq = sk.seq()
		st.versions++
		if rec.versionID == objstore.NullVersionID {
			st.nulls = append(st.nulls, sk)
		}
	})
	scan(t, s, nsObject, func(k, v []byte) {
		id := string(k[len(nsObject):])
		st := keys[id]
		switch {
		case st == nil:
			t.Errorf("o/ record %q has no version", id)
		case st.marker:
			t.Errorf("o/ record %q exists while its latest version is a delete marker", id)
		case !bytes.Equal(st.newest, v):
			t.Errorf("o/ record %q differs from its newest version", id)
		}
		if st != nil {
			st.mirrored = true
		}
	})
	nulls := map[string]sortKey{}
	scan(t, s, nsNull, func(k, v []byte) { nulls[string(k[len(nsNull):])] = sortKey(v) })
	for id, st := range keys {
		if !st.marker && !st.mirrored {
			t.Errorf("%q: latest version is an object but o/ is missing", id)
		}
		if len(st.nulls) > 1 {
			t.Errorf("%q has %d null versions", id, len(st.nulls))
		}
		if len(st.nulls) == 1 && nulls[id] != st.nulls[0] {
			t.Errorf("%q: n/ index %x, null version %x", id, nulls[id], st.nulls[0])
		}
		if len(st.nulls) == 0 {
			if _, ok := nulls[id]; ok {
				t.Errorf("%q: n/ index without a null version", id)
			}
		}
		delete(nulls, id)
	}
	for id := range nulls {
		t.Errorf("n/ index %q of a key without versions", id)
	}
}
