package disk

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// bytesReader reads an inline body.
type bytesReader struct{ *bytes.Reader }

func newBytesReader(p []byte) *bytesReader { return &bytesReader{bytes.NewReader(p)} }

func (bytesReader) Close() error { return nil }

// segReader reads a byte range across the blob files of an object, opening each file when
// it gets there. The blobs are pinned by the Object that made the reader.
type segReader struct {
	dir    string
	segs   []segment
	idx    int   // current segment
	off    int64 // offset in the current segment
	remain int64 // bytes left to return
	f      *os.File
	err    error // sticky
}

func newSegReader(dir string, segs []segment, offset, length int64) *segReader {
	r := &segReader{dir: dir, segs: segs, remain: length}
	for r.idx < len(segs) && offset >= segs[r.idx].size {
		offset -= segs[r.idx].size
		r.idx++
	}
	r.off = offset
	return r
}

// open makes r.f the current segment's file, positioned at r.off.
func (r *segReader) open() error {
	for r.off == r.segs[r.idx].size { // also skips empty segments
		r.idx++
		r.off = 0
	}
	if r.f != nil {
		return nil
	}
	f, err := os.Open(blobPath(r.dir, r.segs[r.idx].id))
	if err != nil {
		return fmt.Errorf("disk: open body: %w", err)
	}
	if r.off > 0 {
		if _, err := f.Seek(r.off, io.SeekStart); err != nil {
			f.Close()
			return fmt.Errorf("disk: seek body: %w", err)
		}
	}
	r.f = f
	return nil
}

// advance accounts for n bytes read from the current segment.
func (r *segReader) advance(n int64) {
	r.off += n
	r.remain -= n
	if r.off == r.segs[r.idx].size {
		r.f.Close()
		r.f = nil
	}
}

func (r *segReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.remain == 0 {
		return 0, io.EOF
	}
	if r.err = r.open(); r.err != nil {
		return 0, r.err
	}
	want := min(int64(len(p)), r.remain, r.segs[r.idx].size-r.off)
	size := r.segs[r.idx].size
	n, err := r.f.Read(p[:want])
	if n > 0 {
		r.advance(int64(n))
		return n, nil // a read error shows again on the next call
	}
	if err == nil || err == io.EOF {
		err = fmt.Errorf("disk: body file of %d bytes is short: %w", size, io.ErrUnexpectedEOF)
	}
	r.err = err
	return 0, err
}

// WriteTo copies each segment as an io.LimitedReader over its *os.File, which is what
// net/http's ResponseWriter.ReadFrom turns into sendfile(2).
func (r *segReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for r.err == nil && r.remain > 0 {
		if r.err = r.open(); r.err != nil {
			break
		}
		size := r.segs[r.idx].size
		want := min(r.remain, size-r.off)
		n, err := io.Copy(w, &io.LimitedReader{R: r.f, N: want})
		total += n
		r.advance(n)
		if err == nil && n < want {
			err = fmt.Errorf("disk: body file of %d bytes is short: %w", size, io.ErrUnexpectedEOF)
		}
		r.err = err
	}
	return total, r.err
}

func (r *segReader) Close() error {
	if r.f != nil {
		r.f.Close()
		r.f = nil
	}
	if r.err == nil {
		r.err = os.ErrClosed
	}
	return nil
}
