package crypt

import (
	"crypto/cipher"
	"fmt"
	"io"
)

// Writer encrypts a stream of unknown length into the format of the package documentation. It
// buffers at most one chunk of plaintext: a full chunk is sealed only when more data arrives
// (as a middle chunk) or at Close (as the final one), because whether a chunk is final is part
// of its AAD. It also holds back less than one chunk size of ciphertext, so that every write
// to the underlying writer but the last (at Close) is a whole number of chunk sizes long and
// starts at a multiple of the chunk size from the start of the stream. A sealed chunk is 16 bytes longer than that, so
// writing chunks as they are sealed would make every write straddle a page boundary: Linux's
// page cache then keeps the file in small folios, and reading it back (pread or sendfile)
// costs about twice as much as for a file written in aligned pieces.
//
// Write and Close errors are sticky. Close does not close the underlying writer. A Writer is
// not safe for concurrent use.
type Writer struct {
	w       io.Writer
	opts    options
	pooled  bool   // buf came from opts.pool
	out     []byte // ciphertext staged in out[:outN] for the next aligned write; len(out) = chunk
	outN    int
	outPool bool // out came from opts.pool
	aead    cipher.AEAD
	hdr     header
	params  chunkParams
	buf     []byte // pending plaintext in buf[:n]; capacity chunk+Overhead to seal in place
	n       int
	chunk   int
	index   uint64 // index of the next chunk to seal
	err     error
	began   bool // header written
	closed  bool
}

var _ io.WriteCloser = (*Writer)(nil)

// NewWriter returns a Writer that encrypts into w under key with the default chunk size
// (ChunkSize). A zero DataKey makes the first Write or Close fail with ErrInvalidKey.
func NewWriter(w io.Writer, key DataKey, opts ...Option) *Writer {
	sw := &Writer{w: w, opts: buildOptions(opts)}
	sw.chunk = 1 << sw.opts.shift
	sw.aead, sw.err = key.aead()
	if sw.err != nil {
		return sw
	}
	sw.hdr, sw.err = newHeader(sw.opts.shift)
	sw.params.init(&sw.hdr)
	sw.buf, sw.pooled = sw.opts.getBuffer(sw.chunk + Overhead)
	sw.out, sw.outPool = sw.opts.getBuffer(sw.chunk)
	return sw
}

// Write encrypts p. It returns len(p) unless an error occurred; sealed chunks are written to
// the underlying writer as soon as they are known not to be the last.
func (sw *Writer) Write(p []byte) (int, error) {
	if sw.closed {
		return 0, ErrClosed
	}
	if sw.err != nil {
		return 0, sw.err
	}
	written := 0
	for len(p) > 0 {
		if sw.n == sw.chunk {
			// More data follows, so the buffered chunk is a middle chunk.
			if err := sw.seal(sw.buf[:sw.n], false); err != nil {
				return written, err
			}
			sw.n = 0
		}
		if sw.n == 0 && len(p) > sw.chunk {
			// Fast path: a whole chunk of p with more after it is sealed straight from p
			// into buf, without copying it into the buffer first.
			if err := sw.seal(p[:sw.chunk], false); err != nil {
				return written, err
			}
			p, written = p[sw.chunk:], written+sw.chunk
			continue
		}
		c := copy(sw.buf[sw.n:sw.chunk], p)
		sw.n += c
		p, written = p[c:], written+c
	}
	return written, nil
}

// Close seals the final chunk (an empty one if nothing was written) and writes it. A second
// Close returns nil.
func (sw *Writer) Close() error {
	if sw.closed {
		return nil
	}
	sw.closed = true
	defer sw.release()
	if sw.err != nil {
		clear(sw.buf[:sw.n]) // plaintext that will never be sealed
		return sw.err
	}
	// Sealing in place leaves only ciphertext in buf; no plaintext outlives Close.
	if err := sw.seal(sw.buf[:sw.n], true); err != nil {
		return err
	}
	if sw.outN == 0 {
		return nil
	}
	return sw.write(sw.out[:sw.outN])
}

// release gives the buffers back to the pool; nothing may use them afterwards.
func (sw *Writer) release() {
	buf, out := sw.buf, sw.out
	sw.buf, sw.n, sw.out, sw.outN = nil, 0, nil, 0
	sw.opts.putBuffer(buf, sw.pooled)
	sw.opts.putBuffer(out, sw.outPool)
}

// seal encrypts one chunk into buf and emits it, preceded by the header for the first chunk.
// pt is either buf[:n] (sealed in place) or a slice of the caller's data.
func (sw *Writer) seal(pt []byte, final bool) error {
	// A middle chunk at the last usable index would leave no index for the chunk after it.
	if sw.index >= maxChunks || (!final && sw.index == maxChunks-1) {
		sw.err = fmt.Errorf("%w: more than 2^32 chunks of %d bytes", ErrTooLarge, sw.chunk)
		return sw.err
	}
	if !sw.began {
		if err := sw.emit(sw.hdr[:]); err != nil {
			return err
		}
		sw.began = true
	}
	sw.params.set(uint32(sw.index), final)
	ct := sw.aead.Seal(sw.buf[:0], sw.params.nonce[:], pt, sw.params.aad[:])
	sw.index++
	return sw.emit(ct)
}

// emit stages ciphertext and writes out every full chunk-size piece; see Writer.
func (sw *Writer) emit(b []byte) error {
	for len(b) > 0 {
		if sw.outN == 0 && len(b) >= len(sw.out) {
			// At an aligned offset already: whole pieces go out without a copy.
			n := len(b) / len(sw.out) * len(sw.out)
			if err := sw.write(b[:n]); err != nil {
				return err
			}
			b = b[n:]
			continue
		}
		c := copy(sw.out[sw.outN:], b)
		sw.outN += c
		b = b[c:]
		if sw.outN == len(sw.out) {
			if err := sw.write(sw.out); err != nil {
				return err
			}
			sw.outN = 0
		}
	}
	return nil
}

func (sw *Writer) write(b []byte) error {
	n, err := sw.w.Write(b)
	if err == nil && n != len(b) {
		err = io.ErrShortWrite
	}
	if err != nil {
		sw.err = fmt.Errorf("crypt: writing ciphertext: %w", err)
	}
	return sw.err
}
