package disk

import (
	"fmt"
	"io"
	"os"

	"github.com/imgcdn/imgcdn/internal/crypt"
)

// cryptReader reads a plaintext range across the encrypted blob files of an object. Each
// segment is its own crypt stream with its own data key; the reader opens one at a time, and
// crypt's range reader decrypts only the chunks the range overlaps. A chunk that fails
// authentication ends the read with objstore.ErrCorrupt; no unauthenticated byte is returned.
type cryptReader struct {
	s      *Store
	segs   []segment
	idx    int   // current segment
	off    int64 // plaintext offset in the current segment
	remain int64 // bytes left to return
	f      *os.File
	rr     *crypt.RangeReader // over the current segment's part of the range
	left   int64              // bytes rr has still to return
	err    error              // sticky
}

func newCryptReader(s *Store, segs []segment, offset, length int64) *cryptReader {
	r := &cryptReader{s: s, segs: segs, remain: length}
	for r.idx < len(segs) && offset >= segs[r.idx].size {
		offset -= segs[r.idx].size
		r.idx++
	}
	r.off = offset
	return r
}

// start opens the first segment now rather than on the first Read, so that a data key that
// does not unwrap (another master key) or a missing blob is an error of NewReader: the S3
// layer can still answer it with a status, instead of aborting a 200 it has begun to send.
func (r *cryptReader) start() error {
	if r.remain == 0 {
		return nil
	}
	r.err = r.open()
	return r.err
}

// open prepares the range reader of the segment holding the next byte; remain is positive.
func (r *cryptReader) open() error {
	for r.off == r.segs[r.idx].size { // also skips empty segments
		r.idx++
		r.off = 0
	}
	seg := &r.segs[r.idx]
	dk, err := r.s.unwrap(&seg.wk, seg.id)
	if err != nil {
		return err
	}
	f, err := os.Open(blobPath(r.s.cfg.Dir, seg.id))
	if err != nil {
		return fmt.Errorf("disk: open body: %w", err)
	}
	rd, err := crypt.NewReaderAt(f, crypt.CiphertextSize(seg.size), dk, crypt.WithBufferPool(r.s.cryptBufs))
	if err != nil {
		f.Close()
		return corruptErr(err)
	}
	r.f = f
	r.left = min(r.remain, seg.size-r.off)
	r.rr = rd.NewRangeReader(r.off, r.left)
	return nil
}

// done closes the current segment once its range is read. Reading rr to io.EOF lets it
// return its buffer to the pool (it reads nothing more).
func (r *cryptReader) done() {
	r.rr.Read(nil)
	r.rr = nil
	r.f.Close()
	r.f = nil
}

// account records n bytes returned from the current segment.
func (r *cryptReader) account(n int64) {
	r.off += n
	r.remain -= n
	r.left -= n
}

func (r *cryptReader) Read(p []byte) (int, error) {
	for {
		if r.err != nil {
			return 0, r.err
		}
		if r.remain == 0 {
			return 0, io.EOF
		}
		if r.rr == nil {
			if r.err = r.open(); r.err != nil {
				return 0, r.err
			}
		}
		n, err := r.rr.Read(p)
		r.account(int64(n))
		if err != nil && err != io.EOF {
			r.fail(err)
			return n, r.err
		}
		if r.left == 0 {
			r.done()
		} else if err == io.EOF {
			r.fail(fmt.Errorf("disk: encrypted body ended %d bytes early: %w", r.left, io.ErrUnexpectedEOF))
		}
		if n > 0 || len(p) == 0 {
			return n, nil
		}
	}
}

// WriteTo hands each segment's range to crypt's io.WriterTo, which writes every decrypted
// chunk straight from its chunk buffer.
func (r *cryptReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for r.err == nil && r.remain > 0 {
		if r.rr == nil {
			if r.err = r.open(); r.err != nil {
				break
			}
		}
		n, err := r.rr.WriteTo(w)
		total += n
		r.account(n)
		if err == nil && r.left != 0 {
			err = fmt.Errorf("disk: encrypted body ended %d bytes early: %w", r.left, io.ErrUnexpectedEOF)
		}
		if err != nil {
			r.fail(err)
			break
		}
		r.done()
	}
	return total, r.err
}

// fail records a sticky error, marking crypt's integrity failures as corruption.
func (r *cryptReader) fail(err error) {
	r.err = corruptErr(err)
	if r.f != nil {
		r.f.Close()
		r.f, r.rr = nil, nil
	}
}

func (r *cryptReader) Close() error {
	if r.f != nil {
		r.f.Close()
		r.f, r.rr = nil, nil
	}
	if r.err == nil {
		r.err = os.ErrClosed
	}
	return nil
}
