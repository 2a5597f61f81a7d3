package crypt

import (
	"encoding/binary"
	"fmt"
)

// Stream format constants; the package documentation is the specification.
const (
	// ChunkSize is the plaintext size of every chunk but the last in streams this package
	// writes: large enough that the 16-byte tag costs 0.02%, small enough that a Range read
	// decrypts at most 128 KiB it does not return.
	ChunkSize = 1 << defaultChunkShift
	// HeaderSize is the length of the stream header.
	HeaderSize = 16
	// Overhead is the ciphertext bytes added per chunk (the GCM tag).
	Overhead = tagSize

	defaultChunkShift = 16
	minChunkShift     = 4  // 16 bytes: tests exercise every boundary with it
	maxChunkShift     = 20 // 1 MiB: bounds what a reader allocates for a header it has not yet authenticated
	streamVersion     = 1
	prefixSize        = 8
	aadSize           = HeaderSize + 4 + 1
	maxChunks         = 1 << 32
)

var streamMagic = [4]byte{'I', 'C', 'D', 'E'}

// header is the 16-byte stream header.
type header [HeaderSize]byte

// newHeader builds a header with a fresh random nonce prefix.
func newHeader(shift uint8) (header, error) {
	var h header
	copy(h[:4], streamMagic[:])
	h[4] = streamVersion
	h[5] = shift
	err := randomBytes(h[8:16])
	return h, err
}

// check validates the framing fields. Every field is also authenticated (the header is in each
// chunk's AAD), so a bad header is reported as ErrAuthentication like any other modified byte.
func (h *header) check() error {
	switch {
	case [4]byte(h[:4]) != streamMagic:
		return fmt.Errorf("%w: not an imgcdn encrypted stream (bad magic)", ErrAuthentication)
	case h[4] != streamVersion:
		return fmt.Errorf("%w: unknown stream format version %d", ErrAuthentication, h[4])
	case h[5] < minChunkShift || h[5] > maxChunkShift:
		return fmt.Errorf("%w: chunk size 2^%d out of range", ErrAuthentication, h[5])
	case h[6] != 0 || h[7] != 0:
		return fmt.Errorf("%w: reserved header bytes are not zero", ErrAuthentication)
	}
	return nil
}

func (h *header) chunkSize() int { return 1 << h[5] }

// chunkParams holds the per-stream state for sealing and opening chunks: the nonce and AAD
// buffers are rewritten in place for each chunk, so no chunk allocates.
type chunkParams struct {
	nonce [12]byte
	aad   [aadSize]byte
}

func (c *chunkParams) init(h *header) {
	copy(c.nonce[:prefixSize], h[8:16])
	copy(c.aad[:HeaderSize], h[:])
}

// set points nonce and AAD at chunk i.
func (c *chunkParams) set(i uint32, final bool) {
	binary.BigEndian.PutUint32(c.nonce[prefixSize:], i)
	binary.BigEndian.PutUint32(c.aad[HeaderSize:], i)
	c.aad[HeaderSize+4] = 0
	if final {
		c.aad[HeaderSize+4] = 1
	}
}

// CiphertextSize returns the size of the stream that encrypts plaintextSize bytes with the
// default chunk size, or -1 for a negative size.
func CiphertextSize(plaintextSize int64) int64 {
	return ciphertextSize(plaintextSize, ChunkSize)
}

// PlaintextSize is the inverse of CiphertextSize: the plaintext size of a stream of
// ciphertextSize bytes with the default chunk size, or ErrAuthentication when no stream has
// that size (it was truncated or extended by a partial chunk).
func PlaintextSize(ciphertextSize int64) (int64, error) {
	n, _, err := plaintextSize(ciphertextSize, ChunkSize)
	return n, err
}

func ciphertextSize(n int64, chunk int) int64 {
	if n < 0 {
		return -1
	}
	chunks := (n + int64(chunk) - 1) / int64(chunk)
	if chunks == 0 {
		chunks = 1
	}
	return HeaderSize + n + chunks*Overhead
}

// plaintextSize returns the plaintext size and chunk count of a stream of size bytes.
func plaintextSize(size int64, chunk int) (n, chunks int64, err error) {
	body := size - HeaderSize
	if body < Overhead {
		return 0, 0, fmt.Errorf("%w: %d bytes is too short for an encrypted stream", ErrAuthentication, size)
	}
	full, rem := body/int64(chunk+Overhead), body%int64(chunk+Overhead)
	switch {
	case rem == 0:
		n, chunks = full*int64(chunk), full
	case rem > Overhead || (rem == Overhead && full == 0):
		n, chunks = full*int64(chunk)+rem-Overhead, full+1
	default:
		return 0, 0, fmt.Errorf("%w: %d bytes is not the size of any encrypted stream (truncated or extended)", ErrAuthentication, size)
	}
	if chunks > maxChunks {
		return 0, 0, fmt.Errorf("%w: %d chunks", ErrTooLarge, chunks)
	}
	return n, chunks, nil
}
