package crypt

import "sync"

// BufferSize is the size of the chunk buffers a Writer or range reader uses for streams with
// the default chunk size: one chunk of plaintext plus its tag.
const BufferSize = ChunkSize + Overhead

// BufferPool lends chunk buffers to Writers and range readers, in the shape of
// net/http/httputil.BufferPool. Without one, every stream allocates its own BufferSize buffer
// (smaller for a stream shorter than a chunk); with one, a busy store reuses a few warm
// buffers instead of asking the runtime for fresh 64 KiB blocks, whose zeroing and page faults
// cost more than encrypting a 32 KiB object. A Writer borrows two (one to seal chunks in, one
// to stage aligned writes) and returns them at Close; a range reader returns its one when it
// reaches the end of its range or fails. An abandoned stream's buffers are simply
// left to the garbage collector. Buffers shorter than a stream needs are put back and a
// private one is allocated instead.
type BufferPool interface {
	Get() []byte
	Put([]byte)
}

// NewBufferPool returns a BufferPool of BufferSize buffers backed by a sync.Pool. Make one per
// store rather than sharing a package-level pool.
func NewBufferPool() BufferPool { return &syncPool{} }

type syncPool struct{ p sync.Pool }

func (s *syncPool) Get() []byte {
	if b, ok := s.p.Get().(*[]byte); ok {
		return *b
	}
	return make([]byte, BufferSize)
}

func (s *syncPool) Put(b []byte) {
	if cap(b) < BufferSize {
		return
	}
	b = b[:BufferSize]
	s.p.Put(&b)
}

// Option configures NewWriter and NewReaderAt.
type Option func(*options)

type options struct {
	pool  BufferPool
	shift uint8 // log2 of the chunk size a Writer uses
}

// WithBufferPool makes the stream borrow its chunk buffer from p.
func WithBufferPool(p BufferPool) Option { return func(o *options) { o.pool = p } }

// withChunkShift sets a Writer's chunk size to 2^shift; tests use 16-byte chunks to reach
// every chunk boundary. Not exported: one chunk size keeps CiphertextSize a function of the
// plaintext size alone.
func withChunkShift(shift uint8) Option { return func(o *options) { o.shift = shift } }

func buildOptions(opts []Option) options {
	o := options{shift: defaultChunkShift}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// getBuffer returns a buffer of exactly n bytes, from the pool when it has one large enough.
func (o *options) getBuffer(n int) (buf []byte, pooled bool) {
	if o.pool != nil {
		if b := o.pool.Get(); cap(b) >= n {
			return b[:n], true
		} else if b != nil {
			o.pool.Put(b)
		}
	}
	return make([]byte, n), false
}

// putBuffer hands a pooled buffer back; the caller must drop every reference to it first.
func (o *options) putBuffer(b []byte, pooled bool) {
	if pooled && o.pool != nil {
		o.pool.Put(b)
	}
}
