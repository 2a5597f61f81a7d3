package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

var sentinels = []error{
	ErrAuthorizationHeaderMalformed, ErrAuthorizationQueryParametersError, ErrInvalidAccessKeyID,
	ErrSignatureDoesNotMatch, ErrRequestTimeTooSkewed, ErrRequestExpired, ErrRequestNotYetValid,
	ErrMissingDate, ErrMissingContentSHA256, ErrInvalidContentSHA256, ErrMissingSecurityHeader,
	ErrHeadersNotSigned, ErrUnsupportedAlgorithm, ErrMultipleAuthMechanisms, ErrContentSHA256Mismatch,
	ErrMalformedChunk, ErrMalformedTrailer, ErrIncompleteBody, ErrBodyTooLarge,
}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
	f.Add("AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	f.Add("AWS4-ECDSA-P256-SHA256 Credential=AK/20150830/s3/aws4_request")
	f.Add("AWS AKID:sig")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f/aws4_request,SignedHeaders=;;,Signature=,")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := parseAuthorization(header)
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", header)
		svc := Service(r)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !a.signs("host") || a.cred.accessKey == "" || len(a.cred.date) != 8 || a.cred.service == "" || a.cred.region == "" {
			t.Fatalf("accepted %q as %+v", header, a)
		}
		if hex.EncodeToString(a.signature[:]) != strings.ToLower(a.signatureHex) {
			t.Fatalf("signature %q decoded as %x", a.signatureHex, a.signature)
		}
		if svc != a.cred.service {
			t.Fatalf("Service = %q, parse says %q", svc, a.cred.service)
		}
		// Verify must never panic on it either.
		r.Header.Set("X-Amz-Date", a.cred.date+"T000000Z")
		r.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
		if _, err := verifierAt(docTime, a.cred.accessKey, "s").Verify(r); err != nil && !isSentinel(err) {
			t.Fatalf("Verify: untyped error %v", err)
		}
	})
}

func FuzzPresignQuery(f *testing.F) {
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=99999999999999999999")
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%zz&a=%&b=+&&=")
	f.Add("X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256")
	f.Add("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620&acl&versionId=1")
	f.Fuzz(func(t *testing.T, query string) {
		if strings.ContainsAny(query, " #\x00\r\n\t") {
			return // not representable in a request target
		}
		r, err := http.NewRequest(http.MethodGet, "http://examplebucket.s3.amazonaws.com/test.txt?"+query, nil)
		if err != nil {
			return
		}
		r.RequestURI = r.URL.RequestURI()
		a, err := verifierAt(docTime, docAccessKey, docSecret).Verify(r)
		switch {
		case err != nil:
			if !isSentinel(err) {
				t.Fatalf("untyped error %v", err)
			}
		case a.Anonymous:
			if r.URL.Query().Get(qAlgorithm) != "" {
				t.Fatalf("query with X-Amz-Algorithm treated as anonymous")
			}
		case !a.Presigned || a.AccessKey != docAccessKey:
			t.Fatalf("accepted %q as %+v", query, a)
		}
		canonicalQueries(query, qSignature)
	})
}

// testChunkSigner frames and signs an aws-chunked body per sigv4-streaming.html; the fuzz seeds
// need small valid bodies (the documented example is verified separately).
type testChunkSigner struct {
	key             [32]byte
	prev            string
	amzDate, scope  string
	withSignatures  bool
	trailerSigned   bool
	trailerSections string // "name:value" lines, no signature
}

func (s *testChunkSigner) mac(parts ...string) string {
	m := hmac.New(sha256.New, s.key[:])
	m.Write([]byte(strings.Join(parts, "\n")))
	s.prev = hex.EncodeToString(m.Sum(nil))
	return s.prev
}

func (s *testChunkSigner) encode(chunks ...string) []byte {
	var b bytes.Buffer
	for _, c := range append(chunks, "") {
		b.WriteString(strconv.FormatInt(int64(len(c)), 16))
		if s.withSignatures {
			b.WriteString(";chunk-signature=" + s.mac(chunkStringToSignAlgorithm, s.amzDate, s.scope, s.prev, emptySHA256, hexSHA256(c)))
		}
		b.WriteString("\r\n")
		if c != "" {
			b.WriteString(c + "\r\n")
		}
	}
	if s.trailerSections != "" {
		b.WriteString(strings.ReplaceAll(s.trailerSections, "\n", "\r\n"))
		if s.trailerSigned {
			b.WriteString("x-amz-trailer-signature:" + s.mac(trailerStringToSignAlgorithmID, s.amzDate, s.scope, s.prev, hexSHA256(s.trailerSections)) + "\r\n")
		}
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

func fuzzAuth(mode PayloadMode) (*Auth, *testChunkSigner) {
	cred := credential{accessKey: docAccessKey, date: "20130524", region: "us-east-1", service: "s3"}
	a := &Auth{AccessKey: docAccessKey, Payload: mode, key: signingKey(docSecret, cred), seed: strings.Repeat("ab", 32),
		scope: cred.scope(), amzDate: "20130524T000000Z"}
	s := &testChunkSigner{key: a.key, prev: a.seed, amzDate: a.amzDate, scope: a.scope,
		withSignatures: mode == PayloadStreamingSigned || mode == PayloadStreamingSignedTrailer,
		trailerSigned:  mode == PayloadStreamingSignedTrailer}
	if mode != PayloadStreamingSigned {
		s.trailerSections = "x-amz-checksum-crc32:AAAAAA==\n"
	}
	return a, s
}

func FuzzChunkedReader(f *testing.F) {
	for _, mode := range []PayloadMode{PayloadStreamingSigned, PayloadStreamingSignedTrailer, PayloadStreamingUnsignedTrailer} {
		_, s := fuzzAuth(mode)
		f.Add(byte(mode), s.encode("hello", " world"), int64(11), uint8(3))
		_, s = fuzzAuth(mode)
		f.Add(byte(mode), s.encode(), int64(0), uint8(0))
		_, s = fuzzAuth(mode)
		f.Add(byte(mode), s.encode(strings.Repeat("x", 300)), int64(-1), uint8(64))
	}
	f.Add(byte(PayloadStreamingUnsignedTrailer), []byte("ffffffffffffffff\r\n"), int64(-1), uint8(1))
	f.Add(byte(PayloadStreamingUnsignedTrailer), []byte("5\r\nab"), int64(5), uint8(1))
	f.Fuzz(func(t *testing.T, modeByte byte, body []byte, decoded int64, readSize uint8) {
		mode := PayloadStreamingSigned + PayloadMode(modeByte%3)
		a, _ := fuzzAuth(mode)
		r := httptest.NewRequest(http.MethodPut, "/b/k", bytes.NewReader(body))
		r.Header.Set(headerTrailer, "x-amz-checksum-crc32")
		if decoded >= 0 {
			r.Header.Set(headerDecodedContentLength, strconv.FormatInt(decoded, 10))
		}
		b, err := a.Body(r)
		if err != nil {
			t.Fatalf("Body: %v", err)
		}
		buf := make([]byte, int(readSize)+1)
		var out []byte
		for i := 0; ; i++ {
			n, err := b.Read(buf)
			if n < 0 || n > len(buf) {
				t.Fatalf("Read returned n=%d for a %d-byte buffer", n, len(buf))
			}
			out = append(out, buf[:n]...)
			if len(out) > len(body) {
				t.Fatalf("decoded %d bytes from a %d-byte body", len(out), len(body))
			}
			if err == io.EOF {
				if decoded >= 0 && int64(len(out)) != decoded {
					t.Fatalf("clean EOF after %d bytes, x-amz-decoded-content-length %d", len(out), decoded)
				}
				if mode != PayloadStreamingSigned && b.Trailer().Get("X-Amz-Checksum-Crc32") == "" {
					t.Fatalf("clean EOF without the announced trailer")
				}
				return
			}
			if err != nil {
				if !isSentinel(err) {
					t.Fatalf("untyped error %v", err)
				}
				if _, again := b.Read(buf); again == nil || again == io.EOF {
					t.Fatalf("error %v not sticky (then %v)", err, again)
				}
				return
			}
			if i > len(body)+10 {
				t.Fatalf("no progress")
			}
		}
	})
}

// TestFuzzSeedsDecode makes sure the fuzz seeds are valid bodies, so the fuzzer starts from
// the accepting paths.
func TestFuzzSeedsDecode(t *testing.T) {
	for _, mode := range []PayloadMode{PayloadStreamingSigned, PayloadStreamingSignedTrailer, PayloadStreamingUnsignedTrailer} {
		a, s := fuzzAuth(mode)
		r := httptest.NewRequest(http.MethodPut, "/b/k", bytes.NewReader(s.encode("hello", " world")))
		r.Header.Set(headerTrailer, "x-amz-checksum-crc32")
		b, err := a.Body(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(b)
		if err != nil || string(got) != "hello world" {
			t.Fatalf("%v: %q, %v", mode, got, err)
		}
	}
}
