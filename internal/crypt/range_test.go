package crypt

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"testing"
	"testing/iotest"
)

// TestRangeExhaustive compares every range of every plaintext size up to a few chunks with
// the plaintext, for a 16-byte chunk so that every chunk-boundary case is covered.
func TestRangeExhaustive(t *testing.T) {
	const chunk = 1 << minChunkShift
	key := testKey(t)
	for size := 0; size <= 4*chunk+3; size++ {
		pt := pattern(size)
		ct := encrypt(t, key, minChunkShift, pt, 5)
		rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key)
		if err != nil {
			t.Fatal(err)
		}
		for off := 0; off <= size; off++ {
			for n := 0; off+n <= size; n++ {
				want := pt[off : off+n]
				var got bytes.Buffer
				if _, err := rd.NewRangeReader(int64(off), int64(n)).WriteTo(&got); err != nil || !bytes.Equal(got.Bytes(), want) {
					t.Fatalf("size %d range [%d,+%d) WriteTo: %v, got %x want %x", size, off, n, err, got.Bytes(), want)
				}
				// Read with one-byte reads crosses every boundary one call at a time.
				b, err := io.ReadAll(iotest.OneByteReader(rd.NewRangeReader(int64(off), int64(n))))
				if err != nil || !bytes.Equal(b, want) {
					t.Fatalf("size %d range [%d,+%d) Read: %v, got %x want %x", size, off, n, err, b, want)
				}
			}
		}
	}
}

func TestRangeReaderIsAnIOReader(t *testing.T) {
	key := testKey(t)
	pt := pattern(3*ChunkSize + 17)
	ct := encrypt(t, key, defaultChunkShift, pt, 0)
	rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key)
	if err != nil {
		t.Fatal(err)
	}
	off, n := int64(ChunkSize-5), int64(2*ChunkSize+9)
	if err := iotest.TestReader(rd.NewRangeReader(off, n), pt[off:off+n]); err != nil {
		t.Fatal(err)
	}
}

// countingReaderAt records which byte ranges were read.
type countingReaderAt struct {
	r     io.ReaderAt
	mu    sync.Mutex
	reads [][2]int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.mu.Lock()
	c.reads = append(c.reads, [2]int64{off, int64(len(p))})
	c.mu.Unlock()
	return c.r.ReadAt(p, off)
}

func TestRangeReadsOnlyOverlappingChunks(t *testing.T) {
	const chunk = 1 << minChunkShift
	key := testKey(t)
	pt := pattern(10*chunk + 7)
	ct := encrypt(t, key, minChunkShift, pt, 0)
	tests := []struct {
		off, n     int64
		firstChunk int64
		lastChunk  int64
	}{
		{0, 1, 0, 0},
		{15, 2, 0, 1},
		{16, 16, 1, 1},
		{33, 40, 2, 4},
		{10 * chunk, 7, 10, 10},
		{10*chunk + 6, 1, 10, 10},
		{5, 10 * chunk, 0, 10},
	}
	for _, tt := range tests {
		cr := &countingReaderAt{r: bytes.NewReader(ct)}
		rd, err := NewReaderAt(cr, int64(len(ct)), key)
		if err != nil {
			t.Fatal(err)
		}
		cr.reads = nil // forget the header read
		got, err := io.ReadAll(rd.NewRangeReader(tt.off, tt.n))
		if err != nil || !bytes.Equal(got, pt[tt.off:tt.off+tt.n]) {
			t.Fatalf("range [%d,+%d): %v", tt.off, tt.n, err)
		}
		var want [][2]int64
		for i := tt.firstChunk; i <= tt.lastChunk; i++ {
			start := HeaderSize + i*(chunk+Overhead)
			want = append(want, [2]int64{start, min(chunk+Overhead, int64(len(ct))-start)})
		}
		if !equalReads(cr.reads, want) {
			t.Errorf("range [%d,+%d) read %v, want exactly chunks %d..%d %v", tt.off, tt.n, cr.reads, tt.firstChunk, tt.lastChunk, want)
		}
	}
}

func equalReads(a, b [][2]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRangeOutOfBounds(t *testing.T) {
	key := testKey(t)
	ct := encrypt(t, key, minChunkShift, pattern(40), 0)
	rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][2]int64{{-1, 1}, {0, -1}, {0, 41}, {41, 0}, {40, 1}, {1, 1<<63 - 1}} {
		n, err := rd.NewRangeReader(r[0], r[1]).Read(make([]byte, 8))
		if n != 0 || !errors.Is(err, ErrRange) {
			t.Errorf("range %v: Read = %d, %v, want ErrRange", r, n, err)
		}
	}
	// The empty range at the end is valid and reads nothing.
	if n, err := rd.NewRangeReader(40, 0).Read(make([]byte, 8)); n != 0 || err != io.EOF {
		t.Errorf("empty range at the end: %d, %v", n, err)
	}
}

func TestReaderConcurrentRanges(t *testing.T) {
	key := testKey(t)
	pt := pattern(5*ChunkSize + 3)
	ct := encrypt(t, key, defaultChunkShift, pt, 0)
	rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			off := int64(g) * ChunkSize / 2
			n := int64(len(pt)) - off - int64(g)
			got, err := io.ReadAll(rd.NewRangeReader(off, n))
			if err != nil || !bytes.Equal(got, pt[off:off+n]) {
				t.Errorf("goroutine %d: %v", g, err)
			}
		})
	}
	wg.Wait()
}

type errReaderAt struct{ err error }

func (e errReaderAt) ReadAt([]byte, int64) (int, error) { return 0, e.err }

// I/O failures stay I/O failures: the store must not report a disk error as corruption.
func TestIOErrorsAreNotAuthenticationErrors(t *testing.T) {
	key := testKey(t)
	ioErr := errors.New("input/output error")
	if _, err := NewReaderAt(errReaderAt{ioErr}, 100, key); !errors.Is(err, ioErr) || errors.Is(err, ErrAuthentication) {
		t.Errorf("NewReaderAt on a failing disk: %v", err)
	}
	pt := pattern(3 * ChunkSize)
	ct := encrypt(t, key, defaultChunkShift, pt, 0)
	pool := newRecordingPool(BufferSize)
	rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key, WithBufferPool(pool))
	if err != nil {
		t.Fatal(err)
	}
	rd.r = errReaderAt{ioErr} // the disk fails after the header was read
	if _, err := io.ReadAll(rd.NewRangeReader(0, int64(len(pt)))); !errors.Is(err, ioErr) || errors.Is(err, ErrAuthentication) {
		t.Errorf("range read on a failing disk: %v", err)
	}
	// A failing destination ends WriteTo with its error and returns the buffer.
	rd.r = bytes.NewReader(ct)
	n, err := rd.NewRangeReader(0, int64(len(pt))).WriteTo(&failWriter{after: 1})
	if err == nil || n != ChunkSize {
		t.Errorf("WriteTo to a failing writer = %d, %v; want one chunk then the error", n, err)
	}
	if pool.outstanding() != 0 {
		t.Errorf("%d buffers not returned", pool.outstanding())
	}
}
