package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestSDKMultipartChecksums covers additional checksums on multipart uploads as the S3 user
// guide ("Checking object integrity", "Using part-level checksums for multipart uploads")
// defines them: a COMPOSITE SHA-256 is the checksum of the parts' raw checksums followed by
// "-<parts>", a FULL_OBJECT CRC is the CRC of the whole object, a part whose checksum does not
// match is refused with BadDigest, and so is a wrong whole-object value on completion.
func TestSDKMultipartChecksums(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "mpu-sum")
	p1, p2 := randBytes(61, 5*mib), randBytes(62, 3000)
	whole := append(append([]byte(nil), p1...), p2...)

	type upload struct {
		key   string
		alg   types.ChecksumAlgorithm
		typ   types.ChecksumType
		want  string // the object's checksum after completion
		whole string // sent on CompleteMultipartUpload, when set
	}
	sha1, sha2 := sha256.Sum256(p1), sha256.Sum256(p2)
	composite := sha256.Sum256(append(sha1[:], sha2[:]...))
	for _, u := range []upload{
		{key: "composite-sha256", alg: types.ChecksumAlgorithmSha256, typ: types.ChecksumTypeComposite,
			want: base64.StdEncoding.EncodeToString(composite[:]) + "-2"},
		{key: "full-crc64nvme", alg: types.ChecksumAlgorithmCrc64nvme, typ: types.ChecksumTypeFullObject,
			want: checksumB64(types.ChecksumAlgorithmCrc64nvme, whole)},
		{key: "full-crc32-declared", alg: types.ChecksumAlgorithmCrc32, typ: types.ChecksumTypeFullObject,
			want: checksumB64(types.ChecksumAlgorithmCrc32, whole), whole: checksumB64(types.ChecksumAlgorithmCrc32, whole)},
	} {
		cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
			Bucket: aws.String(bucket), Key: aws.String(u.key), ChecksumAlgorithm: u.alg, ChecksumType: u.typ,
		})
		if err != nil {
			t.Errorf("CreateMultipartUpload %s: %v", u.key, err)
			continue
		}
		var parts []types.CompletedPart
		for i, p := range [][]byte{p1, p2} {
			up, err := c.UploadPart(ctx, &s3.UploadPartInput{
				Bucket: aws.String(bucket), Key: aws.String(u.key), UploadId: cr.UploadId, PartNumber: aws.Int32(int32(i + 1)),
				Body: bytes.NewReader(p), ChecksumAlgorithm: u.alg,
			})
			if err != nil {
				t.Fatalf("UploadPart %s #%d: %v", u.key, i+1, err)
			}
			got := (checksums{up.ChecksumCRC32, up.ChecksumCRC32C, up.ChecksumCRC64NVME, up.ChecksumSHA1, up.ChecksumSHA256}).get(u.alg)
			if got != checksumB64(u.alg, p) {
				t.Errorf("UploadPart %s #%d: x-amz-checksum-%s %q, want %q", u.key, i+1, u.alg, got, checksumB64(u.alg, p))
			}
			cp := types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: up.ETag}
			cp.ChecksumCRC32, cp.ChecksumCRC64NVME, cp.ChecksumSHA256 = up.ChecksumCRC32, up.ChecksumCRC64NVME, up.ChecksumSHA256
			parts = append(parts, cp)
		}
		in := &s3.CompleteMultipartUploadInput{
			Bucket: aws.String(bucket), Key: aws.String(u.key), UploadId: cr.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
		}
		if u.whole != "" {
			bad := *in
			bad.ChecksumCRC32, bad.ChecksumType = aws.String(checksumB64(types.ChecksumAlgorithmCrc32, []byte("not it"))), u.typ
			_, err := c.CompleteMultipartUpload(ctx, &bad)
			wantAPIError(t, "Complete "+u.key+" with a wrong whole-object CRC32", err, "BadDigest", 400)
			in.ChecksumCRC32, in.ChecksumType = aws.String(u.whole), u.typ
		}
		done, err := c.CompleteMultipartUpload(ctx, in)
		if err != nil {
			t.Errorf("CompleteMultipartUpload %s: %v", u.key, err)
			continue
		}
		if got := (checksums{done.ChecksumCRC32, done.ChecksumCRC32C, done.ChecksumCRC64NVME, done.ChecksumSHA1, done.ChecksumSHA256}).get(u.alg); got != u.want || done.ChecksumType != u.typ {
			t.Errorf("Complete %s: x-amz-checksum-%s %q type %q, want %q %q", u.key, u.alg, got, done.ChecksumType, u.want, u.typ)
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(u.key), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Errorf("HeadObject %s: %v", u.key, err)
			continue
		}
		if got := (checksums{head.ChecksumCRC32, head.ChecksumCRC32C, head.ChecksumCRC64NVME, head.ChecksumSHA1, head.ChecksumSHA256}).get(u.alg); got != u.want || head.ChecksumType != u.typ {
			t.Errorf("HeadObject %s: x-amz-checksum-%s %q type %q, want %q %q", u.key, u.alg, got, head.ChecksumType, u.want, u.typ)
		}
		// With ChecksumMode ENABLED the SDK validates a full-object checksum against the body.
		get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(u.key), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Errorf("GetObject %s: %v", u.key, err)
			continue
		}
		if b := readBody(t, get.Body); !bytes.Equal(b, whole) {
			t.Errorf("GetObject %s: body differs", u.key)
		}
	}

	// A part whose declared checksum is wrong is refused and not stored.
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("bad-part"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatalf("CreateMultipartUpload: %v", err)
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{
		Bucket: aws.String(bucket), Key: aws.String("bad-part"), UploadId: cr.UploadId, PartNumber: aws.Int32(1),
		Body: bytes.NewReader(p1), ChecksumCRC32: aws.String(checksumB64(types.ChecksumAlgorithmCrc32, p2)),
	})
	wantAPIError(t, "UploadPart with a wrong x-amz-checksum-crc32", err, "BadDigest", 400)
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("bad-part"), UploadId: cr.UploadId})
	if err != nil || len(lp.Parts) != 0 {
		t.Errorf("ListParts after a refused part: %d parts, err %v; want none", len(lp.Parts), err)
	}
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("bad-part"), UploadId: cr.UploadId}); err != nil {
		t.Errorf("AbortMultipartUpload: %v", err)
	}
}
