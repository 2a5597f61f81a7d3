package disk

import (
	"fmt"
	"os"
	"testing"

	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/objstore/storetest"
)

// openTest opens a store in a fresh directory, closed when the test ends.
func openTest(t testing.TB, dir string, adjust func(*Config)) *Store {
	t.Helper()
	cfg := NewDefaultConfig()
	cfg.Dir = dir
	cfg.CacheSize = 8 << 20
	cfg.MemTableSize = 4 << 20
	if adjust != nil {
		adjust(&cfg)
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testKey returns a master key derived from seed.
func testKey(t testing.TB, seed uint64) *crypt.MasterKey {
	t.Helper()
	k, err := crypt.MasterKeyFromBytes(payload(seed, crypt.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestConformance(t *testing.T) {
	key := testKey(t, 99)
	for _, v := range []struct {
		name   string
		adjust func(*Config)
	}{
		// The defaults, with fsync, parts larger than one 256 KiB buffer, and a master key.
		{"default", func(c *Config) { c.MinPartSize = 300 << 10; c.MasterKey = key }},
		// Every non-empty body in a blob file, and tiny parts; without fsync, which the
		// default variant covers, to keep the suite quick; without a master key, so
		// encryption is refused.
		{"blobs", func(c *Config) { c.InlineMax = 0; c.MinPartSize = 1 << 10; c.NoSync = true }},
	} {
		t.Run(v.name, func(t *testing.T) {
			cfg := NewDefaultConfig()
			v.adjust(&cfg)
			opts := storetest.Options{
				MinPartSize: cfg.MinPartSize,
				Encrypted:   cfg.MasterKey != nil,
				AtRest: func(s objstore.Store) (string, error) {
					d := s.(*Store)
					return d.cfg.Dir, d.db.Flush()
				},
				Corrupt: func(s objstore.Store, bucket, key string) error { return corrupt(s.(*Store), bucket, key) },
			}
			storetest.RunWithOptions(t, opts, func(t *testing.T) objstore.Store {
				s := openTest(t, t.TempDir(), v.adjust)
				// Cleanups run last-in first-out: this one before the store closes. Every
				// test must leave exactly the blobs and records its versions reference.
				t.Cleanup(func() {
					if !t.Failed() {
						checkNoLeaks(t, s)
					}
				})
				return s
			})
		})
	}
}

// corrupt flips a byte in the middle of the stored body of bucket/key's latest version: in
// its inline d/ value or in its first blob file.
func corrupt(s *Store, bucket, key string) error {
	rec, err := s.currentRecord(bucket, key)
	if err != nil || rec == nil {
		return fmt.Errorf("no current version: %v", err)
	}
	if rec.inline {
		v, found, err := s.get(dataKey(rec.dataID))
		if err != nil || !found {
			return fmt.Errorf("inline body: %v", err)
		}
		v[len(v)/2] ^= 0x01
		return s.db.Set(dataKey(rec.dataID), v, nil)
	}
	f, err := os.OpenFile(blobPath(s.cfg.Dir, rec.segs[0].id), os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, fi.Size()/2); err != nil {
		return err
	}
	b[0] ^= 0x01
	_, err = f.WriteAt(b, fi.Size()/2)
	return err
}
