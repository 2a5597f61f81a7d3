package crypt

import (
	"bytes"
	"crypto/rand"
	"io"
	"testing"
)

// testKey returns a fresh random data key.
func testKey(t testing.TB) DataKey {
	t.Helper()
	var b [KeySize]byte
	rand.Read(b[:])
	k, err := DataKeyFromBytes(b[:])
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// pattern returns n plaintext bytes that differ between neighbouring chunks, so a swapped or
// shifted chunk could not go unnoticed by a comparison.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/13 + 3)
	}
	return b
}

// encrypt runs plaintext through a Writer with the given chunk shift, writing it in pieces of
// step bytes (all at once when step <= 0).
func encrypt(t testing.TB, key DataKey, shift uint8, plaintext []byte, step int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, key, withChunkShift(shift))
	if step <= 0 {
		step = len(plaintext) + 1
	}
	for p := plaintext; len(p) > 0; {
		n := min(step, len(p))
		if m, err := w.Write(p[:n]); err != nil || m != n {
			t.Fatalf("Write(%d bytes) = %d, %v", n, m, err)
		}
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// readRange decrypts [off, off+n) of ct through a range reader, using Read when viaRead is
// set and WriteTo otherwise. It returns what the reader produced before any error.
func readRange(t testing.TB, key DataKey, ct []byte, off, n int64, viaRead bool) ([]byte, error) {
	t.Helper()
	rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key)
	if err != nil {
		return nil, err
	}
	rr := rd.NewRangeReader(off, n)
	var out bytes.Buffer
	if viaRead {
		_, err = io.Copy(&out, struct{ io.Reader }{rr}) // hide WriteTo
	} else {
		_, err = rr.WriteTo(&out)
	}
	return out.Bytes(), err
}
