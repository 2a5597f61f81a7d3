package edgecache

import (
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The lock-free memory hits (hot.go) must never outlive what withdrew them: every change
// that the locked path would see is seen by the next Lookup.
func TestHotLookupFollowsChanges(t *testing.T) {
	c := openCache(t, memConfig(t))
	v1, v2 := body(8<<10, 1), body(8<<10, 2)
	put(t, c, "k", testMeta("D", "/a"), v1)
	e := c.Lookup("k")
	if e == nil || e.Bytes() == nil {
		t.Fatal("a small commit is not a memory hit")
	}
	wantBody(t, e.Bytes(), v1)
	e.Release()

	// Refresh: the next hit carries the new metadata.
	m := testMeta("D", "/a")
	m.Header.Set("Etag", `"refreshed"`)
	if err := c.Refresh("k", m); err != nil {
		t.Fatal(err)
	}
	e = c.Lookup("k")
	if got := e.Meta().Header.Get("Etag"); got != `"refreshed"` {
		t.Fatalf("after Refresh a memory hit has ETag %s", got)
	}
	e.Release()

	// Replacement: the new body, never the old one.
	put(t, c, "k", testMeta("D", "/a"), v2)
	e = c.Lookup("k")
	wantBody(t, e.Bytes(), v2)
	e.Release()

	// Invalidation: gone.
	if n := c.Invalidate("D", "/a", false); n != 1 {
		t.Fatalf("Invalidate removed %d entries", n)
	}
	if e := c.Lookup("k"); e != nil {
		e.Release()
		t.Fatal("an invalidated entry is still served from memory")
	}

	// Delete, and eviction from the memory tier (the entry stays on disk).
	put(t, c, "d", testMeta("D", "/d"), v1)
	c.Delete("d")
	if e := c.Lookup("d"); e != nil {
		e.Release()
		t.Fatal("a deleted entry is still served from memory")
	}
	put(t, c, "first", testMeta("D", "/f"), body(60<<10, 3))
	for i := range 40 { // 40 x 60 KiB through a 1 MiB memory tier
		put(t, c, fmt.Sprint("fill", i), testMeta("D", fmt.Sprint("/fill", i)), body(60<<10, byte(i)))
	}
	if c.hot.load("first") != nil {
		t.Fatal("an entry evicted from the memory tier is still in the hot index")
	}
	before := c.Stats().DiskHits
	e = c.Lookup("first")
	if e == nil {
		t.Fatal("the evicted-from-memory entry is gone from disk")
	}
	e.Release()
	if got := c.Stats().DiskHits; got != before+1 {
		t.Fatalf("the evicted entry was not read from disk (disk hits %d -> %d)", before, got)
	}
}

func TestHotLookupPastDeadline(t *testing.T) {
	clock := &testClock{t: epoch}
	cfg := memConfig(t)
	cfg.Now = clock.now
	c := openCache(t, cfg)
	put(t, c, "k", testMeta("D", "/a"), body(4<<10, 1))
	clock.t = epoch.Add(3 * time.Hour) // TTL + Stale is 2 h
	if e := c.Lookup("k"); e != nil {
		e.Release()
		t.Fatal("an entry past StoredAt+TTL+Stale is served from memory")
	}
	if s := c.Stats(); s.Expired != 1 {
		t.Fatalf("Expired = %d, want 1", s.Expired)
	}
}

func TestHotLookupClosed(t *testing.T) {
	c := openCache(t, memConfig(t))
	put(t, c, "k", testMeta("D", "/a"), body(4<<10, 1))
	c.Close()
	if e := c.Lookup("k"); e != nil {
		e.Release()
		t.Fatal("Lookup answers after Close")
	}
}

// TestHotLookupConcurrent runs memory hits against replacements and invalidations of the same
// keys (go test -race is the judge of the locking); every body returned is one that was stored
// whole under that key.
func TestHotLookupConcurrent(t *testing.T) {
	c := openCache(t, memConfig(t))
	versions := [][]byte{body(16<<10, 1), body(16<<10, 2), body(16<<10, 3)}
	keys := []string{"a", "b"}
	for _, k := range keys {
		put(t, c, k, testMeta("D", "/"+k), versions[0])
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var hits atomic.Int64
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				e := c.Lookup(keys[(i+r)%len(keys)])
				if e == nil {
					continue
				}
				if b := e.Bytes(); b != nil {
					hits.Add(1)
					if !bytes.Equal(b, versions[0]) && !bytes.Equal(b, versions[1]) && !bytes.Equal(b, versions[2]) {
						t.Error("a memory hit returned a body that was never stored")
					}
				}
				e.Release()
			}
		}()
	}
	for i := range 300 {
		k := keys[i%len(keys)]
		if i%5 == 0 {
			c.Invalidate("D", "/"+k, false)
		}
		put(t, c, k, testMeta("D", "/"+k), versions[i%len(versions)])
	}
	stop.Store(true)
	wg.Wait()
	if hits.Load() == 0 {
		t.Fatal("no memory hits during the run")
	}
	if s := c.Stats(); s.MemHits != hits.Load() {
		t.Fatalf("Stats.MemHits = %d, readers counted %d", s.MemHits, hits.Load())
	}
}

// TestHotHitsShareOneEntry: every memory hit of a key gets the same entry, which allocates
// nothing per hit and stays readable for one holder after another released it.
func TestHotHitsShareOneEntry(t *testing.T) {
	c := openCache(t, memConfig(t))
	v := body(8<<10, 1)
	put(t, c, "k", testMeta("D", "/a"), v)
	a, b := c.Lookup("k"), c.Lookup("k")
	if a == nil || b == nil || a.Bytes() == nil {
		t.Fatal("a small commit is not a memory hit")
	}
	a.Release()
	r, err := b.NewReader(0, -1)
	if err != nil {
		t.Fatalf("reading a memory hit after another holder released it: %v", err)
	}
	var got bytes.Buffer
	if _, err := got.ReadFrom(r); err != nil {
		t.Fatal(err)
	}
	wantBody(t, got.Bytes(), v)
	b.Release()
	if n := testing.AllocsPerRun(100, func() { c.Lookup("k").Release() }); n != 0 {
		t.Errorf("a memory hit allocates %v times", n)
	}
}
