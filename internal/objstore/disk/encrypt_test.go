package disk

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

func putEnc(t *testing.T, s *Store, key string, body []byte) objstore.ObjectInfo {
	t.Helper()
	info, err := s.PutObject(context.Background(), objstore.PutInput{Bucket: "bkt", Key: key, Body: bytes.NewReader(body), Size: int64(len(body)), Encryption: objstore.EncryptionAES256})
	if err != nil {
		t.Fatalf("PutObject(%q, AES256): %v", key, err)
	}
	return info
}

// readErr opens and reads key whole, returning the first error.
func readErr(s *Store, key string) error {
	o, err := s.OpenObject(context.Background(), "bkt", key, "")
	if err != nil {
		return err
	}
	defer o.Close()
	rc, err := o.NewReader(0, -1)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// readerErr returns the error of opening a reader on key, without reading: a body that cannot
// be decrypted at all must fail here, while the S3 layer can still answer with a status.
func readerErr(s *Store, key string) error {
	o, err := s.OpenObject(context.Background(), "bkt", key, "")
	if err != nil {
		return err
	}
	defer o.Close()
	rc, err := o.NewReader(0, -1)
	if err == nil {
		rc.Close()
	}
	return err
}

// TestEncryptionKeys: objects written under one master key are refused without a key, fail
// as corrupt under another (naming the key mismatch), and read again under the right one.
// Blob files hold exactly crypt's stream.
func TestEncryptionKeys(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	right, wrong := testKey(t, 1), testKey(t, 2)
	s := openTest(t, dir, func(c *Config) { c.MasterKey = right })
	mustBucket(t, s, "bkt")
	bodies := map[string][]byte{"inline": payload(1, 1000), "blob": payload(2, 200<<10)}
	for k, b := range bodies {
		putEnc(t, s, k, b)
	}
	rec, err := s.currentRecord("bkt", "blob")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(blobPath(dir, rec.segs[0].id)); err != nil || fi.Size() != crypt.CiphertextSize(200<<10) {
		t.Fatalf("encrypted blob file: %v, %v; want %d bytes", fi, err, crypt.CiphertextSize(200<<10))
	}
	s.Close()

	s = openTest(t, dir, nil)
	_, err = s.PutObject(ctx, objstore.PutInput{Bucket: "bkt", Key: "x", Body: bytes.NewReader(nil), Encryption: objstore.EncryptionAES256})
	if !errors.Is(err, objstore.ErrEncryptionNotConfigured) {
		t.Fatalf("PutObject AES256 without a key: %v", err)
	}
	if _, err := s.CreateMultipartUpload(ctx, objstore.UploadInfo{Bucket: "bkt", Key: "x", Encryption: objstore.EncryptionAES256}); !errors.Is(err, objstore.ErrEncryptionNotConfigured) {
		t.Fatalf("CreateMultipartUpload AES256 without a key: %v", err)
	}
	for k := range bodies {
		if h, err := s.HeadObject(ctx, "bkt", k, ""); err != nil || h.Encryption != objstore.EncryptionAES256 {
			t.Fatalf("HeadObject(%q) without a key = %+v, %v", k, h, err)
		}
		if err := readerErr(s, k); !errors.Is(err, objstore.ErrEncryptionNotConfigured) {
			t.Fatalf("reading %q without a key: %v", k, err)
		}
	}
	s.Close()

	s = openTest(t, dir, func(c *Config) { c.MasterKey = wrong })
	for k := range bodies {
		if err := readerErr(s, k); !errors.Is(err, objstore.ErrCorrupt) || !errors.Is(err, crypt.ErrWrongMasterKey) {
			t.Fatalf("reading %q under another master key: %v", k, err)
		}
	}
	s.Close()

	s = openTest(t, dir, func(c *Config) { c.MasterKey = right })
	for k, b := range bodies {
		if got := readAll(t, s, "bkt", k); !bytes.Equal(got, b) {
			t.Fatalf("%q under the right key: %d bytes", k, len(got))
		}
	}
	checkNoLeaks(t, s)
}

// TestWrappedKeyBoundToBody swaps the wrapped data keys of two objects in their records: a
// key wrapped for one body's id must not open another body.
func TestWrappedKeyBoundToBody(t *testing.T) {
	s := openTest(t, t.TempDir(), func(c *Config) { c.MasterKey = testKey(t, 3) })
	mustBucket(t, s, "bkt")
	for _, pair := range [][2]string{{"i1", "i2"}, {"b1", "b2"}} {
		size := 100
		if pair[0][0] == 'b' {
			size = 100 << 10
		}
		putEnc(t, s, pair[0], payload(4, size))
		putEnc(t, s, pair[1], payload(5, size))
		a, err := s.currentRecord("bkt", pair[0])
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.currentRecord("bkt", pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if a.inline {
			a.dataWK, b.dataWK = b.dataWK, a.dataWK
		} else {
			a.segs[0].wk, b.segs[0].wk = b.segs[0].wk, a.segs[0].wk
		}
		batch := s.db.NewBatch()
		for i, r := range []*objRecord{a, b} {
			batch.Set(objectKey("bkt", pair[i]), r.encode(), nil)
			batch.Set(versionKey("bkt", pair[i], r.sortKey), r.encode(), nil)
		}
		if err := s.commit(batch); err != nil {
			t.Fatal(err)
		}
		for _, k := range pair {
			if err := readErr(s, k); !errors.Is(err, objstore.ErrCorrupt) || !errors.Is(err, crypt.ErrAuthentication) {
				t.Fatalf("reading %q with another body's key: %v", k, err)
			}
		}
	}
}
