package disk

import (
	"fmt"
	"testing"
)

// TestBlockCacheNotStarved: pebble charges memtables to its cache, so Open must leave
// CacheSize free for blocks. After writing several memtables' worth of inline bodies, the
// second read of an object finds its blocks in the cache. (Without the room, the 4 MiB
// memtable and the retired one took all of the 8 MiB cache and every read missed.)
func TestBlockCacheNotStarved(t *testing.T) {
	s := openTest(t, t.TempDir(), func(c *Config) { c.NoSync = true })
	mustBucket(t, s, "bkt")
	for i := range 400 { // 12.5 MiB: three 4 MiB memtables
		mustPut(t, s, "bkt", fmt.Sprintf("k%03d", i), payload(uint64(i), 32<<10))
	}
	// Compact everything to the last level first, so that no background compaction replaces
	// a table (and drops its cached blocks) between the two reads.
	if err := s.db.Compact([]byte{0}, []byte{0xff}, true); err != nil {
		t.Fatal(err)
	}
	readAll(t, s, "bkt", "k007")
	before := s.db.Metrics().BlockCache
	readAll(t, s, "bkt", "k007")
	after := s.db.Metrics().BlockCache
	if after.Misses != before.Misses || after.Hits <= before.Hits {
		t.Errorf("second read: %d new hits, %d new misses; cache holds %d bytes", after.Hits-before.Hits, after.Misses-before.Misses, after.Size)
	}
}
