package disk

import (
	"testing"

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

func TestConformance(t *testing.T) {
	for _, v := range []struct {
		name   string
		adjust func(*Config)
	}{
		// The defaults, with fsync, and parts larger than one 256 KiB buffer.
		{"default", func(c *Config) { c.MinPartSize = 300 << 10 }},
		// Every non-empty body in a blob file, and tiny parts; without fsync, which the
		// default variant covers, to keep the suite quick.
		{"blobs", func(c *Config) { c.InlineMax = 0; c.MinPartSize = 1 << 10; c.NoSync = true }},
	} {
		t.Run(v.name, func(t *testing.T) {
			cfg := NewDefaultConfig()
			v.adjust(&cfg)
			storetest.RunWithOptions(t, storetest.Options{MinPartSize: cfg.MinPartSize}, func(t *testing.T) objstore.Store {
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
