package edgecache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cespare/xxhash/v2"
)

// Cache is the edge's two-tier cache store. Safe for concurrent use.
type Cache struct {
	cfg    Config
	objDir string
	tmpDir string
	lock   *os.File

	mu           sync.Mutex
	closed       bool
	items        map[string]*item
	fills        map[string]*Fill
	byDist       map[string]map[string]map[*item]struct{} // dist -> path -> entries, for Invalidate
	disk         *s3fifo[*item]
	mem          *s3fifo[*item] // nil when the memory tier is off
	fds          fifo[*item]    // entries whose file is kept open (it.h), newest first
	fillRes      int64          // disk bytes reserved by fills in progress
	seq          uint64         // last file sequence number handed out
	spares       []spareFile    // empty fill files created ahead of need (spare.go)
	spareSeq     uint64         // last spare file number handed out
	sparesMaking int            // spares being created outside mu
	unsynced     int            // commits not fsynced since Open (Close syncs them)
	st           counters
	hot          hotIndex     // memory-resident entries, read without mu (hot.go)
	memHits      atomic.Int64 // Lookups answered from memory (counted outside mu)
}

// item is one committed entry.
type item struct {
	key     string
	meta    Meta
	seq     uint64
	bodyCRC uint32
	dn      node[*item] // disk tier; dn.size is the file size
	mn      node[*item] // memory tier; mn.size is the body size
	mem     []byte      // the body when resident in the memory tier
	hot     *hotRef     // published in Cache.hot while mem is set
	h       *handle     // the open file while in c.fds (the cache holds one reference)
	fdn     node[*item] // position in c.fds
	wmu     sync.Mutex  // serialises trailer rewrites (Refresh)
}

// Open opens (creating if needed) the cache in cfg.Dir and loads the entries committed by
// earlier runs. Torn entries and leftovers of fills are deleted; see the package comment.
func Open(cfg Config) (*Cache, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	c := &Cache{
		cfg:    cfg,
		objDir: filepath.Join(cfg.Dir, "obj"),
		tmpDir: filepath.Join(cfg.Dir, "tmp"),
		items:  make(map[string]*item),
		fills:  make(map[string]*Fill),
		byDist: make(map[string]map[string]map[*item]struct{}),
		disk:   newS3FIFO[*item](cfg.MaxDiskBytes),
	}
	c.fds.init(inMain)
	if cfg.MaxMemBytes > 0 {
		c.mem = newS3FIFO[*item](cfg.MaxMemBytes)
	}
	for _, d := range []string{cfg.Dir, c.objDir, c.tmpDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("edgecache: create %s: %w", d, err)
		}
	}
	lock, err := os.OpenFile(filepath.Join(cfg.Dir, "lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("edgecache: open lock file: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("%w: %s", ErrLocked, cfg.Dir)
	}
	c.lock = lock
	// Read the marker before setting it: it tells whether the last run ended with Close.
	_, err = os.Stat(filepath.Join(cfg.Dir, "dirty"))
	unclean := err == nil
	if err := c.markDirty(); err != nil {
		lock.Close()
		return nil, err
	}
	if err := c.load(unclean); err != nil {
		lock.Close()
		return nil, err
	}
	c.makeSpares()
	return c, nil
}

// markDirty records that the directory is in use; Close removes the marker after syncing.
// Found by the next Open, it means this run ended without Close, so bodies are verified.
func (c *Cache) markDirty() error {
	p := filepath.Join(c.cfg.Dir, "dirty")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE, 0o600)
	if err == nil {
		err = f.Sync()
		f.Close()
	}
	if err == nil {
		err = syncDir(c.cfg.Dir)
	}
	if err != nil {
		return fmt.Errorf("edgecache: write %s: %w", p, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Close stops new fills and commits, flushes unsynced entries to stable storage and marks the
// directory clean. Entries and readers already handed out stay readable until released.
func (c *Cache) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.hot.m.Clear()
	c.dropSpares()
	unsynced := c.unsynced
	for c.fds.n > 0 {
		c.dropHandle(c.fds.tail().val)
	}
	snap := c.encodeSnapshot()
	c.mu.Unlock()
	if unsynced > 0 {
		// Entries committed without SyncCommits may still be in the page cache. There is
		// no portable per-directory sync, and fsyncing each file would cost more than one
		// global flush at shutdown.
		syscall.Sync()
	}
	// The snapshot is only trusted without the dirty marker, so it is written first.
	err := writeFileSync(filepath.Join(c.cfg.Dir, snapshotName), snap)
	if err == nil {
		err = syncDir(c.cfg.Dir)
	}
	if err == nil {
		err = os.Remove(filepath.Join(c.cfg.Dir, "dirty"))
	}
	if err == nil {
		err = syncDir(c.cfg.Dir)
	}
	if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	if cerr := c.lock.Close(); err == nil {
		err = cerr
	}
	return err
}

// objPath is where the committed entry with sequence number seq lives. 256 subdirectories keep
// directories small; the name is the number, so keys never reach the file system.
func (c *Cache) objPath(seq uint64) string {
	// Built by hand: this runs on every disk hit.
	b := make([]byte, 0, len(c.objDir)+20)
	b = append(b, c.objDir...)
	b = append(b, '/')
	b = appendHex(b, seq&0xff, 2)
	b = append(b, '/')
	b = appendHex(b, seq, 16)
	return string(b)
}

func appendHex(b []byte, v uint64, digits int) []byte {
	const hex = "0123456789abcdef"
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hex[(v>>(4*uint(i)))&0xf])
	}
	return b
}

func (c *Cache) tmpPath(seq uint64) string {
	return filepath.Join(c.tmpDir, fmt.Sprintf("%016x.fill", seq))
}

func keyHash(key string) uint64 { return xxhash.Sum64String(key) }

// install adds a committed entry to the index and the disk tier. c.mu held.
func (c *Cache) install(it *item) {
	it.dn.val, it.mn.val = it, it
	it.dn.hash = keyHash(it.key)
	it.mn.hash = it.dn.hash
	c.items[it.key] = it
	c.indexPath(it)
	c.disk.insert(&it.dn)
}

// unindex removes an entry from the index and both tiers and returns its file for the caller
// to unlink. c.mu held.
func (c *Cache) unindex(it *item) string {
	if c.items[it.key] == it {
		delete(c.items, it.key)
	}
	c.unindexPath(it)
	c.disk.remove(&it.dn)
	c.dropMem(it)
	c.dropHandle(it)
	return c.objPath(it.seq)
}

// keepHandle caches f as the open file of it, closing the oldest beyond MaxOpenFiles, and returns
// the handle to use for the Entry (with a reference for it). c.mu held.
func (c *Cache) keepHandle(it *item, f *os.File) *handle {
	if it.h != nil { // another Lookup opened it meanwhile
		f.Close()
		it.h.acquire()
		return it.h
	}
	h := newHandle(f)
	if c.keep(it, h) {
		h.acquire()
	}
	return h
}

// keep makes h, whose reference the caller hands over, the open file of it, closing the
// oldest beyond MaxOpenFiles. It reports false, leaving the reference with the caller, when
// it is no longer the entry of its key. c.mu held.
func (c *Cache) keep(it *item, h *handle) bool {
	if c.closed || c.items[it.key] != it {
		return false
	}
	it.h = h
	it.fdn.val, it.fdn.size = it, 1
	c.fds.pushHead(&it.fdn)
	for c.fds.n > c.cfg.MaxOpenFiles {
		c.dropHandle(c.fds.tail().val)
	}
	return true
}

// dropHandle releases the cache's reference to the open file of it. c.mu held.
func (c *Cache) dropHandle(it *item) {
	if it.h == nil {
		return
	}
	c.fds.remove(&it.fdn)
	it.h.release()
	it.h = nil
}

// indexPath files it under its distribution and path for Invalidate. c.mu held.
func (c *Cache) indexPath(it *item) {
	paths := c.byDist[it.meta.Dist]
	if paths == nil {
		paths = make(map[string]map[*item]struct{})
		c.byDist[it.meta.Dist] = paths
	}
	set := paths[it.meta.Path]
	if set == nil {
		set = make(map[*item]struct{})
		paths[it.meta.Path] = set
	}
	set[it] = struct{}{}
}

// unindexPath undoes indexPath. c.mu held.
func (c *Cache) unindexPath(it *item) {
	paths := c.byDist[it.meta.Dist]
	if paths == nil {
		return
	}
	if set := paths[it.meta.Path]; set != nil {
		delete(set, it)
		if len(set) == 0 {
			delete(paths, it.meta.Path)
		}
	}
	if len(paths) == 0 {
		delete(c.byDist, it.meta.Dist)
	}
}

// evictDisk evicts until committed entries plus fill reservations fit MaxDiskBytes, and
// returns the files to unlink. c.mu held.
func (c *Cache) evictDisk() []string {
	var victims []string
	for c.disk.bytes()+c.fillRes > c.cfg.MaxDiskBytes {
		n := c.disk.evict()
		if n == nil {
			break
		}
		victims = append(victims, c.unindex(n.val))
		c.st.diskEvictions++
	}
	return victims
}

// unlink removes entry files outside c.mu. Readers holding them open keep reading.
func (c *Cache) unlink(paths []string) {
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			c.cfg.Logger.Warn("edgecache: remove entry file", "path", p, "err", err)
		}
	}
}

// now is the clock, for expiry.
func (c *Cache) now() time.Time { return c.cfg.Now() }
