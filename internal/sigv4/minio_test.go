package sigv4

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"crypto/sha256"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/minio/minio-go/v7/pkg/s3utils"
	"github.com/minio/minio-go/v7/pkg/signer"
)

// sha256Hasher satisfies minio-go's md5simd.Hasher for its streaming signer.
type sha256Hasher struct{ hash.Hash }

func (sha256Hasher) Close() {}

func minioRequest(t *testing.T, srv, method, key string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, srv, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Path = "/bucket/" + key
	req.URL.RawPath = s3utils.EncodePath(req.URL.Path)
	return req
}

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func crc32Base64(b []byte) string {
	var sum [4]byte
	v := crc32.ChecksumIEEE(b)
	sum[0], sum[1], sum[2], sum[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// TestRoundTripMinioSigner signs with minio-go's signer in every mode it has and verifies
// over a real HTTP connection.
func TestRoundTripMinioSigner(t *testing.T) {
	srv := echoServer(t, &Verifier{Secret: func(ak string) (string, bool) { return rtSecret, ak == rtAccessKey }})
	sizes := []int{0, 1, 65535, 65536, 65537, 200_000}
	for _, key := range []string{"plain", "a b+c/ü😀", "a//b", "../x", "%2F"} {
		for _, size := range sizes {
			body := randomBytes(t, size)
			name := key + "/" + strconv.Itoa(size)

			// Header auth, UNSIGNED-PAYLOAD.
			req := minioRequest(t, srv.URL, http.MethodPut, key, body)
			req.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
			req = signer.SignV4(*req, rtAccessKey, rtSecret, "", rtRegion)
			expectEcho(t, name+" unsigned", req, body, "")

			// Streaming, signed chunks.
			req = minioRequest(t, srv.URL, http.MethodPut, key, body)
			req = signer.StreamingSignV4(req, rtAccessKey, rtSecret, "", rtRegion, int64(size), time.Now().UTC(), sha256Hasher{sha256.New()})
			expectEcho(t, name+" streaming", req, body, "")

			// Streaming, signed chunks and a signed trailer.
			req = minioRequest(t, srv.URL, http.MethodPut, key, body)
			req.Trailer = http.Header{"X-Amz-Checksum-Crc32": {crc32Base64(body)}}
			req = signer.StreamingSignV4(req, rtAccessKey, rtSecret, "", rtRegion, int64(size), time.Now().UTC(), sha256Hasher{sha256.New()})
			if size > 0 { // minio-go only frames trailers for non-empty bodies
				expectEcho(t, name+" streaming+trailer", req, body, crc32Base64(body))
			}

			// Unsigned payload with an unsigned trailer (minio-go's default checksum path).
			req = minioRequest(t, srv.URL, http.MethodPut, key, body)
			req.Header.Set("X-Amz-Content-Sha256", streamingUnsignedTrailer)
			req = signer.SignV4Trailer(*req, rtAccessKey, rtSecret, "", rtRegion, http.Header{"X-Amz-Checksum-Crc32": {crc32Base64(body)}})
			if size > 0 {
				expectEcho(t, name+" unsigned trailer", req, body, crc32Base64(body))
			}

			// Presigned GET.
			req = minioRequest(t, srv.URL, http.MethodGet, key, nil)
			req = signer.PreSignV4(*req, rtAccessKey, rtSecret, "", rtRegion, 3600)
			get, err := http.NewRequest(http.MethodGet, req.URL.String(), nil)
			if err != nil {
				t.Fatal(err)
			}
			expectEcho(t, name+" presigned", get, nil, "")
		}
	}
}

func expectEcho(t *testing.T, name string, req *http.Request, body []byte, crc string) {
	t.Helper()
	status, got, h := do(t, req)
	if status != http.StatusOK || got != string(body) {
		if len(got) > 300 {
			got = got[:300]
		}
		t.Fatalf("%s: %d %q", name, status, got)
	}
	if crc != "" && !strings.Contains(h.Get("X-Trailer"), crc) {
		t.Fatalf("%s: trailer %q, want crc %s", name, h.Get("X-Trailer"), crc)
	}
}

// TestRoundTripUnsignedTrailerFraming sends STREAMING-UNSIGNED-PAYLOAD-TRAILER bodies framed
// as aws-sdk-go-v2 (service/internal/checksum/aws_chunked_encoding.go: one chunk per
// 64 KiB, "0\r\n", trailer, "\r\n") and botocore (httpchecksum.py AwsChunkedWrapper:
// 1 MiB chunks, "0\r\nname:value\r\n\r\n") frame them, signed by aws-sdk-go-v2, both with
// Content-Length and with Transfer-Encoding: chunked.
func TestRoundTripUnsignedTrailerFraming(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	srv := echoServer(t, verifierAt(now, rtAccessKey, rtSecret))
	body := randomBytes(t, 3<<20+17)
	frame := func(chunk int) []byte {
		var b bytes.Buffer
		for rest := body; len(rest) > 0; {
			n := min(chunk, len(rest))
			b.WriteString(strconv.FormatInt(int64(n), 16) + "\r\n")
			b.Write(rest[:n])
			b.WriteString("\r\n")
			rest = rest[n:]
		}
		b.WriteString("0\r\nx-amz-checksum-crc32:" + crc32Base64(body) + "\r\n\r\n")
		return b.Bytes()
	}
	for name, wire := range map[string][]byte{"sdk-v2": frame(64 << 10), "botocore": frame(1 << 20), "single-chunk": frame(len(body))} {
		for _, chunkedTE := range []bool{false, true} {
			req := s3Request(t, srv.URL, http.MethodPut, "k", "", wire)
			if chunkedTE {
				req.Body = io.NopCloser(bytes.NewReader(wire)) // hides the length: Transfer-Encoding: chunked
				req.ContentLength = -1
			}
			req.Header.Set("X-Amz-Content-Sha256", streamingUnsignedTrailer)
			req.Header.Set("Content-Encoding", "aws-chunked")
			req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
			req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(body)))
			err := awsv4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: rtAccessKey, SecretAccessKey: rtSecret},
				req, streamingUnsignedTrailer, "s3", rtRegion, now, func(o *awsv4.SignerOptions) { o.DisableURIPathEscaping = true })
			if err != nil {
				t.Fatal(err)
			}
			expectEcho(t, name+" te="+strconv.FormatBool(chunkedTE), req, body, crc32Base64(body))
		}
	}
}

// TestRoundTripMinioSignerV2 signs with minio-go's Signature Version 2 (header and presigned,
// path-style and virtual-hosted) and verifies over HTTP.
func TestRoundTripMinioSignerV2(t *testing.T) {
	v := &Verifier{Secret: func(ak string) (string, bool) { return rtSecret, ak == rtAccessKey }}
	v.VirtualHostBucket = func(r *http.Request) string {
		b, _ := strings.CutSuffix(r.Host, ".s3.localhost")
		if b == r.Host {
			return ""
		}
		return b
	}
	srv := echoServer(t, v)
	for _, key := range []string{"plain", "a b+c/ü😀", "a//b", "../x", "%2F", "x=y&z"} {
		for _, virtual := range []bool{false, true} {
			name := fmt.Sprintf("%s virtual=%v", key, virtual)
			req := minioRequest(t, srv.URL, http.MethodPut, key, []byte("v2 body"))
			if virtual {
				req.Host = "bucket.s3.localhost"
				req.URL.Path = "/" + key
				req.URL.RawPath = s3utils.EncodePath(req.URL.Path)
			}
			req.Header.Set("Content-Type", "image/png")
			req.Header.Set("X-Amz-Meta-Note", "a  b")
			expectEcho(t, name+" header", signer.SignV2(*req, rtAccessKey, rtSecret, virtual), []byte("v2 body"), "")

			get := minioRequest(t, srv.URL, http.MethodGet, key, nil)
			if virtual {
				get.Host = "bucket.s3.localhost"
				get.URL.Path = "/" + key
				get.URL.RawPath = s3utils.EncodePath(get.URL.Path)
			}
			get.URL.RawQuery = "versionId=3&response-content-type=image%2Fpng"
			presigned := signer.PreSignV2(*get, rtAccessKey, rtSecret, 600, virtual)
			curl, err := http.NewRequest(http.MethodGet, presigned.URL.String(), nil)
			if err != nil {
				t.Fatal(err)
			}
			curl.Host = get.Host
			expectEcho(t, name+" presigned", curl, nil, "")
		}
	}
}
