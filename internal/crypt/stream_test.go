package crypt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"testing"
)

func TestCiphertextSize(t *testing.T) {
	tests := []struct{ pt, ct int64 }{
		{0, 32}, // header + one empty final chunk
		{1, 33},
		{ChunkSize - 1, 16 + ChunkSize - 1 + 16},
		{ChunkSize, 16 + ChunkSize + 16},
		{ChunkSize + 1, 16 + ChunkSize + 1 + 32},
		{3*ChunkSize + 17, 16 + 3*ChunkSize + 17 + 4*16},
		{5 << 40, 16 + 5<<40 + (5<<40/ChunkSize)*16}, // S3's 5 TiB maximum
		{-1, -1},
	}
	for _, tt := range tests {
		if got := CiphertextSize(tt.pt); got != tt.ct {
			t.Errorf("CiphertextSize(%d) = %d, want %d", tt.pt, got, tt.ct)
		}
		if tt.pt < 0 {
			continue
		}
		if got, err := PlaintextSize(tt.ct); err != nil || got != tt.pt {
			t.Errorf("PlaintextSize(%d) = %d, %v, want %d", tt.ct, got, err, tt.pt)
		}
	}
}

// TestPlaintextSizeInverse checks, for a 16-byte chunk, that exactly the sizes CiphertextSize
// produces are accepted and each maps back to its plaintext size.
func TestPlaintextSizeInverse(t *testing.T) {
	const chunk = 16
	valid := map[int64]int64{}
	for n := int64(0); n < 200; n++ {
		valid[ciphertextSize(n, chunk)] = n
	}
	for size := int64(-1); size < ciphertextSize(200, chunk); size++ {
		n, _, err := plaintextSize(size, chunk)
		want, ok := valid[size]
		switch {
		case ok && (err != nil || n != want):
			t.Errorf("plaintextSize(%d) = %d, %v, want %d", size, n, err, want)
		case !ok && !errors.Is(err, ErrAuthentication):
			t.Errorf("plaintextSize(%d) = %d, %v, want ErrAuthentication", size, n, err)
		}
	}
}

func TestRoundTripSizes(t *testing.T) {
	key := testKey(t)
	rng := mrand.New(mrand.NewPCG(1, 2))
	sizes := []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 2 * ChunkSize, 3*ChunkSize + 17, rng.IntN(5 * ChunkSize), rng.IntN(5 * ChunkSize)}
	steps := []int{0, 1000, ChunkSize, ChunkSize + 1, 3 * ChunkSize}
	for _, size := range sizes {
		pt := pattern(size)
		for _, step := range steps {
			t.Run(fmt.Sprintf("size=%d/step=%d", size, step), func(t *testing.T) {
				ct := encrypt(t, key, defaultChunkShift, pt, step)
				if int64(len(ct)) != CiphertextSize(int64(size)) {
					t.Fatalf("ciphertext is %d bytes, CiphertextSize says %d", len(ct), CiphertextSize(int64(size)))
				}
				if size >= 64 && bytes.Contains(ct, pt[size/2:size/2+32]) {
					t.Fatal("plaintext appears in the ciphertext")
				}
				got, err := Open(nil, key, ct)
				if err != nil || !bytes.Equal(got, pt) {
					t.Fatalf("Open: %v (got %d bytes, want %d)", err, len(got), size)
				}
				rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key)
				if err != nil {
					t.Fatal(err)
				}
				if rd.PlaintextSize() != int64(size) {
					t.Fatalf("PlaintextSize() = %d, want %d", rd.PlaintextSize(), size)
				}
				all, err := io.ReadAll(rd.NewRangeReader(0, int64(size)))
				if err != nil || !bytes.Equal(all, pt) {
					t.Fatalf("range reader: %v", err)
				}
			})
		}
	}
}

func TestSealMatchesWriterFormat(t *testing.T) {
	key := testKey(t)
	for _, size := range []int{0, 1, 15, 16, 17, 100} {
		pt := pattern(size)
		sealed, err := seal([]byte("keep"), key, pt, minChunkShift)
		if err != nil {
			t.Fatal(err)
		}
		if string(sealed[:4]) != "keep" {
			t.Fatal("Seal overwrote dst")
		}
		sealed = sealed[4:]
		written := encrypt(t, key, minChunkShift, pt, 0)
		// Same layout: everything but the random nonce prefix and the tags depends on sizes only.
		if len(sealed) != len(written) || !bytes.Equal(sealed[:8], written[:8]) {
			t.Fatalf("size %d: Seal gave %d bytes %x, Writer %d bytes %x", size, len(sealed), sealed[:8], len(written), written[:8])
		}
		for _, ct := range [][]byte{sealed, written} {
			if got, err := Open([]byte("x"), key, ct); err != nil || !bytes.Equal(got, append([]byte("x"), pt...)) {
				t.Fatalf("size %d: Open: %v", size, err)
			}
			if got, err := readRange(t, key, ct, 0, int64(size), true); err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("size %d: range reader: %v", size, err)
			}
		}
	}
}

func TestStreamsDifferUnderOneKey(t *testing.T) {
	key := testKey(t)
	a := encrypt(t, key, defaultChunkShift, pattern(100), 0)
	b := encrypt(t, key, defaultChunkShift, pattern(100), 0)
	if bytes.Equal(a[8:16], b[8:16]) || bytes.Equal(a[HeaderSize:], b[HeaderSize:]) {
		t.Fatal("two streams under one key share a nonce prefix or ciphertext")
	}
}

// recordingWriter keeps the stream and the length of every Write.
type recordingWriter struct {
	bytes.Buffer
	writes []int
}

func (r *recordingWriter) Write(p []byte) (int, error) {
	r.writes = append(r.writes, len(p))
	return r.Buffer.Write(p)
}

// TestWriterBuffersAtMostOneChunk checks the memory bound (after any Write, at most one chunk
// of plaintext and less than one chunk size of ciphertext are held back) and that every write
// but the last is a whole number of chunk sizes, hence starts at an aligned offset.
func TestWriterBuffersAtMostOneChunk(t *testing.T) {
	// 32-byte chunks: a sealed chunk (48 bytes) is not a multiple of the chunk size.
	const shift, chunk = 5, 1 << 5
	key := testKey(t)
	for _, sizes := range [][]int{
		{1, 15, 1, 16, 40, 3, 100, 16},
		{2*chunk - HeaderSize - Overhead}, // header and the final chunk fill two pieces exactly
		{1000 * chunk},                    // chunk-size pieces straight from the sealed chunks
		{0},                               // the empty stream
		{chunk, chunk, 7, chunk},          // the last write is short
	} {
		out := &recordingWriter{}
		w := NewWriter(out, key, withChunkShift(shift))
		total := 0
		var pt []byte
		for _, n := range sizes {
			p := pattern(n)
			pt = append(pt, p...)
			if _, err := w.Write(p); err != nil {
				t.Fatal(err)
			}
			total += n
			// Whatever is not written yet is the pending plaintext and the staged ciphertext.
			if w.n > chunk || w.outN >= chunk {
				t.Fatalf("%v: after %d bytes, %d plaintext and %d ciphertext bytes held back", sizes, total, w.n, w.outN)
			}
			if sealed := (total - w.n) / chunk; sealed > 0 && out.Len()+w.outN != HeaderSize+sealed*(chunk+Overhead) {
				t.Fatalf("%v: after %d bytes the stream has %d bytes, %d staged", sizes, total, out.Len(), w.outN)
			}
			for i, n := range out.writes {
				if n == 0 || n%chunk != 0 {
					t.Fatalf("%v: write %d is %d bytes before Close, want a multiple of %d", sizes, i, n, chunk)
				}
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for i, n := range out.writes[:len(out.writes)-1] {
			if n == 0 || n%chunk != 0 {
				t.Fatalf("%v: write %d of %v is not a multiple of %d bytes", sizes, i, out.writes, chunk)
			}
		}
		got, err := Open(nil, key, out.Bytes())
		if err != nil || !bytes.Equal(got, pt) || int64(out.Len()) != ciphertextSize(int64(total), chunk) {
			t.Fatalf("%v: round trip: %v", sizes, err)
		}
	}
}

type failWriter struct{ after int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("disk full")
	}
	f.after--
	return len(p), nil
}

func TestWriterErrors(t *testing.T) {
	key := testKey(t)
	w := NewWriter(&failWriter{after: 1}, key, withChunkShift(minChunkShift)) // the header goes through
	_, err := w.Write(pattern(100))
	if err == nil || err.Error() != "crypt: writing ciphertext: disk full" {
		t.Fatalf("Write err = %v", err)
	}
	if _, err2 := w.Write([]byte("x")); err2 != err {
		t.Errorf("error not sticky: %v", err2)
	}
	if err := w.Close(); err == nil {
		t.Error("Close after a failed write returned nil")
	}

	var buf bytes.Buffer
	w = NewWriter(&buf, key)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close err = %v", err)
	}
	if buf.Len() != int(CiphertextSize(0)) {
		t.Errorf("empty stream is %d bytes", buf.Len())
	}

	w = NewWriter(io.Discard, key, withChunkShift(minChunkShift))
	w.index = maxChunks - 1 // the last chunk index a stream may use
	if _, err := w.Write(pattern(16)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(pattern(1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("chunk 2^32: err = %v, want ErrTooLarge", err)
	}

	w = NewWriter(io.Discard, key, withChunkShift(minChunkShift))
	w.index = maxChunks - 1
	if _, err := w.Write(pattern(16)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("final chunk at index 2^32-1: Close = %v", err)
	}
}
