package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// finish reads what follows the final zero-length chunk, up to the end of the body: nothing
// but the closing CRLF without trailers, else the trailer section (sigv4-streaming-trailers.html):
//
//	x-amz-checksum-crc32c:sOO8/Q==\r\n
//	x-amz-trailer-signature:<sig>\r\n      (signed trailers only)
//	\r\n
//
// Clients differ in line endings (minio-go ends checksum lines with a bare LF followed by a
// CRLF), so lines may end in LF or CRLF and blank lines are skipped; the section is bounded
// by MaxTrailerSize.
func (c *chunkedReader) finish() error {
	rest, err := io.ReadAll(io.LimitReader(c.src, MaxTrailerSize+1))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: the body ended inside the trailer", ErrIncompleteBody)
	case err != nil:
		return err
	case len(rest) > MaxTrailerSize:
		return fmt.Errorf("%w: more than %d bytes after the final chunk", ErrMalformedTrailer, MaxTrailerSize)
	}
	if !c.trailers {
		if len(rest) != 0 && string(rest) != "\r\n" {
			return fmt.Errorf("%w: data after the final chunk", ErrMalformedChunk)
		}
	} else if err := c.parseTrailers(rest); err != nil {
		return err
	}
	if c.expected >= 0 && c.decoded != c.expected {
		return fmt.Errorf("%w: got %d of the %d bytes in x-amz-decoded-content-length", ErrIncompleteBody, c.decoded, c.expected)
	}
	c.state = stateDone
	return nil
}

// parseTrailers reads "name:value" lines. The trailer signature covers
// "name:value\n" for each trailer, in order, names lower-cased and values trimmed.
func (c *chunkedReader) parseTrailers(section []byte) error {
	c.trailer = make(http.Header)
	var canonical bytes.Buffer
	var sig string
	haveSig := false
	for _, line := range bytes.Split(section, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		k, v, ok := strings.Cut(string(line), ":")
		name, value := strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if !ok || !validHeaderName(name) || value == "" {
			return fmt.Errorf("%w: trailer line %q", ErrMalformedTrailer, truncate(line))
		}
		if haveSig {
			return fmt.Errorf("%w: trailer after x-amz-trailer-signature", ErrMalformedTrailer)
		}
		if name == trailerSignatureName {
			sig, haveSig = value, true
			continue
		}
		key := http.CanonicalHeaderKey(name)
		if _, dup := c.trailer[key]; dup {
			return fmt.Errorf("%w: repeated trailer %q", ErrMalformedTrailer, name)
		}
		if !slices.Contains(c.declared, name) {
			return fmt.Errorf("%w: trailer %q not announced in X-Amz-Trailer", ErrMalformedTrailer, name)
		}
		c.trailer[key] = []string{value}
		canonical.WriteString(name + ":" + value + "\n")
	}
	for _, name := range c.declared {
		if _, ok := c.trailer[http.CanonicalHeaderKey(name)]; !ok {
			return fmt.Errorf("%w: trailer %q announced in X-Amz-Trailer is missing", ErrMalformedTrailer, name)
		}
	}
	if !c.trailerSign {
		if haveSig {
			return fmt.Errorf("%w: x-amz-trailer-signature in an unsigned trailer", ErrMalformedTrailer)
		}
		return nil
	}
	var want [32]byte
	if !haveSig || len(sig) != 64 {
		return fmt.Errorf("%w: missing or malformed x-amz-trailer-signature", ErrMalformedTrailer)
	}
	if _, err := hex.Decode(want[:], []byte(sig)); err != nil {
		return fmt.Errorf("%w: x-amz-trailer-signature is not hexadecimal", ErrMalformedTrailer)
	}
	sum := sha256.Sum256(canonical.Bytes())
	hex.Encode(c.hexSum[:], sum[:])
	return c.verify(c.trailerPrefix, []byte("\n"), c.hexSum[:], want)
}

// validHeaderName accepts an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}
