package edgecache

import "golang.org/x/sys/unix"

// LoadCached reads the whole body of a committed disk entry into buf when the page cache
// holds all of it, without waiting for the disk: one preadv2(2) with RWF_NOWAIT, which fails
// with EAGAIN rather than start a read from the device. The entry then serves from buf as a
// memory entry does, with Borrowed reporting that the bytes are the caller's to reuse once
// written. This lets an event loop answer the disk hits the kernel can answer at once (most of
// them on a warm edge), as nginx answers from the page cache, and hand only the others to a
// goroutine. LoadCached reports false, leaving the entry as it was, for a memory entry, a fill,
// a body longer than buf, a byte not in memory, or a kernel or file system without RWF_NOWAIT.
func (e *Entry) LoadCached(buf []byte) bool {
	size := e.meta.Size
	if e.mem != nil || e.fill != nil || e.h == nil || e.released.Load() || size < 0 || size > int64(len(buf)) {
		return false
	}
	if size > 0 {
		n, err := unix.Preadv2(int(e.h.f.Fd()), [][]byte{buf[:size]}, 0, unix.RWF_NOWAIT)
		if err != nil || int64(n) != size {
			return false
		}
	}
	e.mem, e.borrowed = buf[:size], true
	return true
}
