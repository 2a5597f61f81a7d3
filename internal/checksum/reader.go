package checksum

import (
	"bytes"
	"fmt"
	"hash"
	"io"
)

// Reader hashes what it reads and, at EOF, compares the checksum with the expected value.
type Reader struct {
	r        io.Reader
	alg      Algorithm
	h        hash.Hash
	expected func() string
	sum      string
	n        int64
	err      error
}

var _ io.Reader = (*Reader)(nil)

// NewReader verifies r against the checksum named alg. expected is called once, at EOF, so
// that a value arriving in a trailer works: a mismatch turns io.EOF into a *MismatchError
// (ErrMismatch), a missing ("") value into ErrMissingValue and a malformed one into
// ErrInvalidValue. With a nil expected the reader only computes Sum. An unknown alg fails
// the first Read with ErrUnsupportedAlgorithm.
func NewReader(r io.Reader, alg string, expected func() string) *Reader {
	a, err := ParseAlgorithm(alg)
	if err != nil {
		return &Reader{r: r, err: err}
	}
	return &Reader{r: r, alg: a, h: a.New(), expected: expected}
}

// Read implements io.Reader.
func (c *Reader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	if err == io.EOF {
		err = c.finish()
	}
	if err != nil {
		c.err = err
	}
	return n, err
}

func (c *Reader) finish() error {
	raw := c.h.Sum(nil)
	c.sum = Encode(raw)
	if c.expected == nil {
		return io.EOF
	}
	want := c.expected()
	if want == "" {
		return fmt.Errorf("%w (%s)", ErrMissingValue, c.alg.Header())
	}
	wantRaw, err := c.alg.Decode(want)
	if err != nil {
		return err
	}
	if !bytes.Equal(wantRaw, raw) {
		return &MismatchError{Algorithm: c.alg, Expected: want, Computed: c.sum}
	}
	return io.EOF
}

// Sum is the base64 checksum of everything read, once Read has reached the end of the input
// (even when the comparison failed); "" before.
func (c *Reader) Sum() string { return c.sum }

// Algorithm is the algorithm in use ("" when NewReader got an unknown name).
func (c *Reader) Algorithm() Algorithm { return c.alg }

// Len is the number of bytes read so far.
func (c *Reader) Len() int64 { return c.n }
