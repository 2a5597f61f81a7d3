package checksum

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

// Known values. "hello world": aws-sdk-go-v2 service/internal/checksum algorithms_test.go
// (MD5 from RFC 1321's algorithm via any md5sum). "123456789": the check values of the
// CRC catalogue (CRC-32/ISO-HDLC cbf43926, CRC-32/ISCSI e3069283, CRC-64/NVME
// ae8b14860a799888). 66560 × 'a': the S3 API reference's trailing-checksum example
// (sigv4-streaming-trailers.html, x-amz-checksum-crc32c:sOO8/Q==).
func TestKnownValues(t *testing.T) {
	be32 := func(v uint32) string { return Encode(binary.BigEndian.AppendUint32(nil, v)) }
	be64 := func(v uint64) string { return Encode(binary.BigEndian.AppendUint64(nil, v)) }
	cases := []struct {
		alg   string
		input string
		want  string
	}{
		{"CRC32", "hello world", "DUoRhQ=="},
		{"CRC32C", "hello world", "yZRlqg=="},
		{"CRC64NVME", "hello world", "jSnVw/bqjr4="},
		{"SHA1", "hello world", "Kq5sNclPz7QV2+lfQIuc6R7oRu0="},
		{"SHA256", "hello world", "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="},
		{"SHA512", "hello world", "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="},
		{"MD5", "hello world", "XrY7u+Ae7tCTyyK7j1rNww=="},
		{"crc32", "123456789", be32(0xCBF43926)},
		{"crc32c", "123456789", be32(0xE3069283)},
		{"crc64nvme", "123456789", be64(0xAE8B14860A799888)},
		{"CRC32", "", "AAAAAA=="},
		{"CRC64NVME", "", "AAAAAAAAAAA="},
		{"CRC32C", strings.Repeat("a", 66560), "sOO8/Q=="},
	}
	for _, c := range cases {
		h, err := New(c.alg)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(h, c.input)
		if got := Encode(h.Sum(nil)); got != c.want {
			t.Errorf("%s(%.20q) = %s, want %s", c.alg, c.input, got, c.want)
		}
		a, _ := ParseAlgorithm(c.alg)
		if h.Size() != a.Size() {
			t.Errorf("%s: Size %d, hash says %d", a, a.Size(), h.Size())
		}
	}
}

func TestAlgorithmNames(t *testing.T) {
	for _, a := range Algorithms {
		if got, err := ParseAlgorithm(strings.ToLower(string(a))); err != nil || got != a {
			t.Errorf("ParseAlgorithm(%q) = %q, %v", strings.ToLower(string(a)), got, err)
		}
		if a.Header() != "x-amz-checksum-"+strings.ToLower(string(a)) {
			t.Errorf("Header = %q", a.Header())
		}
	}
	for _, bad := range []string{"", "xxhash64", "CRC16", "sha-256"} {
		if _, err := ParseAlgorithm(bad); !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Errorf("ParseAlgorithm(%q): %v", bad, err)
		}
		if _, err := New(bad); !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Errorf("New(%q): %v", bad, err)
		}
	}
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestParse(t *testing.T) {
	crc := "DUoRhQ=="
	cases := []struct {
		name string
		h    http.Header
		want Spec
		ok   bool
		err  error
	}{
		{"none", header("Content-Type", "text/plain"), Spec{}, false, nil},
		{"header", header("X-Amz-Checksum-Crc32", crc), Spec{Algorithm: CRC32, Value: crc}, true, nil},
		{"header with sdk algorithm", header("x-amz-checksum-crc32", crc, "X-Amz-Sdk-Checksum-Algorithm", "crc32"), Spec{Algorithm: CRC32, Value: crc}, true, nil},
		{"trailer", header("X-Amz-Trailer", "x-amz-checksum-crc64nvme", "X-Amz-Sdk-Checksum-Algorithm", "CRC64NVME"), Spec{Algorithm: CRC64NVME, InTrailer: true}, true, nil},
		{"trailer without sdk algorithm", header("X-Amz-Trailer", "X-Amz-Checksum-Sha256"), Spec{Algorithm: SHA256, InTrailer: true}, true, nil},
		{"get with checksum mode", header("X-Amz-Checksum-Mode", "ENABLED"), Spec{}, false, nil},
		{"create multipart algorithm", header("X-Amz-Checksum-Algorithm", "CRC32", "X-Amz-Checksum-Type", "FULL_OBJECT"), Spec{}, false, nil},
		{"two algorithms", header("X-Amz-Checksum-Crc32", crc, "X-Amz-Checksum-Sha1", "Kq5sNclPz7QV2+lfQIuc6R7oRu0="), Spec{}, false, ErrMultipleChecksums},
		{"repeated header", header("X-Amz-Checksum-Crc32", crc, "X-Amz-Checksum-Crc32", crc), Spec{}, false, ErrMultipleChecksums},
		{"header and trailer", header("X-Amz-Checksum-Crc32", crc, "X-Amz-Trailer", "x-amz-checksum-crc32"), Spec{}, false, ErrMultipleChecksums},
		{"unsupported", header("X-Amz-Checksum-Xxhash64", "AAAAAAAAAAA="), Spec{}, false, ErrUnsupportedAlgorithm},
		{"unsupported trailer", header("X-Amz-Trailer", "x-amz-checksum-crc16"), Spec{}, false, ErrUnsupportedAlgorithm},
		{"unsupported sdk algorithm", header("X-Amz-Checksum-Crc32", crc, "X-Amz-Sdk-Checksum-Algorithm", "XXHASH3"), Spec{}, false, ErrUnsupportedAlgorithm},
		{"not base64", header("X-Amz-Checksum-Crc32", "!!!!"), Spec{}, false, ErrInvalidValue},
		{"wrong size", header("X-Amz-Checksum-Crc32", "Kq5sNclPz7QV2+lfQIuc6R7oRu0="), Spec{}, false, ErrInvalidValue},
		{"composite value on a put", header("X-Amz-Checksum-Crc32", crc+"-2"), Spec{}, false, ErrInvalidValue},
		{"sdk algorithm conflict", header("X-Amz-Checksum-Crc32", crc, "X-Amz-Sdk-Checksum-Algorithm", "CRC32C"), Spec{}, false, ErrAlgorithmConflict},
		{"sdk algorithm alone", header("X-Amz-Sdk-Checksum-Algorithm", "CRC32"), Spec{}, false, ErrMissingValue},
		{"other trailer", header("X-Amz-Trailer", "x-amz-meta-foo"), Spec{}, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok, err := Parse(c.h)
			if !errors.Is(err, c.err) || (c.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
			if got != c.want || ok != c.ok {
				t.Errorf("Parse = %+v, %v; want %+v, %v", got, ok, c.want, c.ok)
			}
			alg, value, ok := FromHeaders(c.h)
			if ok != c.ok || alg != string(c.want.Algorithm) || value != c.want.Value {
				t.Errorf("FromHeaders = %q, %q, %v", alg, value, ok)
			}
		})
	}
}

func TestReader(t *testing.T) {
	const body = "hello world"
	cases := []struct {
		name     string
		alg      string
		expected func() string
		wantErr  error
	}{
		{"match", "CRC32", func() string { return "DUoRhQ==" }, nil},
		{"match sha256", "sha256", func() string { return "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=" }, nil},
		{"compute only", "CRC64NVME", nil, nil},
		{"mismatch", "CRC32", func() string { return "AAAAAA==" }, ErrMismatch},
		{"missing", "CRC32", func() string { return "" }, ErrMissingValue},
		{"malformed", "CRC32", func() string { return "AAAA" }, ErrInvalidValue},
		{"unknown algorithm", "CRC16", nil, ErrUnsupportedAlgorithm},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			called := 0
			exp := c.expected
			if exp != nil {
				exp = func() string { called++; return c.expected() }
			}
			r := NewReader(iotest.OneByteReader(strings.NewReader(body)), c.alg, exp)
			var got []byte
			buf := make([]byte, 4)
			var err error
			for {
				var n int
				n, err = r.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					break
				}
				if called != 0 {
					t.Fatal("expected() called before EOF")
				}
				if r.Sum() != "" {
					t.Fatal("Sum before EOF")
				}
			}
			if c.wantErr == nil {
				if err != io.EOF || string(got) != body {
					t.Fatalf("read %q, %v", got, err)
				}
			} else if !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if _, again := r.Read(buf); again != err {
				t.Errorf("error not sticky: %v then %v", err, again)
			}
			if exp != nil && called != 1 {
				t.Errorf("expected() called %d times", called)
			}
			if c.wantErr != ErrUnsupportedAlgorithm {
				h, _ := New(c.alg)
				io.WriteString(h, body)
				if r.Sum() != Encode(h.Sum(nil)) || r.Len() != int64(len(body)) {
					t.Errorf("Sum %q Len %d", r.Sum(), r.Len())
				}
			}
		})
	}
}

func TestMismatchError(t *testing.T) {
	r := NewReader(strings.NewReader("x"), "crc32", func() string { return "DUoRhQ==" })
	_, err := io.ReadAll(r)
	var m *MismatchError
	if !errors.As(err, &m) || m.Algorithm != CRC32 || m.Expected != "DUoRhQ==" || m.Computed != r.Sum() {
		t.Fatalf("err = %#v", err)
	}
	if err.Error() != "The CRC32 you specified did not match the calculated checksum." {
		t.Errorf("message %q", err.Error())
	}
}

func TestReaderPassesReadErrors(t *testing.T) {
	boom := errors.New("connection reset")
	r := NewReader(iotest.ErrReader(boom), "CRC32", func() string { t.Fatal("expected() called"); return "" })
	if _, err := r.Read(make([]byte, 8)); err != boom {
		t.Fatalf("err = %v", err)
	}
	if r.Sum() != "" {
		t.Error("Sum after a failed read")
	}
}

// crc32Of is an independent CRC for the composite tests.
func crc32Of(b []byte) []byte { return binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(b)) }
