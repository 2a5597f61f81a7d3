package edgecache

import (
	"io"
	"os"
	"sync/atomic"
)

// Entry is a reference to a cached body returned by Lookup or Begin. It stays readable after
// the entry is evicted, invalidated or replaced, until Release (the file is unlinked, but the
// descriptor the Entry holds keeps it alive). Call Release exactly once; readers from
// NewReader are independent and must each be closed.
type Entry struct {
	meta     Meta
	mem      []byte  // memory-resident body
	h        *handle // disk file (committed entry or fill in progress)
	fill     *Fill   // non-nil when the entry follows a fill
	borrowed bool    // mem is the caller's buffer (LoadCached)
	// shared marks the one entry that every memory hit of a key gets (hotRef): immutable,
	// holding nothing to give back, so Release leaves it usable for the other holders.
	shared   bool
	released atomic.Bool
}

// Meta returns the entry's metadata. Meta.Size is -1 for an entry returned while filling.
func (e *Entry) Meta() Meta { return e.meta }

// Filling reports whether the entry was found while being filled: its reads follow the writer
// (request collapsing). The edge reports such answers as misses.
func (e *Entry) Filling() bool { return e.fill != nil }

// Bytes returns the body when the entry is served from memory (the memory tier, or the
// caller's buffer after LoadCached), so the hit path can write it without a reader; nil
// otherwise. The slice must not be modified.
func (e *Entry) Bytes() []byte { return e.mem }

// Borrowed reports whether Bytes is a copy in the caller's buffer (LoadCached), to be written
// as any bytes are rather than as the cache's own, which never change.
func (e *Entry) Borrowed() bool { return e.borrowed }

// Release gives the entry back. Readers already opened keep working until closed.
func (e *Entry) Release() {
	if e.shared || e.released.Swap(true) {
		return
	}
	if e.h != nil {
		e.h.release()
	}
}

// NewReader reads n bytes of the body from offset off, or to the end when n < 0 (HTTP
// Range support). On a committed entry a range outside the body fails with ErrRange. On an
// entry being filled, reads beyond the written part block until the writer gets there, and
// fail with ErrFillAborted if the fill aborts first; a range past the final size ends with
// io.ErrUnexpectedEOF.
func (e *Entry) NewReader(off, n int64) (io.ReadCloser, error) {
	if e.released.Load() {
		return nil, ErrClosed
	}
	if off < 0 {
		return nil, ErrRange
	}
	if e.fill != nil {
		end := int64(-1)
		if n >= 0 {
			end = off + n
		}
		e.h.acquire()
		return &fillReader{f: e.fill, h: e.h, off: off, end: end}, nil
	}
	size := e.meta.Size
	if n < 0 {
		n = size - off
	}
	if off > size || n < 0 || off+n > size {
		return nil, ErrRange
	}
	if e.mem != nil {
		return &memReader{b: e.mem[off : off+n]}, nil
	}
	e.h.acquire()
	return &fileReader{h: e.h, off: off, end: off + n}, nil
}

// handle is an open entry file shared by an Entry and its readers.
type handle struct {
	f    *os.File
	refs atomic.Int32
}

func newHandle(f *os.File) *handle {
	h := &handle{f: f}
	h.refs.Store(1)
	return h
}

func (h *handle) acquire() { h.refs.Add(1) }

func (h *handle) release() {
	if h.refs.Add(-1) == 0 {
		h.f.Close()
	}
}

type memReader struct{ b []byte }

func (r *memReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// WriteTo lets io.Copy skip its buffer.
func (r *memReader) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(r.b)
	r.b = r.b[n:]
	return int64(n), err
}

func (r *memReader) Close() error { return nil }

// fileReader reads a committed body with pread, so readers of one file never share an offset.
type fileReader struct {
	h        *handle
	off, end int64
	closed   bool
}

func (r *fileReader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, ErrClosed
	}
	if r.off >= r.end {
		return 0, io.EOF
	}
	if rem := r.end - r.off; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := r.h.f.ReadAt(p, r.off)
	r.off += int64(n)
	if err == io.EOF && r.off < r.end {
		err = io.ErrUnexpectedEOF
	} else if err == io.EOF {
		err = nil
	}
	return n, err
}

func (r *fileReader) Close() error {
	if !r.closed {
		r.closed = true
		r.h.release()
	}
	return nil
}
