package crypt

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

type benchCase struct {
	name string
	size int
	opts []Option
}

func benchCases() []benchCase {
	var cases []benchCase
	for _, size := range []int{32 << 10, 1 << 20} {
		cases = append(cases,
			benchCase{sizeName(size), size, nil},
			benchCase{sizeName(size) + "-pooled", size, []Option{WithBufferPool(NewBufferPool())}})
	}
	return cases
}

// BenchmarkWriter measures encryption of whole objects as the store's PUT path does it.
// The "pooled" variants borrow chunk buffers from a BufferPool, as the store should.
func BenchmarkWriter(b *testing.B) {
	for _, bc := range benchCases() {
		b.Run(bc.name, func(b *testing.B) {
			key := testKey(b)
			pt := pattern(bc.size)
			b.SetBytes(int64(bc.size))
			b.ReportAllocs()
			for b.Loop() {
				w := NewWriter(io.Discard, key, bc.opts...)
				if _, err := w.Write(pt); err != nil {
					b.Fatal(err)
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRangeReader measures decryption of whole objects as the store's GET path does it:
// open the stream, then io.Copy a range reader to the response.
func BenchmarkRangeReader(b *testing.B) {
	for _, bc := range benchCases() {
		b.Run(bc.name, func(b *testing.B) {
			key := testKey(b)
			ct := encrypt(b, key, defaultChunkShift, pattern(bc.size), 0)
			src := bytes.NewReader(ct)
			b.SetBytes(int64(bc.size))
			b.ReportAllocs()
			for b.Loop() {
				rd, err := NewReaderAt(src, int64(len(ct)), key, bc.opts...)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, rd.NewRangeReader(0, rd.PlaintextSize())); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}
