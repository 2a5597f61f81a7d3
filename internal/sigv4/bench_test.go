package sigv4

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func BenchmarkVerifyHeader(b *testing.B) {
	r := sdkSigned(&testing.T{}, nil)
	v := verifierAt(signTime, rtAccessKey, rtSecret)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChunkedSigned decodes a 1 MiB body in 64 KiB signed chunks (aws-sdk-go-v2's and
// minio-go's chunk size); allocations must not grow with the body.
func BenchmarkChunkedSigned(b *testing.B) {
	a, s := fuzzAuth(PayloadStreamingSigned)
	chunks := make([]string, 16)
	for i := range chunks {
		chunks[i] = strings.Repeat(string(rune('a'+i)), 64<<10)
	}
	body := s.encode(chunks...)
	buf := make([]byte, 32<<10)
	b.SetBytes(16 * 64 << 10)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPut, "/b/k", bytes.NewReader(body))
		rd, err := a.Body(r)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{rd}, buf); err != nil {
			b.Fatal(err)
		}
	}
}
