//go:build !race

// The race detector adds allocations of its own, so allocation counts are checked only
// without it.

package crypt

import (
	"bytes"
	"io"
	"testing"
)

func TestWriterSteadyStateAllocatesNothing(t *testing.T) {
	w := NewWriter(io.Discard, testKey(t))
	chunk := pattern(ChunkSize)
	if _, err := w.Write(chunk); err != nil { // header and first chunk
		t.Fatal(err)
	}
	for _, p := range [][]byte{chunk, chunk[:1000], pattern(3*ChunkSize + 5)} {
		if allocs := testing.AllocsPerRun(20, func() {
			if _, err := w.Write(p); err != nil {
				t.Fatal(err)
			}
		}); allocs != 0 {
			t.Errorf("Write(%d bytes) allocates %.1f times per call, want 0", len(p), allocs)
		}
	}
}

func TestRangeReaderSteadyStateAllocatesNothing(t *testing.T) {
	key := testKey(t)
	pt := pattern(40 * ChunkSize)
	ct := encrypt(t, key, defaultChunkShift, pt, 0)
	rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key)
	if err != nil {
		t.Fatal(err)
	}
	rr := rd.NewRangeReader(0, int64(len(pt)))
	buf := make([]byte, ChunkSize)
	if _, err := io.ReadFull(rr, buf); err != nil { // allocates the chunk buffer
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(20, func() {
		if _, err := io.ReadFull(rr, buf); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("reading a chunk allocates %.1f times, want 0", allocs)
	}
	// A whole range costs the same few allocations whatever its length.
	perRange := func(n int64) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := rd.NewRangeReader(0, n).WriteTo(io.Discard); err != nil {
				t.Fatal(err)
			}
		})
	}
	if one, many := perRange(ChunkSize), perRange(int64(len(pt))); one != many {
		t.Errorf("a 1-chunk range allocates %.1f times, a 40-chunk range %.1f; want equal", one, many)
	}
}
