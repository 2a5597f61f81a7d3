package main

import (
	"errors"
	"io"
	"math/rand/v2"
)

// patternLen is the period of the generated data: long enough that no compressor or dedup
// layer gains from it at object-part scale, short enough to stay in cache.
const patternLen = 1 << 20

// newPattern returns patternLen pseudo-random bytes from a fixed seed, so runs are repeatable.
func newPattern() []byte {
	p := make([]byte, patternLen)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(p); i += 8 {
		v := r.Uint64()
		for j := 0; j < 8; j++ {
			p[i+j] = byte(v >> (8 * j))
		}
	}
	return p
}

// genReader streams size bytes of a repeating pattern starting at pattern offset base, without
// holding them in memory. It is an io.ReadSeeker because aws-sdk-go-v2 reads an upload body
// once to compute its checksums over plain HTTP and then rewinds it to send it.
type genReader struct {
	pattern []byte
	base    int64
	size    int64
	off     int64
}

var _ io.ReadSeeker = (*genReader)(nil)

func newGenReader(pattern []byte, base, size int64) *genReader {
	return &genReader{pattern: pattern, base: base, size: size}
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), g.size-g.off)]
	n := 0
	for n < len(p) {
		at := (g.base + g.off + int64(n)) % int64(len(g.pattern))
		n += copy(p[n:], g.pattern[at:])
	}
	g.off += int64(n)
	return n, nil
}

func (g *genReader) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = g.off + offset
	case io.SeekEnd:
		abs = g.size + offset
	default:
		return 0, errors.New("genReader: invalid whence")
	}
	if abs < 0 {
		return 0, errors.New("genReader: negative position")
	}
	g.off = abs
	return abs, nil
}
