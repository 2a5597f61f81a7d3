package edgecache

import (
	"fmt"
	"testing"
)

func memConfig(t *testing.T) Config {
	cfg := testConfig(t, t.TempDir())
	cfg.MaxMemBytes = 1 << 20
	cfg.MaxMemObjectBytes = 64 << 10
	return cfg
}

// TestCommitKeepsFileOfMemoryEntry: a body bound for the memory tier keeps its fill's file
// open as its entry's, so a lookup before the memory copy exists reads that file instead of
// opening it and making a copy of its own; other bodies do not hold a descriptor.
func TestCommitKeepsFileOfMemoryEntry(t *testing.T) {
	c := openCache(t, memConfig(t))
	put(t, c, "small", testMeta("D", "/s"), body(32<<10, 1))
	put(t, c, "large", testMeta("D", "/l"), body(100<<10, 2))
	c.mu.Lock()
	small, large := c.items["small"], c.items["large"]
	c.mu.Unlock()
	if small.h == nil || small.mem == nil {
		t.Fatalf("small body: open file %v, memory copy %v; want both", small.h != nil, small.mem != nil)
	}
	if large.h != nil || large.mem != nil {
		t.Fatalf("large body: open file %v, memory copy %v; want neither", large.h != nil, large.mem != nil)
	}
	if s := c.Stats(); s.DiskHits != 0 || s.MemHits != 0 {
		t.Fatalf("commits counted as hits: %+v", s)
	}
}

func TestMemTierServesSmallCommits(t *testing.T) {
	c := openCache(t, memConfig(t))
	small, large := body(32<<10, 1), body(100<<10, 2)
	put(t, c, "small", testMeta("D", "/s"), small)
	put(t, c, "large", testMeta("D", "/l"), large)
	e := c.Lookup("small")
	if e.Bytes() == nil {
		t.Fatal("a small committed body is not served from memory")
	}
	wantBody(t, e.Bytes(), small)
	got, err := readAll(t, e, 100, 50)
	if err != nil {
		t.Fatal(err)
	}
	wantBody(t, got, small[100:150])
	e.Release()
	e = c.Lookup("large")
	if e.Bytes() != nil {
		t.Fatal("a body above MaxMemObjectBytes is in memory")
	}
	e.Release()
	got, _ = mustGet(t, c, "large")
	wantBody(t, got, large)
	if s := c.Stats(); s.MemObjects != 1 || s.MemBytes != 32<<10 || s.MemHits != 1 || s.DiskHits != 2 {
		t.Fatalf("stats = %+v", s)
	}
}

// TestMemTierPromotesDiskHits: after a restart the memory tier is empty; a disk hit on a small
// body reads it back into memory.
func TestMemTierPromotesDiskHits(t *testing.T) {
	cfg := memConfig(t)
	c, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := body(10_000, 4)
	put(t, c, "k", testMeta("D", "/k"), b)
	c.Close()
	c2 := openCache(t, cfg)
	if s := c2.Stats(); s.MemObjects != 0 {
		t.Fatalf("memory tier not empty after Open: %+v", s)
	}
	got, _ := mustGet(t, c2, "k") // disk hit, promoted
	wantBody(t, got, b)
	e := c2.Lookup("k")
	defer e.Release()
	if e.Bytes() == nil {
		t.Fatal("second hit not served from memory")
	}
	if s := c2.Stats(); s.DiskHits != 1 || s.MemHits != 1 {
		t.Fatalf("stats = %+v", s)
	}
}

// TestMemTierRejectsCorruptBody: promotion checks the body CRC, so a damaged block is
// neither promoted nor served from memory.
func TestMemTierRejectsCorruptBody(t *testing.T) {
	cfg := memConfig(t)
	c, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	put(t, c, "k", testMeta("D", "/k"), body(10_000, 4))
	p := c.objPath(c.items["k"].seq)
	c.Close()
	c2 := openCache(t, cfg) // clean: bodies not verified at Open
	zero(t, p, 10, 10)
	e := c2.Lookup("k")
	defer e.Release()
	if e.Bytes() != nil {
		t.Fatal("a body failing its CRC was promoted to memory")
	}
}

func TestMemTierBoundedAndInclusive(t *testing.T) {
	c := openCache(t, memConfig(t))
	for i := range 100 {
		put(t, c, fmt.Sprint(i), testMeta("D", fmt.Sprintf("/%d", i)), body(32<<10, byte(i)))
		if s := c.Stats(); s.MemBytes > 1<<20 {
			t.Fatalf("MemBytes %d > 1 MiB", s.MemBytes)
		}
	}
	s := c.Stats()
	if s.MemEvictions == 0 || s.DiskObjects != 100 {
		t.Fatalf("stats = %+v", s)
	}
	// Invalidation drops the memory copy too.
	c.Invalidate("D", "/*", true)
	if s := c.Stats(); s.MemBytes != 0 || s.MemObjects != 0 || s.DiskObjects != 0 {
		t.Fatalf("after Invalidate: %+v", s)
	}
	// Memory copies survive neither replacement: the new body is what hits return.
	put(t, c, "r", testMeta("D", "/r"), body(100, 1))
	put(t, c, "r", testMeta("D", "/r"), body(100, 2))
	e := c.Lookup("r")
	defer e.Release()
	wantBody(t, e.Bytes(), body(100, 2))
	if s := c.Stats(); s.MemObjects != 1 {
		t.Fatalf("after replacement: %+v", s)
	}
}
