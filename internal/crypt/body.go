package crypt

import (
	"fmt"
	"slices"
)

// Seal encrypts a small in-memory body (an inline object) into the stream format, appending
// the CiphertextSize(len(plaintext)) bytes to dst. It is what a Writer would write, so Open,
// NewReaderAt and range readers all read the result. dst and plaintext must not overlap.
func Seal(dst []byte, key DataKey, plaintext []byte) ([]byte, error) {
	return seal(dst, key, plaintext, defaultChunkShift)
}

func seal(dst []byte, key DataKey, plaintext []byte, shift uint8) ([]byte, error) {
	aead, err := key.aead()
	if err != nil {
		return dst, err
	}
	h, err := newHeader(shift)
	if err != nil {
		return dst, err
	}
	chunk := h.chunkSize()
	var p chunkParams
	p.init(&h)
	dst = slices.Grow(dst, int(ciphertextSize(int64(len(plaintext)), chunk)))
	dst = append(dst, h[:]...)
	for i := uint32(0); ; i++ {
		pt := plaintext[:min(chunk, len(plaintext))]
		plaintext = plaintext[len(pt):]
		final := len(plaintext) == 0
		p.set(i, final)
		dst = aead.Seal(dst, p.nonce[:], pt, p.aad[:])
		if final {
			return dst, nil
		}
	}
}

// Open decrypts a whole stream held in memory (as made by Seal or a Writer), appending the
// plaintext to dst. Any modification, truncation or extension gives ErrAuthentication, and
// then dst is returned unchanged: no unauthenticated byte is ever appended visibly.
func Open(dst []byte, key DataKey, ciphertext []byte) ([]byte, error) {
	aead, err := key.aead()
	if err != nil {
		return dst, err
	}
	if len(ciphertext) < HeaderSize+Overhead {
		return dst, fmt.Errorf("%w: %d bytes is too short for an encrypted stream", ErrAuthentication, len(ciphertext))
	}
	h := header(ciphertext[:HeaderSize])
	if err := h.check(); err != nil {
		return dst, err
	}
	chunk := h.chunkSize()
	size, nchunks, err := plaintextSize(int64(len(ciphertext)), chunk)
	if err != nil {
		return dst, err
	}
	var p chunkParams
	p.init(&h)
	orig := len(dst)
	dst = slices.Grow(dst, int(size))
	ct := ciphertext[HeaderSize:]
	for i := int64(0); i < nchunks; i++ {
		c := ct[:min(chunk+Overhead, len(ct))]
		ct = ct[len(c):]
		p.set(uint32(i), i == nchunks-1)
		out, err := aead.Open(dst, p.nonce[:], c, p.aad[:])
		if err != nil {
			clear(dst[orig:]) // earlier chunks authenticated, but the body as a whole did not
			return dst[:orig], fmt.Errorf("%w: chunk %d of %d", ErrAuthentication, i, nchunks)
		}
		dst = out
	}
	return dst, nil
}
