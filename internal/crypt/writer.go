package crypt

import (
	"crypto/cipher"
	"fmt"
	"io"
)

// Writer encrypts a stream of unknown length into the format of the package documentation. It
// buffers at most one chunk: a full chunk is sealed only when more data arrives (as a middle
// chunk) or at Close (as the final one), because whether a chunk is final is part of its AAD.
//
// Write and Close errors are sticky. Close does not close the underlying writer. A Writer is
// not safe for concurrent use.
type Writer struct {
	w      io.Writer
	opts   options
	pooled bool // buf came from opts.pool
	aead   cipher.AEAD
	hdr    header
	params chunkParams
	buf    []byte // pending plaintext in buf[:n]; capacity chunk+Overhead to seal in place
	n      int
	chunk  int
	index  uint64 // index of the next chunk to seal
	err    error
	began  bool // header written
	closed bool
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
	return sw.seal(sw.buf[:sw.n], true)
}

// release gives the chunk buffer back to the pool; nothing may use it afterwards.
func (sw *Writer) release() {
	buf := sw.buf
	sw.buf, sw.n = nil, 0
	sw.opts.putBuffer(buf, sw.pooled)
}

// seal encrypts one chunk into buf and writes it, preceded by the header for the first chunk.
// pt is either buf[:n] (sealed in place) or a slice of the caller's data.
func (sw *Writer) seal(pt []byte, final bool) error {
	// A middle chunk at the last usable index would leave no index for the chunk after it.
	if sw.index >= maxChunks || (!final && sw.index == maxChunks-1) {
		sw.err = fmt.Errorf("%w: more than 2^32 chunks of %d bytes", ErrTooLarge, sw.chunk)
		return sw.err
	}
	if !sw.began {
		if err := sw.write(sw.hdr[:]); err != nil {
			return err
		}
		sw.began = true
	}
	sw.params.set(uint32(sw.index), final)
	ct := sw.aead.Seal(sw.buf[:0], sw.params.nonce[:], pt, sw.params.aad[:])
	sw.index++
	return sw.write(ct)
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
