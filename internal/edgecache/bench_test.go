package edgecache

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func benchCache(b *testing.B, mem bool) *Cache {
	cfg := testConfig(b, b.TempDir())
	cfg.MaxDiskBytes = 1 << 30
	if mem {
		cfg.MaxMemBytes = 256 << 20
	}
	return openCache(b, cfg)
}

// benchHit measures Lookup plus reading a 32 KiB body, the edge's hit path.
func benchHit(b *testing.B, mem bool) {
	c := benchCache(b, mem)
	const keys = 64
	data := body(32<<10, 1)
	for i := range keys {
		put(b, c, fmt.Sprintf("D|/img/%d.png", i), testMeta("D", "/img"), data)
	}
	names := make([]string, keys)
	for i := range names {
		names[i] = fmt.Sprintf("D|/img/%d.png", i)
	}
	buf := make([]byte, 32<<10)
	b.SetBytes(32 << 10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e := c.Lookup(names[i%keys])
		if mem {
			if p := e.Bytes(); len(p) != 32<<10 {
				b.Fatal("not a memory hit")
			}
		} else {
			r, err := e.NewReader(0, -1)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(r, buf); err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
		e.Release()
	}
}

func BenchmarkLookupMem32K(b *testing.B)  { benchHit(b, true) }
func BenchmarkLookupDisk32K(b *testing.B) { benchHit(b, false) }

// BenchmarkFill32K measures Begin, Write and Commit of a 32 KiB body (one temp file create,
// one write, the trailer, one rename), the store side of a miss.
func BenchmarkFill32K(b *testing.B) {
	c := benchCache(b, false)
	data := body(32<<10, 2)
	m := testMeta("D", "/img")
	b.SetBytes(32 << 10)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f, _, started := c.Begin(fmt.Sprintf("D|/img/%d.png", i%4096), m)
		if !started {
			b.Fatal("fill not started")
		}
		f.Write(data)
		if err := f.Commit(int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen100k measures Open of a directory holding 100,000 entries (1 KiB bodies), after
// a clean Close (the snapshot) and after a crash (every trailer and body checked).
func BenchmarkOpen100k(b *testing.B) {
	dir := b.TempDir()
	cfg := testConfig(b, dir)
	cfg.MaxDiskBytes = 1 << 30
	c, err := Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	data := body(1<<10, 3)
	for i := range 100_000 {
		m := testMeta(fmt.Sprintf("D%d", i%10), fmt.Sprintf("/images/%d/%d.png", i%100, i))
		put(b, c, fmt.Sprintf("%s|%s|gzip", m.Dist, m.Path), m, data)
	}
	c.Close()
	for _, unclean := range []bool{false, true} {
		b.Run(fmt.Sprintf("unclean=%v", unclean), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if unclean {
					b.StopTimer()
					os.WriteFile(filepath.Join(dir, "dirty"), nil, 0o600)
					b.StartTimer()
				}
				c, err := Open(cfg)
				if err != nil {
					b.Fatal(err)
				}
				if s := c.Stats(); s.Loaded != 100_000 {
					b.Fatalf("loaded %d", s.Loaded)
				}
				b.StopTimer()
				c.Close()
				b.StartTimer()
			}
		})
	}
}
