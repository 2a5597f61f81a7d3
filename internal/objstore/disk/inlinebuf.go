package disk

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"sync"
	"sync/atomic"
)

// GETs of inline bodies read into pooled buffers rather than fresh slices: a 32 KiB GET used
// to allocate its 32 KiB copy, and at thousands of requests a second that garbage was what the
// collector spent its time on. A buffer goes back to the pool only when the Object and every
// reader made from it are closed, so nothing that was handed the bytes can see them reused.

// Inline buffers come in power-of-two classes from 4 KiB up to MaxInlineMax.
const (
	minInlineClass = 12
	maxInlineClass = 20
)

// inlineBufs is a set of sync.Pools of *[]byte, one per size class.
type inlineBufs struct {
	pools [maxInlineClass - minInlineClass + 1]sync.Pool
}

// class returns the index of the smallest class holding n bytes (1 <= n <= MaxInlineMax).
func inlineClass(n int) int {
	c := bits.Len(uint(n - 1))
	return max(c, minInlineClass) - minInlineClass
}

// get returns a buffer of capacity at least n, length 0.
func (p *inlineBufs) get(n int) *[]byte {
	c := inlineClass(n)
	if b, ok := p.pools[c].Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 1<<(c+minInlineClass))
	return &b
}

// put returns b to its class; wipe clears it first (decrypted plaintext must not linger in
// memory that other code may later read past its length).
func (p *inlineBufs) put(b *[]byte, wipe bool) {
	full := (*b)[:cap(*b)]
	if wipe {
		clear(full)
	}
	*b = full[:0]
	p.pools[inlineClass(cap(full))].Put(b)
}

// inlineData is an inline body in a pooled buffer, shared by an Object and its readers. refs
// counts the Object (until Close) and each open reader; the last release returns the buffer.
type inlineData struct {
	pool *inlineBufs
	buf  *[]byte
	data []byte // the body, in *buf
	wipe bool   // the body is decrypted plaintext
	refs atomic.Int32
}

func newInlineData(pool *inlineBufs, buf *[]byte, data []byte, wipe bool) *inlineData {
	d := &inlineData{pool: pool, buf: buf, data: data, wipe: wipe}
	d.refs.Store(1)
	return d
}

// plainInline wraps bytes that belong to no pool (an empty body, or one of a size no class
// holds, which only a corrupt record can give and which snapshot then refuses).
func plainInline(data []byte) *inlineData { return newInlineData(nil, nil, data, false) }

func (d *inlineData) size() int64 { return int64(len(d.data)) }

// acquire takes a reference for a reader; it fails once the Object and all readers let go.
func (d *inlineData) acquire() bool {
	for {
		n := d.refs.Load()
		if n <= 0 {
			return false
		}
		if d.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

func (d *inlineData) release() {
	if d.refs.Add(-1) == 0 && d.pool != nil {
		buf := d.buf
		d.buf, d.data = nil, nil
		d.pool.put(buf, d.wipe)
	}
}

// errObjectClosed is what NewReader on a closed inline Object returns.
var errObjectClosed = fmt.Errorf("disk: the object is closed: %w", os.ErrClosed)

// inlineReader reads a range of an inlineData. It holds a reference until Close.
type inlineReader struct {
	d      *inlineData
	p      []byte // unread bytes of the range
	closed bool
}

func newInlineReader(d *inlineData, offset, length int64) *inlineReader {
	return &inlineReader{d: d, p: d.data[offset : offset+length]}
}

func (r *inlineReader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, errReaderClosed
	}
	if len(r.p) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.p)
	r.p = r.p[n:]
	return n, nil
}

// WriteTo hands the rest of the range to w in one Write, as bytes.Reader does.
func (r *inlineReader) WriteTo(w io.Writer) (int64, error) {
	if r.closed {
		return 0, errReaderClosed
	}
	p := r.p
	r.p = nil
	n, err := w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	return int64(n), err
}

// Close releases the reader's reference; the bytes must not be used afterwards.
func (r *inlineReader) Close() error {
	if !r.closed {
		r.closed = true
		r.p = nil
		r.d.release()
	}
	return nil
}

var errReaderClosed = errors.New("disk: read from a closed object reader")
