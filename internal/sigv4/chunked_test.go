package sigv4

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// Chunk signatures of the S3 API reference examples (sigv4-streaming.html and
// sigv4-streaming-trailers.html, "Example: PUT Object"): 65536 bytes of 'a', then 1024, then
// the final empty chunk.
var (
	docChunkSigs = [3]string{
		"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
		"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
		"b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
	}
	docTrailerChunkSigs = [3]string{
		"b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
		"1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
		"2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
	}
	docTrailerSig = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435"
	docPayload    = strings.Repeat("a", 66560)
)

func docChunkedBody(sigs [3]string, trailer string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "10000;chunk-signature=%s\r\n%s\r\n", sigs[0], docPayload[:65536])
	fmt.Fprintf(&b, "400;chunk-signature=%s\r\n%s\r\n", sigs[1], docPayload[65536:])
	fmt.Fprintf(&b, "0;chunk-signature=%s\r\n%s\r\n", sigs[2], trailer)
	return b.Bytes()
}

const docTrailer = "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:" + "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435" + "\r\n"

// readBody verifies the example request and reads its body through Body, through readers
// that return data in awkward pieces.
func readBody(t *testing.T, example string, body []byte, wrap func(io.Reader) io.Reader) ([]byte, *Body, error) {
	t.Helper()
	r := exampleRequest(t, example, body)
	a, err := verifierAt(docTime, docAccessKey, docSecret).Verify(r)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	b, err := a.Body(r)
	if err != nil {
		t.Fatalf("Body: %v", err)
	}
	got, err := io.ReadAll(wrap(b))
	return got, b, err
}

var readerShapes = map[string]func(io.Reader) io.Reader{
	"plain":    func(r io.Reader) io.Reader { return r },
	"one-byte": iotest.OneByteReader,
	"half":     iotest.HalfReader,
	"data-err": iotest.DataErrReader,
}

func TestChunkedDocumentationExample(t *testing.T) {
	body := docChunkedBody(docChunkSigs, "")
	if len(body) != 66824 {
		t.Fatalf("encoded length %d, the example says 66824", len(body))
	}
	for name, wrap := range readerShapes {
		t.Run(name, func(t *testing.T) {
			got, b, err := readBody(t, "chunked-put", body, wrap)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != docPayload {
				t.Fatalf("decoded %d bytes", len(got))
			}
			if b.Length() != 66560 || b.Trailer() != nil {
				t.Errorf("Length %d Trailer %v", b.Length(), b.Trailer())
			}
		})
	}
}

func TestChunkedTrailerDocumentationExample(t *testing.T) {
	variants := map[string]string{
		"documented": docTrailer,
		// minio-go ends trailer lines with a bare LF, then CRLF before the signature.
		"lf-then-crlf": strings.Replace(docTrailer, "\r\nx-amz-trailer-signature", "\n\r\nx-amz-trailer-signature", 1),
	}
	for name, trailer := range variants {
		for shape, wrap := range readerShapes {
			t.Run(name+"/"+shape, func(t *testing.T) {
				got, b, err := readBody(t, "chunked-trailer-put", docChunkedBody(docTrailerChunkSigs, trailer), wrap)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != docPayload {
					t.Fatalf("decoded %d bytes", len(got))
				}
				if v := b.Trailer().Get("x-amz-checksum-crc32c"); v != "sOO8/Q==" {
					t.Errorf("trailer %v", b.Trailer())
				}
				if b.Trailer().Get(trailerSignatureName) != "" {
					t.Error("the trailer signature is returned as a trailer")
				}
			})
		}
	}
}

// TestChunkedDocumentationTampering changes one thing at a time in the documented bodies.
func TestChunkedDocumentationTampering(t *testing.T) {
	good := string(docChunkedBody(docChunkSigs, ""))
	goodTrailer := string(docChunkedBody(docTrailerChunkSigs, docTrailer))
	cases := []struct {
		name, example, body string
		want                error
	}{
		{"data byte", "chunked-put", strings.Replace(good, "\r\naaaa", "\r\nbaaa", 1), ErrSignatureDoesNotMatch},
		{"chunk signature", "chunked-put", strings.Replace(good, docChunkSigs[1], docChunkSigs[0], 1), ErrSignatureDoesNotMatch},
		{"final signature", "chunked-put", strings.Replace(good, docChunkSigs[2], strings.Repeat("0", 64), 1), ErrSignatureDoesNotMatch},
		{"chunks swapped", "chunked-put", swapFirstChunks(good), ErrSignatureDoesNotMatch},
		{"truncated in data", "chunked-put", good[:1000], ErrIncompleteBody},
		{"truncated before final chunk", "chunked-put", good[:strings.Index(good, "0;chunk-signature="+docChunkSigs[2])], ErrIncompleteBody},
		{"missing signature", "chunked-put", strings.Replace(good, "400;chunk-signature="+docChunkSigs[1], "400", 1), ErrMalformedChunk},
		{"bad size", "chunked-put", strings.Replace(good, "400;", "40g;", 1), ErrMalformedChunk},
		{"short size", "chunked-put", strings.Replace(good, "400;", "3ff;", 1), ErrMalformedChunk},
		{"data after final chunk", "chunked-put", good + "junk", ErrMalformedChunk},
		{"trailer value", "chunked-trailer-put", strings.Replace(goodTrailer, "sOO8/Q==", "sOO8/Q=A", 1), ErrSignatureDoesNotMatch},
		{"trailer signature", "chunked-trailer-put", strings.Replace(goodTrailer, docTrailerSig, strings.Repeat("1", 64), 1), ErrSignatureDoesNotMatch},
		{"trailer signature missing", "chunked-trailer-put", strings.Replace(goodTrailer, "x-amz-trailer-signature:"+docTrailerSig+"\r\n", "", 1), ErrMalformedTrailer},
		{"trailer not announced", "chunked-trailer-put", strings.Replace(goodTrailer, "x-amz-checksum-crc32c:", "x-amz-checksum-sha1:", 1), ErrMalformedTrailer},
		{"trailer line without colon", "chunked-trailer-put", strings.Replace(goodTrailer, "x-amz-checksum-crc32c:", "x-amz-checksum-crc32c ", 1), ErrMalformedTrailer},
		{"trailer too large", "chunked-trailer-put", strings.Replace(goodTrailer, "\r\nx-amz-trailer-signature", "\r\n"+strings.Repeat("\r\n", MaxTrailerSize)+"x-amz-trailer-signature", 1), ErrMalformedTrailer},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, err := readBody(t, c.example, []byte(c.body), func(r io.Reader) io.Reader { return r })
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if len(got) > 66560 {
				t.Fatalf("returned %d bytes", len(got))
			}
		})
	}
}

// swapFirstChunks sends chunk 2 (with its own valid signature) before chunk 1.
func swapFirstChunks(body string) string {
	i := strings.Index(body, "400;")
	j := strings.Index(body, "0;chunk-signature="+docChunkSigs[2])
	return body[i:j] + body[:i] + body[j:]
}

// TestChunkedDecodedLength checks x-amz-decoded-content-length both ways.
func TestChunkedDecodedLength(t *testing.T) {
	body := docChunkedBody(docChunkSigs, "")
	for _, tc := range []struct {
		decoded string
		want    error
	}{
		{"66561", ErrIncompleteBody},
		{"66559", ErrMalformedChunk},
		{"65536", ErrMalformedChunk},
	} {
		r := exampleRequest(t, "chunked-put", body)
		a, err := verifierAt(docTime, docAccessKey, docSecret).Verify(r)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set(headerDecodedContentLength, tc.decoded) // after Verify: it is a signed header
		b, err := a.Body(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(b)
		if !errors.Is(err, tc.want) {
			t.Errorf("decoded length %s: err = %v, want %v", tc.decoded, err, tc.want)
		}
		if n := int64(len(got)); tc.want == ErrMalformedChunk && n > b.Length() {
			t.Errorf("decoded length %s: returned %d bytes", tc.decoded, n)
		}
	}
}
