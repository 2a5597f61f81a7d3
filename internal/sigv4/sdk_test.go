package sigv4

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestAWSSDKS3Client drives the real aws-sdk-go-v2 S3 client, middleware and all (default
// CRC32 checksums, aws-chunked trailers for unseekable bodies, presigning), at a server that
// verifies every request and records what it saw.
func TestAWSSDKS3Client(t *testing.T) {
	for _, tls := range []bool{false, true} {
		t.Run(map[bool]string{false: "http", true: "https"}[tls], func(t *testing.T) { testAWSSDKS3Client(t, tls) })
	}
}

// Over HTTPS the SDK switches uploads to STREAMING-UNSIGNED-PAYLOAD-TRAILER (aws-chunked with
// an x-amz-checksum-crc32 trailer); over HTTP it signs the SHA-256 and sends the CRC32 header.
func testAWSSDKS3Client(t *testing.T, tls bool) {
	type seen struct {
		method, path string
		payload      PayloadMode
		body         string
		trailer      http.Header
		err          error
	}
	var mu sync.Mutex
	var log []seen
	v := &Verifier{Secret: func(ak string) (string, bool) { return rtSecret, ak == rtAccessKey }}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := seen{method: r.Method, path: r.URL.Path}
		a, err := v.Verify(r)
		if err == nil {
			s.payload = a.Payload
			var b *Body
			if b, err = a.Body(r); err == nil {
				var got []byte
				got, err = io.ReadAll(b)
				s.body, s.trailer = string(got), b.Trailer()
			}
			if err == nil && a.Anonymous {
				err = io.ErrUnexpectedEOF // stands for "not signed"
			}
		}
		s.err = err
		mu.Lock()
		log = append(log, s)
		mu.Unlock()
		if err != nil {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("ETag", `"0"`)
		if r.Method == http.MethodPost {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u+1/=</UploadId></InitiateMultipartUploadResult>`)
		}
	})
	srv := httptest.NewUnstartedServer(handler)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	defer srv.Close()

	client := s3.New(s3.Options{
		Region:       rtRegion,
		BaseEndpoint: aws.String(srv.URL),
		UsePathStyle: true,
		HTTPClient:   srv.Client(),
		// What s3.NewFromConfig defaults to (a bare s3.Options leaves checksums off).
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: rtAccessKey, SecretAccessKey: rtSecret}, nil
		}),
	})
	ctx := context.Background()
	body := strings.Repeat("imgcdn ", 40000) // 280 KB: several aws-chunked chunks
	keys := []string{"photos/a b+c/ü😀.jpg", "a//b", "../x", "%2F", "trailing/"}
	for _, key := range keys {
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Errorf("PutObject seekable %q: %v", key, err)
		}
		// An unseekable body can only be streamed as aws-chunked with a trailer, which the SDK
		// does over TLS only; over plain HTTP it refuses it before sending ("unseekable stream is
		// not supported without TLS and trailing checksum").
		if tls {
			unseekable := struct{ io.Reader }{bytes.NewReader([]byte(body))}
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key), Body: unseekable, ContentLength: aws.Int64(int64(len(body)))}); err != nil {
				t.Errorf("PutObject unseekable %q: %v", key, err)
			}
		}
		if _, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bkt"), Key: aws.String(key), UploadId: aws.String("u+1/="), PartNumber: aws.Int32(3), Body: strings.NewReader(body)}); err != nil {
			t.Errorf("UploadPart %q: %v", key, err)
		}
		if _, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String(key), ChecksumAlgorithm: "CRC32"}); err != nil {
			t.Errorf("CreateMultipartUpload %q: %v", key, err)
		}
		ps, err := s3.NewPresignClient(client).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key), ResponseContentDisposition: aws.String(`attachment; filename="x y.jpg"`)})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Get(ps.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	perKey := 4
	if tls {
		perKey = 5
	}
	if len(log) != perKey*len(keys) {
		t.Fatalf("server saw %d requests", len(log))
	}
	chunked := 0
	for _, s := range log {
		if s.payload == PayloadStreamingUnsignedTrailer {
			chunked++
			if s.trailer.Get("X-Amz-Checksum-Crc32") == "" {
				t.Errorf("%s %s: no CRC32 trailer", s.method, s.path)
			}
		}
		if s.err != nil {
			t.Errorf("%s %s (%v): %v", s.method, s.path, s.payload, s.err)
			continue
		}
		if s.method == http.MethodPut && s.body != body {
			t.Errorf("%s %s (%v): body of %d bytes", s.method, s.path, s.payload, len(s.body))
		}
		t.Logf("%s %s: %v trailer=%v", s.method, s.path, s.payload, s.trailer)
	}
	if tls && chunked < 3*len(keys) {
		t.Errorf("only %d aws-chunked uploads over HTTPS", chunked)
	}
}
