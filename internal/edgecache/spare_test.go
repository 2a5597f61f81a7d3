package edgecache

import (
	"fmt"
	"os"
	"testing"
)

// tmpFiles counts the files in the cache's temp directory.
func tmpFiles(t *testing.T, c *Cache) int {
	t.Helper()
	ents, err := os.ReadDir(c.tmpDir)
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// TestSpareFillFiles: an open cache keeps spareFills empty files ready; fills take them, more
// concurrent fills than spares create their own, every body lands whole, the spares are made
// again after the commits, and Close leaves no file behind.
func TestSpareFillFiles(t *testing.T) {
	dir := t.TempDir()
	c := openCache(t, testConfig(t, dir))
	if n := tmpFiles(t, c); n != spareFills {
		t.Fatalf("%d files in tmp after Open, want %d spares", n, spareFills)
	}
	const fills = spareFills + 2
	var fs []*Fill
	for i := range fills {
		f, _, started := c.Begin(fmt.Sprint("k", i), testMeta("D", fmt.Sprint("/", i)))
		if !started {
			t.Fatalf("fill %d did not start", i)
		}
		fs = append(fs, f)
	}
	if n := tmpFiles(t, c); n != fills {
		t.Fatalf("%d files in tmp with %d fills running, want one each (no spare left)", n, fills)
	}
	for i, f := range fs {
		b := body(1000+i, byte(i))
		if _, err := f.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := f.Commit(int64(len(b))); err != nil {
			t.Fatal(err)
		}
	}
	for i := range fills {
		got, _ := mustGet(t, c, fmt.Sprint("k", i))
		wantBody(t, got, body(1000+i, byte(i)))
	}
	if n := tmpFiles(t, c); n != spareFills {
		t.Fatalf("%d files in tmp after the commits, want %d spares", n, spareFills)
	}
	c.Close()
	if n := tmpFiles(t, c); n != 0 {
		t.Fatalf("%d files left in tmp after Close", n)
	}
}
