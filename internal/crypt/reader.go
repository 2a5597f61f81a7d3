package crypt

import (
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
)

// Reader gives random access to the plaintext of a stream stored in an io.ReaderAt. It is
// immutable after NewReaderAt and safe for concurrent use: each range reader has its own
// buffer, and they share one cipher.AEAD (AES-GCM's Seal and Open do not mutate it).
type Reader struct {
	r       io.ReaderAt
	opts    options
	aead    cipher.AEAD
	hdr     header
	chunk   int
	size    int64 // plaintext bytes
	ctSize  int64
	nchunks int64
}

// NewReaderAt prepares to decrypt the stream of ciphertextSize bytes in r under key. It reads
// and checks the 16-byte header and that ciphertextSize fits the format, and decrypts nothing:
// chunks are read and authenticated only by the range readers that need them.
//
// Pass the size the stream should have from trusted metadata, CiphertextSize(meta.Size),
// rather than the file's current size: a file truncated behind the store's back then fails at
// the first read of a missing chunk instead of looking like a shorter object. PlaintextSize is
// derived from ciphertextSize; it is authenticated by any range that reaches the final chunk
// (every range ending at PlaintextSize, including the empty range of an empty object). A range
// reader never returns a byte that does not belong at its offset, since each chunk is bound to
// its index and to whether it is the last.
func NewReaderAt(r io.ReaderAt, ciphertextSize int64, key DataKey, opts ...Option) (*Reader, error) {
	aead, err := key.aead()
	if err != nil {
		return nil, err
	}
	rd := &Reader{r: r, aead: aead, ctSize: ciphertextSize, opts: buildOptions(opts)}
	if ciphertextSize < HeaderSize+Overhead {
		return nil, fmt.Errorf("%w: %d bytes is too short for an encrypted stream", ErrAuthentication, ciphertextSize)
	}
	if err := readFullAt(r, rd.hdr[:], 0); err != nil {
		return nil, err
	}
	if err := rd.hdr.check(); err != nil {
		return nil, err
	}
	rd.chunk = rd.hdr.chunkSize()
	if rd.size, rd.nchunks, err = plaintextSize(ciphertextSize, rd.chunk); err != nil {
		return nil, err
	}
	return rd, nil
}

// PlaintextSize returns the plaintext length implied by the ciphertext size.
func (rd *Reader) PlaintextSize() int64 { return rd.size }

// NewRangeReader returns a reader of plaintext bytes [offset, offset+length). It reads and
// decrypts only the chunks that overlap the range (an empty range: the one chunk at its
// offset, so that it too detects damage), holding one chunk in memory. Any chunk
// that fails authentication ends the read with ErrAuthentication; bytes are returned only
// from chunks that authenticated. A range outside [0, PlaintextSize()] gives ErrRange on the
// first Read.
func (rd *Reader) NewRangeReader(offset, length int64) *RangeReader {
	rr := &RangeReader{rd: rd, pos: offset, end: offset + length}
	if offset < 0 || length < 0 || offset > rd.size || length > rd.size-offset {
		rr.err = fmt.Errorf("%w: offset %d length %d, plaintext is %d bytes", ErrRange, offset, length, rd.size)
	}
	return rr
}

// RangeReader reads one plaintext range; see Reader.NewRangeReader. It implements
// io.WriterTo, which io.Copy uses to write each decrypted chunk straight from the chunk buffer.
type RangeReader struct {
	rd       *Reader
	params   chunkParams
	buf      []byte // one ciphertext chunk; opened in place
	avail    []byte // decrypted bytes of the current chunk not yet returned
	pos, end int64  // plaintext offset of the next byte to load, end of range
	opened   bool   // a chunk has been authenticated
	pooled   bool   // buf came from the Reader's BufferPool
	err      error
}

var (
	_ io.Reader   = (*RangeReader)(nil)
	_ io.WriterTo = (*RangeReader)(nil)
)

// Read implements io.Reader.
func (rr *RangeReader) Read(p []byte) (int, error) {
	for len(rr.avail) == 0 {
		if err := rr.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, rr.avail)
	rr.avail = rr.avail[n:]
	return n, nil
}

// WriteTo implements io.WriterTo.
func (rr *RangeReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		for len(rr.avail) == 0 {
			if err := rr.next(); err != nil {
				if err == io.EOF {
					return total, nil
				}
				return total, err
			}
		}
		n, err := w.Write(rr.avail)
		total += int64(n)
		rr.avail = rr.avail[n:]
		if err == nil && len(rr.avail) > 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			rr.release()
			rr.err = err
			return total, err
		}
	}
}

// next decrypts the chunk holding rr.pos and points avail at the part of it in the range.
func (rr *RangeReader) next() error {
	if rr.err != nil {
		return rr.err
	}
	rd := rr.rd
	if rr.pos >= rr.end && rr.opened {
		rr.release()
		rr.err = io.EOF
		return rr.err
	}
	if rr.buf == nil {
		rr.params.init(&rd.hdr)
		// A stream smaller than one chunk needs no more than its own size.
		rr.buf, rr.pooled = rd.opts.getBuffer(int(min(int64(rd.chunk+Overhead), rd.ctSize-HeaderSize)))
	}
	// An empty range still authenticates the chunk at its offset, so that reading an empty
	// object (or any range ending at the end) proves the stream's size and integrity.
	i := min(rr.pos/int64(rd.chunk), rd.nchunks-1)
	pt, err := rd.openChunk(i, rr.buf, &rr.params)
	rr.opened = true
	if err != nil {
		rr.release()
		rr.err = err
		return err
	}
	start := rr.pos - i*int64(rd.chunk)
	stop := min(int64(len(pt)), rr.end-i*int64(rd.chunk))
	rr.avail = pt[start:stop]
	rr.pos = i*int64(rd.chunk) + stop
	return nil
}

// release wipes the plaintext from the chunk buffer and gives it back once the range is done
// or failed.
func (rr *RangeReader) release() {
	buf := rr.buf
	clear(buf)
	rr.buf, rr.avail = nil, nil
	rr.rd.opts.putBuffer(buf, rr.pooled)
}

// openChunk reads chunk i into buf and authenticates and decrypts it in place.
func (rd *Reader) openChunk(i int64, buf []byte, p *chunkParams) ([]byte, error) {
	off := HeaderSize + i*int64(rd.chunk+Overhead)
	n := int64(rd.chunk + Overhead)
	final := i == rd.nchunks-1
	if final {
		n = rd.ctSize - off
	}
	ct := buf[:n]
	if err := readFullAt(rd.r, ct, off); err != nil {
		return nil, err
	}
	p.set(uint32(i), final)
	pt, err := rd.aead.Open(ct[:0], p.nonce[:], ct, p.aad[:])
	if err != nil {
		return nil, fmt.Errorf("%w: chunk %d of %d", ErrAuthentication, i, rd.nchunks)
	}
	return pt, nil
}

// readFullAt reads len(b) bytes at off; a stream shorter than its recorded size is reported
// as ErrAuthentication (truncated), other I/O errors as they are.
func readFullAt(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil // ReadAt may return io.EOF with a full read at the end
	}
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: ciphertext truncated at byte %d", ErrAuthentication, off+int64(n))
	}
	return fmt.Errorf("crypt: reading ciphertext: %w", err)
}
