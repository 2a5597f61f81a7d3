package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Body is a request body checked against its Auth's payload mode. Read yields only the
// decoded payload. The final Read reports any failure (ErrContentSHA256Mismatch, a chunk
// signature, ErrIncompleteBody, ...) instead of io.EOF, and bytes are handed out before the
// chunk or digest covering them is checked: a caller must treat what it read as valid only
// once Read has returned io.EOF.
type Body struct {
	r       io.Reader
	closer  io.Closer
	chunked *chunkedReader
	length  int64
}

var _ io.ReadCloser = (*Body)(nil)

// Body wraps r.Body according to the payload mode: a hex SHA-256 is checked at EOF, the
// STREAMING-* modes are aws-chunked decoded with every chunk and trailer signature verified,
// and UNSIGNED-PAYLOAD passes through. Call it once per request, after Verify.
func (a *Auth) Body(r *http.Request) (*Body, error) {
	if a.payloadErr != nil {
		return nil, a.payloadErr
	}
	src := r.Body
	if src == nil {
		src = http.NoBody
	}
	b := &Body{r: src, closer: src, length: r.ContentLength}
	switch {
	case a.Payload == PayloadSHA256:
		b.r = &digestReader{r: src, h: sha256.New(), want: a.digest}
	case a.Payload.streaming():
		decoded := int64(-1)
		if v := r.Header.Get(headerDecodedContentLength); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("%w: bad x-amz-decoded-content-length %q", ErrMalformedChunk, v)
			}
			decoded = n
		}
		c, err := newChunkedReader(src, a, decoded, declaredTrailers(r.Header))
		if err != nil {
			return nil, err
		}
		b.r, b.chunked, b.length = c, c, decoded
	}
	return b, nil
}

// Read implements io.Reader over the decoded, checked payload.
func (b *Body) Read(p []byte) (int, error) { return b.r.Read(p) }

// Close closes the underlying request body.
func (b *Body) Close() error { return b.closer.Close() }

// Length is the payload length when known: x-amz-decoded-content-length for aws-chunked
// bodies, Content-Length otherwise; -1 when unknown.
func (b *Body) Length() int64 { return b.length }

// Trailer returns the trailing headers (e.g. X-Amz-Checksum-Crc32) of an aws-chunked body,
// with canonical keys, once Read has returned io.EOF; nil before that or without trailers.
// x-amz-trailer-signature is consumed, not returned.
func (b *Body) Trailer() http.Header {
	if b.chunked == nil || b.chunked.state != stateDone {
		return nil
	}
	return b.chunked.trailer
}

// declaredTrailers lists the lower-cased names announced in X-Amz-Trailer (one header or
// several, comma separated).
func declaredTrailers(h http.Header) []string {
	var names []string
	for _, v := range h.Values(headerTrailer) {
		for _, n := range strings.Split(v, ",") {
			if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
				names = append(names, n)
			}
		}
	}
	return names
}

// digestReader checks the body's SHA-256 against the signed X-Amz-Content-Sha256 at EOF.
type digestReader struct {
	r    io.Reader
	h    hash.Hash
	want []byte
	err  error
}

func (d *digestReader) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n, err := d.r.Read(p)
	d.h.Write(p[:n])
	switch {
	case err == io.EOF:
		if got := d.h.Sum(nil); !bytes.Equal(got, d.want) {
			err = &ContentSHA256MismatchError{ClientComputed: hex.EncodeToString(d.want), ServerComputed: hex.EncodeToString(got)}
		}
		d.err = err
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("%w: %v", ErrIncompleteBody, err)
		d.err = err
	case err != nil:
		d.err = err
	}
	return n, err
}

// ContentEncoding returns the Content-Encoding to store with an object uploaded with these
// headers: the header's codings without aws-chunked, which describes the upload framing and
// not the object (sigv4-streaming.html; S3 does not return it on GET). "" when nothing is left.
func ContentEncoding(h http.Header) string {
	var keep []string
	for _, v := range h.Values("Content-Encoding") {
		for _, c := range strings.Split(v, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "aws-chunked") {
				keep = append(keep, c)
			}
		}
	}
	return strings.Join(keep, ",")
}
