package e2e

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"hash/crc64"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// crc64NVME is CRC-64/NVME (poly 0xad93d23594c93659, reflected, init and xorout all ones); Go's
// hash/crc64 takes the reversed polynomial. Check value of "123456789": 0xae8b14860a799888.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// checksumB64 computes x-amz-checksum-<alg> as S3 writes it: the big-endian digest in base64.
func checksumB64(alg types.ChecksumAlgorithm, b []byte) string {
	var sum []byte
	switch alg {
	case types.ChecksumAlgorithmCrc32:
		sum = binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(b))
	case types.ChecksumAlgorithmCrc32c:
		sum = binary.BigEndian.AppendUint32(nil, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	case types.ChecksumAlgorithmCrc64nvme:
		sum = binary.BigEndian.AppendUint64(nil, crc64.Checksum(b, crc64NVME))
	case types.ChecksumAlgorithmSha1:
		s := sha1.Sum(b)
		sum = s[:]
	case types.ChecksumAlgorithmSha256:
		s := sha256.Sum256(b)
		sum = s[:]
	}
	return base64.StdEncoding.EncodeToString(sum)
}

type checksums struct{ crc32, crc32c, crc64, sha1, sha256 *string }

func (c checksums) get(alg types.ChecksumAlgorithm) string {
	return aws.ToString(map[types.ChecksumAlgorithm]*string{
		types.ChecksumAlgorithmCrc32: c.crc32, types.ChecksumAlgorithmCrc32c: c.crc32c,
		types.ChecksumAlgorithmCrc64nvme: c.crc64, types.ChecksumAlgorithmSha1: c.sha1,
		types.ChecksumAlgorithmSha256: c.sha256,
	}[alg])
}

var allChecksums = []types.ChecksumAlgorithm{
	types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c, types.ChecksumAlgorithmCrc64nvme,
	types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256,
}

// TestSDKChecksums stores objects with each additional checksum algorithm, sent both in a
// header (plain HTTP, signed payload) and as an aws-chunked trailer (HTTPS through the TLS
// front, STREAMING-UNSIGNED-PAYLOAD-TRAILER), and reads the values back with ChecksumMode
// ENABLED (the SDK then also validates the body against them).
func TestSDKChecksums(t *testing.T) {
	srv := sharedServer(t)
	front := newTLSFront(t, srv)
	for _, tc := range []struct {
		name    string
		c       *sdkClient
		trailer bool
	}{
		{"header", pathSDK(t, srv), false},
		{"trailer", frontSDK(t, front), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			ctx := context.Background()
			bucket := mustBucket(t, c, "sum-"+tc.name)
			for i, alg := range append([]types.ChecksumAlgorithm{""}, allChecksums...) {
				body := randBytes(uint64(100+i), 70_000+i)
				key := "obj-" + string(alg)
				want := alg
				if alg == "" {
					key, want = "default", types.ChecksumAlgorithmCrc32 // the SDK's default
				}
				put, err := c.PutObject(ctx, &s3.PutObjectInput{
					Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body), ChecksumAlgorithm: alg,
				})
				if err != nil {
					t.Errorf("PutObject %s: %v", key, err)
					continue
				}
				exp := checksumB64(want, body)
				if got := (checksums{put.ChecksumCRC32, put.ChecksumCRC32C, put.ChecksumCRC64NVME, put.ChecksumSHA1, put.ChecksumSHA256}).get(want); got != exp {
					t.Errorf("PutObject %s: response x-amz-checksum-%s = %q, want %q", key, want, got, exp)
				}
				if aws.ToString(put.ETag) != quotedMD5(body) {
					t.Errorf("PutObject %s: ETag %s, want %s", key, aws.ToString(put.ETag), quotedMD5(body))
				}
				get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
				if err != nil {
					t.Errorf("GetObject %s: %v", key, err)
					continue
				}
				got, err := io.ReadAll(get.Body)
				get.Body.Close()
				if err != nil || !bytes.Equal(got, body) {
					t.Errorf("GetObject %s: %d bytes, err %v; want the %d bytes stored", key, len(got), err, len(body))
				}
				if g := (checksums{get.ChecksumCRC32, get.ChecksumCRC32C, get.ChecksumCRC64NVME, get.ChecksumSHA1, get.ChecksumSHA256}).get(want); g != exp {
					t.Errorf("GetObject %s ChecksumMode ENABLED: x-amz-checksum-%s = %q, want %q", key, want, g, exp)
				}
				if enc := aws.ToString(get.ContentEncoding); enc != "" {
					t.Errorf("GetObject %s: Content-Encoding %q, want none (aws-chunked is transfer framing, not stored)", key, enc)
				}
				head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
				if err != nil {
					t.Errorf("HeadObject %s: %v", key, err)
					continue
				}
				if g := (checksums{head.ChecksumCRC32, head.ChecksumCRC32C, head.ChecksumCRC64NVME, head.ChecksumSHA1, head.ChecksumSHA256}).get(want); g != exp {
					t.Errorf("HeadObject %s ChecksumMode ENABLED: x-amz-checksum-%s = %q, want %q", key, want, g, exp)
				}
				if aws.ToInt64(head.ContentLength) != int64(len(body)) {
					t.Errorf("HeadObject %s: Content-Length %d, want %d (the decoded length)", key, aws.ToInt64(head.ContentLength), len(body))
				}
			}
			if tc.trailer && !c.audit.sawMode("PUT", "STREAMING-UNSIGNED-PAYLOAD-TRAILER +aws-chunked") {
				t.Errorf("the SDK never sent an aws-chunked trailer upload through the TLS front; modes seen: %s", c.audit.summary())
			}

			// A user Content-Encoding survives the aws-chunked framing.
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String("gz"), Body: bytes.NewReader([]byte("not really gzip")), ContentEncoding: aws.String("gzip"),
			}); err != nil {
				t.Fatalf("PutObject with Content-Encoding gzip: %v", err)
			}
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("gz")})
			if err != nil {
				t.Fatalf("HeadObject gz: %v", err)
			}
			if enc := aws.ToString(head.ContentEncoding); enc != "gzip" {
				t.Errorf("Content-Encoding after PUT with gzip = %q, want \"gzip\"", enc)
			}

			// Explicit, precomputed values travel in headers and are verified.
			body := randBytes(42, 4096)
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String("explicit"), Body: bytes.NewReader(body),
				ChecksumSHA256: aws.String(checksumB64(types.ChecksumAlgorithmSha256, body)),
			}); err != nil {
				t.Errorf("PutObject with a correct x-amz-checksum-sha256: %v", err)
			}
			for _, size := range []int{4096, 600 << 10} {
				body := randBytes(uint64(size), size)
				_, err = c.PutObject(ctx, &s3.PutObjectInput{
					Bucket: aws.String(bucket), Key: aws.String("wrong-crc"), Body: bytes.NewReader(body),
					ChecksumCRC32: aws.String(checksumB64(types.ChecksumAlgorithmCrc32, []byte("other"))),
				})
				wantAPIError(t, "PutObject with a wrong x-amz-checksum-crc32", err, "BadDigest", 400)
				_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("wrong-crc")})
				wantAPIError(t, "HeadObject after the BadDigest PUT", err, "NotFound", 404)
			}
		})
	}
}
