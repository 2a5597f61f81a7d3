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

// checkNoLeaks fails unless the blob files are exactly those the object and part records
// reference, no pending or gc marker remains, every d/ value is referenced, and tmp/ is
// empty.
func checkNoLeaks(t testing.TB, s *Store) {
	t.Helper()
	want := map[string]bool{}
	data := map[string]bool{}
	scan(t, s, nsObject, func(k, v []byte) {
		rec, err := decodeObject(v, false)
		if err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		if rec.inline {
			data[rec.dataID.String()] = true
		}
		for _, id := range rec.blobs() {
			want[id.String()] = true
		}
	})
	scan(t, s, nsPart, func(k, v []byte) {
		rec, err := decodePart(v)
		if err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		want[rec.blob.String()] = true
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
}
