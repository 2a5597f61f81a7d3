package edgecache

import (
	"errors"
	"os"
	"syscall"
)

// Lookup finds key. A committed entry is returned as a hit (Filling false); otherwise an entry
// being filled is returned (Filling true), whose readers follow the writer; nil when neither
// exists. When the key has both (a replacement fill is running), the committed entry wins: the
// edge decides whether it is fresh enough and may join the fill through Begin. Entries past
// StoredAt+TTL+Stale are dropped, not returned.
func (c *Cache) Lookup(key string) *Entry {
	// A file can be unlinked between reading the index and opening it (evicted, replaced);
	// the second attempt sees the index after that change.
	for range 3 {
		e, retry := c.lookup(key)
		if !retry {
			return e
		}
	}
	return nil
}

func (c *Cache) lookup(key string) (e *Entry, retry bool) {
	if e := c.lookupHot(key); e != nil {
		return e, false
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, false
	}
	if it := c.items[key]; it != nil {
		if it.meta.dead(c.now()) {
			path := c.unindex(it)
			c.st.expired++
			e := c.fillEntryLocked(key)
			c.mu.Unlock()
			c.unlink([]string{path})
			return e, false
		}
		it.dn.touch()
		if it.mem != nil {
			it.mn.touch()
			c.memHits.Add(1)
			e := &Entry{meta: it.meta, mem: it.mem}
			c.mu.Unlock()
			return e, false
		}
		c.st.diskHits++
		meta := it.meta
		if it.h != nil {
			it.h.acquire()
			e := &Entry{meta: meta, h: it.h}
			c.mu.Unlock()
			return e, false
		}
		path := c.objPath(it.seq)
		c.mu.Unlock()
		f, err := openFile(path, syscall.O_RDONLY)
		if errors.Is(err, os.ErrNotExist) {
			// Unlinked since the index was read (evicted, replaced), or removed behind the
			// cache's back: forget it if the index still has it, and look again.
			c.mu.Lock()
			if c.items[key] == it {
				c.unindex(it)
				c.st.dropped++
			}
			c.mu.Unlock()
			return nil, true
		}
		if err != nil {
			c.cfg.Logger.Warn("edgecache: open entry", "path", path, "err", err)
			return nil, false
		}
		if c.memEligible(meta.Size) {
			if body, ok := readBody(f, meta.Size, it.bodyCRC); ok {
				f.Close()
				c.mu.Lock()
				c.admitMem(it, body)
				c.mu.Unlock()
				return &Entry{meta: meta, mem: body}, false
			}
		}
		c.mu.Lock()
		h := c.keepHandle(it, f)
		c.mu.Unlock()
		return &Entry{meta: meta, h: h}, false
	}
	e = c.fillEntryLocked(key)
	c.mu.Unlock()
	return e, false
}

// openFile opens an entry file: flag is syscall.O_RDONLY for a disk hit, or
// O_RDWR|O_CREAT|O_EXCL for a fill's new file. syscall.Open plus os.NewFile skips os.OpenFile's
// attempt to add the descriptor to the netpoller, which for a regular file is four fcntl and
// an epoll_ctl that fails, on every disk hit that opens a file and on every miss.
func openFile(path string, flag int) (*os.File, error) {
	fd, err := syscall.Open(path, flag|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// fillEntryLocked returns an entry following the fill of key, or nil (a miss). It runs under
// the same hold of c.mu as the look at the committed entries: with two holds, a fill
// committing in between would be in neither place and a lookup of an existing key would miss
// (under load, collapsed viewers went to the origin again).
func (c *Cache) fillEntryLocked(key string) *Entry {
	if f := c.fills[key]; f != nil && !c.closed {
		c.st.fillHits++
		return f.entry()
	}
	c.st.misses++
	return nil
}

// Begin starts filling key with the response described by m, or, when a
// fill of key is already running, returns an Entry following it with started false: exactly
// one caller fetches from the origin while the others read what it writes (request
// collapsing). The fill runs even when a committed entry exists; Commit replaces it.
// m.Size, the origin's Content-Length or -1, is the length the fill declares (see Fill) and
// sizes the memory copy up front, so appending to it never reallocates; Commit takes the
// size from the bytes written.
//
// Begin returns (nil, nil, false) when the cache cannot store right now (closed, or the temp
// file cannot be created); the caller then serves from the origin without caching.
func (c *Cache) Begin(key string, m Meta) (f *Fill, e *Entry, started bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, nil, false
	}
	if running := c.fills[key]; running != nil {
		c.st.collapsed++
		return nil, running.entry(), false
	}
	c.seq++
	seq := c.seq
	spare, ok := c.takeSpare()
	file, tmp := spare.f, spare.path
	if !ok {
		// No spare left: created under c.mu, so no second Begin can start a fill of key
		// meanwhile.
		tmp = c.tmpPath(seq)
		var err error
		file, err = openFile(tmp, syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL)
		if err != nil {
			c.cfg.Logger.Warn("edgecache: create fill file", "path", tmp, "err", err)
			return nil, nil, false
		}
	}
	f = &Fill{c: c, key: key, meta: m, seq: seq, tmp: tmp, h: newHandle(file), expect: m.Size}
	f.meta.Size = -1
	f.cond.L = &f.mu
	c.fills[key] = f
	c.st.fillsStarted++
	return f, nil, true
}
