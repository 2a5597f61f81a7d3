package disk

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

func smallParts(c *Config) { c.MinPartSize = 1 << 10 }

func TestReopenKeepsEverything(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, smallParts)
	if err := s.CreateBucket(ctx, objstore.Bucket{Name: "west", Region: "us-west-2"}); err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{"small": payload(1, 10), "large": payload(2, 500<<10), "empty": nil}
	for k, b := range bodies {
		mustPut(t, s, "west", k, b)
	}
	u, err := s.CreateMultipartUpload(ctx, objstore.UploadInfo{Bucket: "west", Key: "mp"})
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := payload(3, 2<<10), payload(4, 5)
	var parts []objstore.CompletePart
	for i, body := range [][]byte{p1, p2} {
		p, err := s.UploadPart(ctx, objstore.UploadPartInput{Bucket: "west", Key: "mp", UploadID: u.UploadID, PartNumber: i + 1, Body: bytes.NewReader(body), Size: int64(len(body))})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, objstore.CompletePart{PartNumber: p.PartNumber, ETag: p.ETag})
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, smallParts)
	b, err := s.GetBucket(ctx, "west")
	if err != nil || b.Region != "us-west-2" {
		t.Fatalf("GetBucket after reopen = %+v, %v", b, err)
	}
	for k, want := range bodies {
		if got := readAll(t, s, "west", k); !bytes.Equal(got, want) {
			t.Fatalf("%s after reopen: %d bytes, want %d", k, len(got), len(want))
		}
	}
	if _, err := s.CompleteMultipartUpload(ctx, "west", "mp", u.UploadID, parts, objstore.WriteConditions{}); err != nil {
		t.Fatalf("Complete after reopen: %v", err)
	}
	if got := readAll(t, s, "west", "mp"); !bytes.Equal(got, append(p1, p2...)) {
		t.Fatal("multipart body after reopen differs")
	}
	checkNoLeaks(t, s)
}

// TestOrphanCleanup leaves behind what a crash at each step of a write would: a temporary
// file, a published blob whose commit never happened, a blob whose gc marker was committed
// but not acted on, and a blob doomed while pinned by an open Object at Close.
func TestOrphanCleanup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	mustBucket(t, s, "bkt")
	keep := payload(1, 300<<10)
	mustPut(t, s, "bkt", "keep", keep)

	if err := os.WriteFile(filepath.Join(dir, "tmp", "half-received"), []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	pending, err := s.createBlob()
	if err != nil {
		t.Fatal(err)
	}
	pending.Write(payload(2, 1000))
	if err := pending.publish(); err != nil {
		t.Fatal(err)
	}
	collected, err := s.createBlob()
	if err != nil {
		t.Fatal(err)
	}
	if err := collected.publish(); err != nil {
		t.Fatal(err)
	}
	batch := s.db.NewBatch()
	batch.Delete(pendingKey(collected.id), nil)
	batch.Set(gcKey(collected.id), nil, nil)
	if err := s.commit(batch); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, "bkt", "pinned", payload(3, 200<<10))
	o, err := s.OpenObject(ctx, "bkt", "pinned", "")
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, "bkt", "pinned", []byte("replaced"))
	if n := len(blobFiles(t, dir)); n != 4 {
		t.Fatalf("%d blob files before the crash, want 4 (keep, pending, collected, pinned)", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	o.Close() // after Close: the doomed blob stays for Open to remove

	s = openTest(t, dir, nil)
	checkNoLeaks(t, s)
	if files := blobFiles(t, dir); len(files) != 1 {
		t.Fatalf("after Open %d blob files remain, want only keep's", len(files))
	}
	if got := readAll(t, s, "bkt", "keep"); !bytes.Equal(got, keep) {
		t.Fatal("the committed object did not survive orphan cleanup")
	}
	if got := readAll(t, s, "bkt", "pinned"); string(got) != "replaced" {
		t.Fatalf("pinned = %q", got)
	}
}

// TestNoLeakedBlobs runs every operation that retires blobs and checks that exactly the
// referenced ones remain.
func TestNoLeakedBlobs(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), smallParts)
	mustBucket(t, s, "bkt")
	mustPut(t, s, "bkt", "k", payload(1, 100<<10))
	mustPut(t, s, "bkt", "k", payload(2, 200<<10)) // blob replaces blob
	mustPut(t, s, "bkt", "k", payload(3, 10))      // inline replaces blob
	mustPut(t, s, "bkt", "k", payload(4, 10))      // inline replaces inline
	mustPut(t, s, "bkt", "gone", payload(5, 100<<10))
	if _, err := s.DeleteObject(ctx, "bkt", "gone", ""); err != nil {
		t.Fatal(err)
	}
	upload := func(key string, n int) (objstore.UploadInfo, []objstore.CompletePart) {
		u, err := s.CreateMultipartUpload(ctx, objstore.UploadInfo{Bucket: "bkt", Key: key})
		if err != nil {
			t.Fatal(err)
		}
		var cps []objstore.CompletePart
		for i := 1; i <= n; i++ {
			for rep := 0; rep < 2; rep++ { // every part uploaded twice: the first is replaced
				body := payload(uint64(10*i+rep), 2<<10)
				p, err := s.UploadPart(ctx, objstore.UploadPartInput{Bucket: "bkt", Key: key, UploadID: u.UploadID, PartNumber: i, Body: bytes.NewReader(body), Size: int64(len(body))})
				if err != nil {
					t.Fatal(err)
				}
				if rep == 1 {
					cps = append(cps, objstore.CompletePart{PartNumber: i, ETag: p.ETag})
				}
			}
		}
		return u, cps
	}
	u, cps := upload("mp", 4)
	if _, err := s.CompleteMultipartUpload(ctx, "bkt", "mp", u.UploadID, []objstore.CompletePart{cps[0], cps[2]}, objstore.WriteConditions{}); err != nil {
		t.Fatal(err)
	}
	u, _ = upload("aborted", 3)
	if err := s.AbortMultipartUpload(ctx, "bkt", "aborted", u.UploadID); err != nil {
		t.Fatal(err)
	}
	u, cps = upload("mp", 2) // a multipart object replaces a multipart object
	if _, err := s.CompleteMultipartUpload(ctx, "bkt", "mp", u.UploadID, cps, objstore.WriteConditions{}); err != nil {
		t.Fatal(err)
	}
	upload("open", 2) // an upload in progress keeps its parts
	// Failed writes leave nothing behind either.
	bad := [16]byte{}
	if _, err := s.PutObject(ctx, objstore.PutInput{Bucket: "bkt", Key: "k", Body: bytes.NewReader(payload(6, 100<<10)), Size: 100 << 10, ContentMD5: bad[:]}); !errors.Is(err, objstore.ErrBadDigest) {
		t.Fatalf("bad digest: %v", err)
	}
	checkNoLeaks(t, s)
	if n := len(blobFiles(t, s.cfg.Dir)); n != 4 { // mp's 2 parts and open's 2 parts, nothing else
		t.Fatalf("%d blob files, want 4", n)
	}
}

// TestNothingOutsideDir writes keys that look like paths and checks that the tree under the
// parent directory holds only the data directory, laid out as documented.
func TestNothingOutsideDir(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "data")
	s := openTest(t, dir, smallParts)
	mustBucket(t, s, "bkt")
	for i, k := range []string{"../x", "../../../../../tmp/escape", "/etc/passwd", "a/../../b", "..", "%2e%2e%2f", `..\..\win`, "blobs/00/x", "meta/CURRENT", "tmp/x"} {
		mustPut(t, s, "bkt", k, payload(uint64(i), 100<<10))
		u, err := s.CreateMultipartUpload(ctx, objstore.UploadInfo{Bucket: "bkt", Key: k})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UploadPart(ctx, objstore.UploadPartInput{Bucket: "bkt", Key: k, UploadID: u.UploadID, PartNumber: 1, Body: bytes.NewReader([]byte("p")), Size: 1}); err != nil {
			t.Fatal(err)
		}
	}
	top, err := os.ReadDir(parent)
	if err != nil || len(top) != 1 || top[0].Name() != "data" {
		t.Fatalf("the parent holds %v, want only data", top)
	}
	blob := regexp.MustCompile(`^blobs/([0-9a-f]{2})/[0-9a-f]{30}([0-9a-f]{2})$`)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if m := blob.FindStringSubmatch(rel); m != nil && m[1] == m[2] {
			return nil
		}
		if matched, _ := filepath.Match("meta/*", rel); matched {
			return nil
		}
		t.Errorf("unexpected file %s", rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestClosed(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), nil)
	mustBucket(t, s, "bkt")
	body := payload(1, 300<<10)
	mustPut(t, s, "bkt", "k", body)
	o, err := s.OpenObject(ctx, "bkt", "k", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err = s.HeadObject(ctx, "bkt", "k", "")
	if !errors.Is(err, objstore.ErrClosed) {
		t.Fatalf("HeadObject after Close: %v", err)
	}
	if _, err := s.PutObject(ctx, objstore.PutInput{Bucket: "bkt", Key: "k", Body: bytes.NewReader(nil)}); !errors.Is(err, objstore.ErrClosed) {
		t.Fatalf("PutObject after Close: %v", err)
	}
	if _, err := s.GetBucketConfig(ctx, "bkt", "policy"); !errors.Is(err, objstore.ErrClosed) {
		t.Fatalf("GetBucketConfig after Close: %v", err)
	}
	if err := s.PutBucketConfig(ctx, "bkt", "policy", nil); !errors.Is(err, objstore.ErrClosed) {
		t.Fatalf("PutBucketConfig after Close: %v", err)
	}
	// An Object opened before Close still reads.
	rc, err := o.NewReader(0, -1)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := got.ReadFrom(rc); err != nil || !bytes.Equal(got.Bytes(), body) {
		t.Fatalf("reading an open Object after Close: %d bytes, %v", got.Len(), err)
	}
	o.Close()
}

// TestKeysWithNUL covers keys holding 0x00, which the upload key escaping exists for.
func TestKeysWithNUL(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), nil)
	mustBucket(t, s, "bkt")
	keys := []string{"a", "a\x00", "a\x00b", "a\x01", "a\x00\x00"}
	for _, k := range keys {
		mustPut(t, s, "bkt", k, []byte(k))
		if _, err := s.CreateMultipartUpload(ctx, objstore.UploadInfo{Bucket: "bkt", Key: k}); err != nil {
			t.Fatal(err)
		}
	}
	want := slices.Clone(keys)
	slices.Sort(want)
	res, err := s.ListObjects(ctx, "bkt", objstore.ListInput{MaxKeys: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range res.Objects {
		got = append(got, o.Key)
		if string(readAll(t, s, "bkt", o.Key)) != o.Key {
			t.Fatalf("body of %q differs", o.Key)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("objects %q, want %q", got, want)
	}
	ups, err := s.ListMultipartUploads(ctx, "bkt", objstore.ListUploadsInput{MaxUploads: 100})
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, u := range ups.Uploads {
		got = append(got, u.Key)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("uploads %q, want %q", got, want)
	}
	ups, err = s.ListMultipartUploads(ctx, "bkt", objstore.ListUploadsInput{MaxUploads: 100, Prefix: "a\x00"})
	if err != nil || len(ups.Uploads) != 3 {
		t.Fatalf("uploads under a\\x00: %+v, %v", ups, err)
	}
}

// TestMissingInlineBody: a record whose inline body is gone is reported as corruption, not
// retried forever as if a writer had replaced it.
func TestMissingInlineBody(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	mustBucket(t, s, "bkt")
	mustPut(t, s, "bkt", "k", []byte("body"))
	scan(t, s, nsData, func(k, _ []byte) {
		if err := s.db.Delete(k, nil); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := s.OpenObject(context.Background(), "bkt", "k", ""); !errors.Is(err, errCorrupt) {
		t.Fatalf("OpenObject = %v, want errCorrupt", err)
	}
}
