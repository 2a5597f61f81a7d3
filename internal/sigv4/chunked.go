package sigv4

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
)

// Limits of the aws-chunked decoder. Clients use 8 KiB to 1 MiB chunks (aws-sdk-go-v2 64 KiB,
// minio-go 64 KiB, botocore 1 MiB); AWS's unsigned-trailer single-chunk form can be larger,
// so the bound is generous but keeps a hostile size from meaning "read forever".
const (
	// MaxChunkSize is the largest chunk accepted.
	MaxChunkSize = 16 << 20
	// MaxTrailerSize bounds everything after the final zero-length chunk.
	MaxTrailerSize = 16 << 10
	// chunkHeaderBuffer bounds a chunk header line: 16 hex digits, ";chunk-signature=" and
	// 64 hex digits fit with room for harmless extensions.
	chunkHeaderBuffer = 4096
)

type chunkState int

const (
	stateHeader chunkState = iota
	stateData
	stateDone
)

// chunkedReader decodes an aws-chunked body (sigv4-streaming.html):
//
//	<hex size>;chunk-signature=<sig>\r\n<data>\r\n ... 0;chunk-signature=<sig>\r\n<trailers>\r\n
//
// or, unsigned, <hex size>\r\n<data>\r\n ... 0\r\n<trailers>\r\n. It streams: data go
// straight to the caller and into an incremental SHA-256; nothing beyond a header line and
// the trailer section is buffered.
type chunkedReader struct {
	src         *bufio.Reader
	signed      bool // chunks carry signatures
	trailers    bool // a trailer section is expected
	trailerSign bool // the trailer section carries x-amz-trailer-signature

	mac           hash.Hash // HMAC-SHA256 keyed with the signing key
	sha           hash.Hash // SHA-256 of the current chunk
	payloadPrefix []byte    // "AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n"
	payloadMiddle []byte    // "\n<sha256 of nothing>\n"
	trailerPrefix []byte    // "AWS4-HMAC-SHA256-TRAILER\n<date>\n<scope>\n"
	prev          [64]byte  // hex of the previous signature in the chain
	want          [32]byte  // signature announced for the current chunk
	sum           [32]byte  // scratch for digests
	hexSum        [64]byte  // scratch for a hex digest (a field, so hashing it does not allocate)

	state     chunkState
	remaining int64 // data bytes left in the current chunk
	decoded   int64
	expected  int64 // x-amz-decoded-content-length, -1 when absent
	declared  []string
	trailer   http.Header
	accessKey string
	err       error
}

func newChunkedReader(src io.Reader, a *Auth, expected int64, declared []string) (*chunkedReader, error) {
	c := &chunkedReader{
		src:         bufio.NewReaderSize(src, chunkHeaderBuffer),
		signed:      a.Payload == PayloadStreamingSigned || a.Payload == PayloadStreamingSignedTrailer,
		trailers:    a.Payload == PayloadStreamingSignedTrailer || a.Payload == PayloadStreamingUnsignedTrailer,
		trailerSign: a.Payload == PayloadStreamingSignedTrailer,
		expected:    expected,
		declared:    declared,
		accessKey:   a.AccessKey,
	}
	if c.signed {
		if len(a.seed) != 64 {
			return nil, fmt.Errorf("%w: signed aws-chunked payload without a seed signature", ErrMissingSecurityHeader)
		}
		c.mac = hmac.New(sha256.New, a.key[:])
		c.sha = sha256.New()
		c.payloadPrefix = []byte(chunkStringToSignAlgorithm + "\n" + a.amzDate + "\n" + a.scope + "\n")
		c.payloadMiddle = []byte("\n" + emptySHA256 + "\n")
		c.trailerPrefix = []byte(trailerStringToSignAlgorithmID + "\n" + a.amzDate + "\n" + a.scope + "\n")
		copy(c.prev[:], a.seed)
	}
	return c, nil
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	for {
		if c.err != nil {
			return 0, c.err
		}
		switch c.state {
		case stateDone:
			return 0, io.EOF
		case stateHeader:
			if err := c.readHeader(); err != nil {
				c.err = err
			}
			continue
		}
		if len(p) == 0 {
			return 0, nil
		}
		if int64(len(p)) > c.remaining {
			p = p[:c.remaining]
		}
		n, err := c.src.Read(p)
		if c.signed {
			c.sha.Write(p[:n])
		}
		c.remaining -= int64(n)
		c.decoded += int64(n)
		if c.remaining == 0 {
			c.err = c.endChunk()
			return n, c.err
		}
		switch {
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			c.err = fmt.Errorf("%w: the body ended inside a chunk", ErrIncompleteBody)
		case err != nil:
			c.err = err
		}
		return n, c.err
	}
}

// readHeader parses "<hex size>[;chunk-signature=<sig>]\r\n".
func (c *chunkedReader) readHeader() error {
	line, err := c.src.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
		return fmt.Errorf("%w: chunk header longer than %d bytes", ErrMalformedChunk, chunkHeaderBuffer)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: the body ended before the final chunk", ErrIncompleteBody)
	case err != nil:
		return err
	}
	line, ok := bytes.CutSuffix(line, []byte("\r\n"))
	if !ok {
		return fmt.Errorf("%w: chunk header not terminated by CRLF", ErrMalformedChunk)
	}
	sizeField, ext, hasExt := bytes.Cut(line, []byte(";"))
	size, ok := parseChunkSize(sizeField)
	if !ok {
		return fmt.Errorf("%w: bad chunk size %q (at most %d bytes, in hex)", ErrMalformedChunk, truncate(sizeField), MaxChunkSize)
	}
	if c.signed {
		sig, ok := bytes.CutPrefix(ext, []byte(chunkSignaturePrefix))
		if !hasExt || !ok || len(sig) != 64 {
			return fmt.Errorf("%w: chunk header without a chunk-signature", ErrMalformedChunk)
		}
		if _, err := hex.Decode(c.want[:], sig); err != nil {
			return fmt.Errorf("%w: chunk-signature is not hexadecimal", ErrMalformedChunk)
		}
		c.sha.Reset()
	}
	if size == 0 {
		if err := c.checkChunkSignature(); err != nil {
			return err
		}
		return c.finish()
	}
	if c.expected >= 0 && c.decoded+size > c.expected {
		return fmt.Errorf("%w: the chunks hold more than x-amz-decoded-content-length (%d) bytes", ErrMalformedChunk, c.expected)
	}
	c.remaining, c.state = size, stateData
	return nil
}

func parseChunkSize(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	var n int64
	for _, ch := range b {
		var d byte
		switch {
		case '0' <= ch && ch <= '9':
			d = ch - '0'
		case 'a' <= ch && ch <= 'f':
			d = ch - 'a' + 10
		case 'A' <= ch && ch <= 'F':
			d = ch - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | int64(d)
		if n > MaxChunkSize {
			return 0, false
		}
	}
	return n, true
}

// endChunk consumes the CRLF after a chunk's data and checks its signature.
func (c *chunkedReader) endChunk() error {
	var crlf [2]byte
	if _, err := io.ReadFull(c.src, crlf[:]); err != nil {
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%w: the body ended after a chunk's data", ErrIncompleteBody)
		}
		return err
	}
	if crlf != [2]byte{'\r', '\n'} {
		return fmt.Errorf("%w: chunk data not followed by CRLF (chunk size wrong?)", ErrMalformedChunk)
	}
	c.state = stateHeader
	return c.checkChunkSignature()
}

// checkChunkSignature verifies the current chunk against
// "AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<previous sig>\n<sha256("")>\n<sha256(chunk)>".
func (c *chunkedReader) checkChunkSignature() error {
	if !c.signed {
		return nil
	}
	hex.Encode(c.hexSum[:], c.sha.Sum(c.sum[:0]))
	return c.verify(c.payloadPrefix, c.payloadMiddle, c.hexSum[:], c.want)
}

// verify computes HMAC(prefix || prev || middle || tail), compares it in constant time with
// want, and advances the chain.
func (c *chunkedReader) verify(prefix, middle, tail []byte, want [32]byte) error {
	c.mac.Reset()
	c.mac.Write(prefix)
	c.mac.Write(c.prev[:])
	c.mac.Write(middle)
	c.mac.Write(tail)
	got := c.mac.Sum(c.sum[:0])
	if !hmac.Equal(got, want[:]) {
		return &SignatureMismatchError{
			AccessKey: c.accessKey, Chunk: true, SignatureProvided: hex.EncodeToString(want[:]),
			StringToSign: string(prefix) + string(c.prev[:]) + string(middle) + string(tail),
		}
	}
	hex.Encode(c.prev[:], got)
	return nil
}

func truncate(b []byte) []byte {
	if len(b) > 32 {
		return b[:32]
	}
	return b
}
