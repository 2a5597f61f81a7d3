package disk

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"hash"
	"io"

	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// body is a received, verified body that is ready to commit: either inline plaintext (in a
// pooled buffer; the caller seals it if it must be encrypted) or a published blob, encrypted
// if asked, with a pending marker. release must always follow.
type body struct {
	size     int64 // plaintext bytes
	md5      [16]byte
	checksum *objstore.Checksum
	inline   []byte     // valid until release when blob is nil
	blob     *blobFile  // published; discarded by release unless committed
	wk       wrappedKey // the encrypted blob's data key
	buf      *[]byte
}

// ingestInput is what PutObject and UploadPart have in common.
type ingestInput struct {
	r           io.Reader
	size        int64 // -1 when unknown
	contentMD5  []byte
	checksum    func() *objstore.Checksum
	allowInline bool
	encrypt     bool // stream a blob through a crypt.Writer
}

// ingest streams in.r through one pooled buffer into memory (bodies up to InlineMax, when
// allowed) or a blob file, computing the MD5 on the way, and checks size and digests. On error
// nothing is left behind.
func (s *Store) ingest(in ingestInput) (_ *body, err error) {
	if in.size > objstore.MaxPartSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d in one PUT or part", objstore.ErrEntityTooLarge, in.size, int64(objstore.MaxPartSize))
	}
	if in.contentMD5 != nil && len(in.contentMD5) != md5.Size {
		return nil, fmt.Errorf("%w: Content-MD5 is %d bytes, not %d", objstore.ErrBadDigest, len(in.contentMD5), md5.Size)
	}
	if in.r == nil {
		in.r = bytes.NewReader(nil)
	}
	limit := int64(objstore.MaxPartSize)
	if in.size >= 0 {
		limit = in.size
	}
	b := &body{buf: s.bufs.Get().(*[]byte)}
	defer func() {
		if err != nil {
			b.release(s)
		}
	}()
	h := md5.New()
	buf := *b.buf
	inlineMax := -1
	if in.allowInline {
		inlineMax = int(s.cfg.InlineMax)
	}
	// Fill the buffer up to InlineMax+1 bytes: a body that ends first is kept in memory.
	n, eof, err := fill(in.r, buf[:max(inlineMax+1, 1)])
	if err != nil {
		return nil, err
	}
	b.size = int64(n)
	if b.size > limit {
		return nil, tooLarge(in.size)
	}
	h.Write(buf[:n])
	if eof && n <= inlineMax {
		b.inline = buf[:n]
	} else if err := s.streamToBlob(b, h, in, buf, n, eof, limit); err != nil {
		return nil, err
	}
	if in.size >= 0 && b.size < in.size {
		return nil, fmt.Errorf("%w: got %d of %d bytes", objstore.ErrIncompleteBody, b.size, in.size)
	}
	h.Sum(b.md5[:0])
	if in.contentMD5 != nil && !bytes.Equal(in.contentMD5, b.md5[:]) {
		return nil, objstore.ErrBadDigest
	}
	if in.checksum != nil {
		b.checksum = in.checksum()
	}
	if b.blob != nil {
		if err := b.blob.publish(); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// streamToBlob writes the first n buffered bytes and the rest of in.r to a new blob file,
// through an encrypting writer under a fresh data key when in.encrypt is set.
func (s *Store) streamToBlob(b *body, h hash.Hash, in ingestInput, buf []byte, n int, eof bool, limit int64) error {
	f, err := s.createBlob()
	if err != nil {
		return err
	}
	b.blob = f
	var w io.Writer = f
	var cw *crypt.Writer
	if in.encrypt {
		dk, err := s.newDataKey(&b.wk, f.id)
		if err != nil {
			return err
		}
		cw = crypt.NewWriter(f, dk, crypt.WithBufferPool(s.cryptBufs))
		w = cw
		// On failure, Close still wipes the buffered plaintext and returns the buffer; what
		// it writes goes to a file that is discarded.
		defer cw.Close()
	}
	if _, err := w.Write(buf[:n]); err != nil {
		return err
	}
	for !eof {
		n, eof, err = fill(in.r, buf)
		if err != nil {
			return err
		}
		if b.size += int64(n); b.size > limit {
			return tooLarge(in.size)
		}
		h.Write(buf[:n])
		if _, err := w.Write(buf[:n]); err != nil {
			return err
		}
	}
	if cw != nil {
		return cw.Close() // seals the final chunk; the deferred Close is then a no-op
	}
	return nil
}

func tooLarge(declared int64) error {
	if declared >= 0 {
		return fmt.Errorf("%w: the body is longer than the declared %d bytes", objstore.ErrEntityTooLarge, declared)
	}
	return fmt.Errorf("%w: the body is longer than %d bytes", objstore.ErrEntityTooLarge, int64(objstore.MaxPartSize))
}

// fill reads until p is full or r ends. It returns the reader's own error (for example a
// failed aws-chunked signature or checksum) so that the caller can report it.
func fill(r io.Reader, p []byte) (n int, eof bool, err error) {
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err == io.EOF { // io.Reader signals the end with io.EOF itself, never wrapped
			return n, true, nil
		}
		if err != nil {
			return n, false, err
		}
	}
	return n, false, nil
}

// release returns the buffer and discards an uncommitted blob.
func (b *body) release(s *Store) {
	if b.blob != nil {
		b.blob.discard()
		b.blob = nil
	}
	if b.buf != nil {
		b.inline = nil
		s.bufs.Put(b.buf)
		b.buf = nil
	}
}

// committed marks the blob as owned by a committed record, so release keeps it.
func (b *body) committed() { b.blob = nil }
