package crypt

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"testing"
)

// recordingPool lends buffers of a given size and checks that every one comes back once.
type recordingPool struct {
	size int
	mu   sync.Mutex
	out  map[*byte]bool
	gets int
}

func newRecordingPool(size int) *recordingPool {
	return &recordingPool{size: size, out: map[*byte]bool{}}
}

func (p *recordingPool) Get() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := make([]byte, p.size, p.size)
	if p.size > 0 {
		p.out[&b[:1][0]] = true
	}
	p.gets++
	return b
}

func (p *recordingPool) Put(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cap(b) == 0 {
		return
	}
	k := &b[:1][0]
	if !p.out[k] {
		panic("Put of a buffer not lent or returned twice")
	}
	delete(p.out, k)
}

func (p *recordingPool) outstanding() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.out)
}

func TestBufferPoolRoundTrip(t *testing.T) {
	key := testKey(t)
	for _, size := range []int{0, 1, ChunkSize, 3*ChunkSize + 17} {
		pool := newRecordingPool(BufferSize)
		pt := pattern(size)
		var buf bytes.Buffer
		w := NewWriter(&buf, key, WithBufferPool(pool))
		if _, err := w.Write(pt); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		// One buffer for the chunk being sealed, one to stage aligned writes.
		if pool.gets != 2 || pool.outstanding() != 0 {
			t.Fatalf("size %d: writer took %d buffers, %d not returned", size, pool.gets, pool.outstanding())
		}
		ct := buf.Bytes()
		rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key, WithBufferPool(pool))
		if err != nil {
			t.Fatal(err)
		}
		for _, off := range []int64{0, int64(size) / 2, int64(size)} {
			got, err := io.ReadAll(rd.NewRangeReader(off, int64(size)-off))
			if err != nil || !bytes.Equal(got, pt[off:]) {
				t.Fatalf("size %d off %d: %v", size, off, err)
			}
		}
		if pool.outstanding() != 0 {
			t.Fatalf("size %d: %d range reader buffers not returned", size, pool.outstanding())
		}
	}
}

func TestBufferPoolReturnedOnFailure(t *testing.T) {
	key := testKey(t)
	pool := newRecordingPool(BufferSize)
	ct := encrypt(t, key, defaultChunkShift, pattern(2*ChunkSize), 0)
	ct[len(ct)-1] ^= 1
	rd, err := NewReaderAt(bytes.NewReader(ct), int64(len(ct)), key, WithBufferPool(pool))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(rd.NewRangeReader(0, 2*ChunkSize)); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("err = %v", err)
	}
	w := NewWriter(&failWriter{}, key, WithBufferPool(pool))
	if _, err := w.Write(pattern(2 * ChunkSize)); err == nil {
		t.Fatal("write to a failing writer succeeded")
	}
	w.Close()
	if pool.outstanding() != 0 {
		t.Fatalf("%d buffers not returned after failures", pool.outstanding())
	}
}

// A pool whose buffers are too small for the stream is bypassed, not trusted.
func TestBufferPoolTooSmall(t *testing.T) {
	key := testKey(t)
	pool := newRecordingPool(100)
	pt := pattern(3*ChunkSize + 17)
	var buf bytes.Buffer
	w := NewWriter(&buf, key, WithBufferPool(pool))
	w.Write(pt)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := Open(nil, key, buf.Bytes())
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("Open: %v", err)
	}
	if pool.outstanding() != 0 {
		t.Fatalf("%d small buffers kept", pool.outstanding())
	}
}

func TestNewBufferPool(t *testing.T) {
	p := NewBufferPool()
	b := p.Get()
	if len(b) != BufferSize {
		t.Fatalf("Get() returned %d bytes, want %d", len(b), BufferSize)
	}
	p.Put(b[:10]) // resliced buffers come back at full size
	if b2 := p.Get(); len(b2) != BufferSize {
		t.Fatalf("Get() after Put returned %d bytes", len(b2))
	}
	p.Put(make([]byte, 10)) // too small: dropped
	if b3 := p.Get(); len(b3) != BufferSize {
		t.Fatalf("Get() returned %d bytes", len(b3))
	}
}
