package edgecache

import (
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"sync"
	"syscall"
)

// Fill writes one body into the cache. It is used by the one goroutine that fetches from the
// origin: Write the body, then Commit or Abort exactly once. Readers of the entry (Lookup or
// Begin while the fill runs) follow the bytes as they are written, except the bytes of the
// Write that completes the length declared at Begin: those reach readers with the commit, so
// a viewer who has a whole body finds the entry committed (the next request hits it, an
// invalidation counts it) rather than a fill about to end. A body of unknown length needs no
// such wait: its readers end only when the fill does.
type Fill struct {
	c    *Cache
	key  string
	meta Meta
	seq  uint64
	tmp  string
	h    *handle

	// The writer's own state.
	total    int64 // bytes written to the file
	expect   int64 // the declared length, or -1
	crc      uint32
	reserved int64 // disk bytes reserved in c.fillRes
	ended    bool

	// Progress shared with readers.
	mu      sync.Mutex
	cond    sync.Cond
	written int64 // bytes readers may read
	state   int   // fillRunning, fillDone or fillAborted

	invalidated bool // guarded by c.mu
}

const (
	fillRunning = iota
	fillDone
	fillAborted
	// reserveChunk is how much disk a fill reserves at a time: large enough that a GB body
	// takes the cache lock rarely, small enough not to evict much ahead of need.
	reserveChunk = 1 << 20
)

// Write appends to the body and wakes readers waiting for these bytes.
func (f *Fill) Write(p []byte) (int, error) {
	if f.ended {
		return 0, ErrFillDone
	}
	if len(p) == 0 {
		return 0, nil
	}
	if need := f.total + int64(len(p)) - f.reserved; need > 0 {
		need = (need + reserveChunk - 1) / reserveChunk * reserveChunk
		f.c.mu.Lock()
		f.c.fillRes += need
		victims := f.c.evictDisk()
		f.c.mu.Unlock()
		f.reserved += need
		f.c.unlink(victims)
	}
	n, err := f.h.f.Write(p)
	f.crc = crc32.Update(f.crc, castagnoli, p[:n])
	f.total += int64(n)
	if f.total != f.expect {
		f.publish()
	}
	if err != nil {
		f.Abort()
		return n, err
	}
	return n, nil
}

// Commit ends the fill with a body of size bytes (size < 0: whatever was written) and makes it
// the entry for its key, atomically replacing an older one. It is refused with ErrInvalidated
// when an invalidation matching the fill ran after Begin, and with ErrSizeMismatch when size
// differs from the bytes written (the fill is then aborted). Readers following the fill read
// to its end either way, unless it is aborted.
func (f *Fill) Commit(size int64) error {
	if f.ended {
		return ErrFillDone
	}
	if size >= 0 && size != f.total {
		f.Abort()
		return ErrSizeMismatch
	}
	size = f.total
	c := f.c
	m := f.meta
	m.Size = size
	trailer := encodeTrailer(f.key, &m, size, f.crc, f.seq)
	_, err := f.h.f.Write(trailer)
	if err == nil && c.cfg.SyncCommits {
		err = f.h.f.Sync()
	}
	if err != nil {
		f.Abort()
		return err
	}
	f.ended = true
	it := &item{key: f.key, meta: m, seq: f.seq, bodyCRC: f.crc}
	it.dn.size = size + int64(len(trailer))

	c.mu.Lock()
	if c.fills[f.key] == f {
		delete(c.fills, f.key)
	}
	c.fillRes -= f.reserved
	switch {
	case c.closed:
		err = ErrClosed
	case f.invalidated:
		c.st.refused++
		err = ErrInvalidated
	default:
		// Renamed under c.mu: an Invalidate either sees the new entry or has already marked
		// the fill, so no crash can leave invalidated content in obj/ for the next Open.
		// syscall.Rename, not os.Rename: the latter first stats the target to refuse
		// replacing a directory, a lookup every miss would pay for nothing.
		err = syscall.Rename(f.tmp, c.objPath(f.seq))
	}
	if err != nil {
		c.mu.Unlock()
		os.Remove(f.tmp)
		f.finish(fillDone)
		return err
	}
	var victims []string
	if old := c.items[f.key]; old != nil {
		victims = append(victims, c.unindex(old))
	}
	c.install(it)
	mem := c.memEligible(size)
	if mem {
		// A lookup before admitMem below has made the memory copy reads the fill's file,
		// kept open as the entry's, rather than open it and make a copy of its own.
		f.h.acquire()
		if !c.keep(it, f.h) {
			f.h.release()
		}
	}
	c.st.commits++
	if !c.cfg.SyncCommits {
		c.unsynced++
	}
	victims = append(victims, c.evictDisk()...)
	c.mu.Unlock()
	if mem {
		f.h.acquire()
	}
	f.finish(fillDone)
	// The readers just woken are queued on this goroutine's P. What follows is work none of
	// them waits for, so they go first: a miss's viewer sends its first byte before it.
	runtime.Gosched()
	c.unlink(victims)
	if mem {
		f.admitMem(it)
		f.h.release()
	}
	c.makeSpares()
	return nil
}

// admitMem gives a committed body its memory copy, once the fill's readers had their turn: a
// fresh copy's first touch of its pages faults each of them in (about 100 µs for 32 KiB on a
// small VM while the memory tier grows). The copy is read back from the page cache and
// checked against the body's CRC.
func (f *Fill) admitMem(it *item) {
	body, ok := readBody(f.h.f, it.meta.Size, f.crc)
	if !ok {
		return
	}
	c := f.c
	c.mu.Lock()
	c.admitMem(it, body)
	c.mu.Unlock()
}

// Abort ends the fill without keeping anything. Readers get ErrFillAborted once they need
// bytes that were never written. Abort after Commit or Abort does nothing.
func (f *Fill) Abort() {
	if f.ended {
		return
	}
	f.ended = true
	c := f.c
	c.mu.Lock()
	if c.fills[f.key] == f {
		delete(c.fills, f.key)
	}
	c.fillRes -= f.reserved
	c.st.aborts++
	c.mu.Unlock()
	os.Remove(f.tmp)
	f.finish(fillAborted)
}

// publish lets readers read every byte written so far, and wakes them.
func (f *Fill) publish() {
	f.mu.Lock()
	f.written = f.total
	f.cond.Broadcast()
	f.mu.Unlock()
}

// finish publishes the final state to readers, with the bytes a completed fill held back, and
// drops the writer's file reference.
func (f *Fill) finish(state int) {
	f.mu.Lock()
	if state == fillDone {
		f.written = f.total
	}
	f.state = state
	f.cond.Broadcast()
	f.mu.Unlock()
	f.h.release()
}

// entry returns a new Entry following the fill. c.mu held (the fill is still registered, so
// the writer's reference keeps the file open).
func (f *Fill) entry() *Entry {
	f.h.acquire()
	return &Entry{meta: f.meta, h: f.h, fill: f}
}

// fillReader follows a fill: it reads what is written and waits for the rest.
type fillReader struct {
	f        *Fill
	h        *handle
	off, end int64 // end < 0: to the end of the fill
	closed   bool  // guarded by f.mu
}

func (r *fillReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if r.end >= 0 && r.off >= r.end {
		return 0, io.EOF
	}
	f := r.f
	f.mu.Lock()
	for f.written <= r.off && f.state == fillRunning && !r.closed {
		f.cond.Wait()
	}
	written, state, closed := f.written, f.state, r.closed
	f.mu.Unlock()
	switch {
	case closed:
		return 0, ErrClosed
	case r.off < written:
	case state == fillAborted:
		return 0, ErrFillAborted
	case r.end >= 0:
		return 0, io.ErrUnexpectedEOF
	default:
		return 0, io.EOF
	}
	avail := written - r.off
	if r.end >= 0 && r.end-r.off < avail {
		avail = r.end - r.off
	}
	if int64(len(p)) > avail {
		p = p[:avail]
	}
	n, err := r.h.f.ReadAt(p, r.off)
	r.off += int64(n)
	if err == io.EOF && n == len(p) {
		err = nil
	}
	return n, err
}

// Close ends the reader, waking it if it is waiting for the writer.
func (r *fillReader) Close() error {
	r.f.mu.Lock()
	already := r.closed
	r.closed = true
	r.f.cond.Broadcast()
	r.f.mu.Unlock()
	if !already {
		r.h.release()
	}
	return nil
}
