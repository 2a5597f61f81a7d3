package edgecache

import (
	"hash/crc32"
	"os"
)

// The memory tier holds copies of small bodies whose entries are on disk (it is inclusive:
// evicting from disk drops the copy, evicting from memory leaves the file). It has its own
// S3-FIFO, so a burst of one-hit objects cycles through its small queue without pushing the hot
// set out. Bodies enter when a fill commits and when a disk hit reads one back.

// memEligible reports whether a body of size bytes may be held in memory.
func (c *Cache) memEligible(size int64) bool {
	return c.mem != nil && size <= c.cfg.MaxMemObjectBytes
}

// admitMem makes body resident for it, evicting to fit MaxMemBytes. c.mu held.
func (c *Cache) admitMem(it *item, body []byte) {
	if c.mem == nil || it.mem != nil || c.items[it.key] != it {
		return
	}
	it.mem = body
	it.mn.size = int64(len(body))
	c.mem.insert(&it.mn)
	for c.mem.bytes() > c.cfg.MaxMemBytes {
		n := c.mem.evict()
		if n == nil {
			break
		}
		n.val.mem = nil
		c.publishHot(n.val)
		c.st.memEvictions++
	}
	c.publishHot(it)
}

// dropMem forgets the memory copy of it. c.mu held.
func (c *Cache) dropMem(it *item) {
	if c.mem != nil && it.mem != nil {
		c.mem.remove(&it.mn)
	}
	it.mem = nil
	c.publishHot(it)
}

// readBody reads a whole body for the memory tier and checks it against the CRC the trailer
// recorded, so a damaged block is never promoted (or served from memory).
func readBody(f *os.File, size int64, want uint32) ([]byte, bool) {
	b := make([]byte, size)
	if _, err := f.ReadAt(b, 0); err != nil {
		return nil, false
	}
	return b, crc32.Checksum(b, castagnoli) == want
}
