package e2e

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

const mib = 1 << 20

// uploadParts starts an upload of key and uploads parts in order, returning the upload id and
// the CompletedPart list with the ETags the server answered.
func uploadParts(t testing.TB, c *sdkClient, bucket, key string, parts ...[]byte) (string, []types.CompletedPart) {
	t.Helper()
	ctx := context.Background()
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key), ContentType: aws.String("image/jpeg")})
	if err != nil {
		t.Fatalf("CreateMultipartUpload %q: %v", key, err)
	}
	if aws.ToString(cr.UploadId) == "" || aws.ToString(cr.Key) != key || aws.ToString(cr.Bucket) != bucket {
		t.Fatalf("CreateMultipartUpload answered %+v", cr)
	}
	var done []types.CompletedPart
	for i, p := range parts {
		n := int32(i + 1)
		up, err := c.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: aws.String(bucket), Key: aws.String(key), UploadId: cr.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(p),
		})
		if err != nil {
			t.Fatalf("UploadPart %q #%d: %v", key, n, err)
		}
		if aws.ToString(up.ETag) != quotedMD5(p) {
			t.Errorf("UploadPart #%d ETag %s, want %s", n, aws.ToString(up.ETag), quotedMD5(p))
		}
		done = append(done, types.CompletedPart{PartNumber: aws.Int32(n), ETag: up.ETag})
	}
	return aws.ToString(cr.UploadId), done
}

func complete(c *sdkClient, bucket, key, id string, parts []types.CompletedPart) (*s3.CompleteMultipartUploadOutput, error) {
	return c.CompleteMultipartUpload(context.Background(), &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
}

// TestSDKMultipart runs the multipart API with the SDK, over plain HTTP (payload hashed and
// signed, CRC32 in a header) and through the TLS front (aws-chunked parts with a trailing
// CRC32).
func TestSDKMultipart(t *testing.T) {
	srv := sharedServer(t)
	front := newTLSFront(t, srv)
	for _, tc := range []struct {
		name string
		c    *sdkClient
	}{
		{"plain", pathSDK(t, srv)},
		{"aws-chunked", frontSDK(t, front)},
	} {
		t.Run(tc.name, func(t *testing.T) { testMultipart(t, tc.c) })
	}
}

func testMultipart(t *testing.T, c *sdkClient) {
	ctx := context.Background()
	bucket := mustBucket(t, c, "mpu")
	p1, p2, p3 := randBytes(1, 5*mib), randBytes(2, 5*mib), []byte{0x42}

	id, parts := uploadParts(t, c, bucket, "photos/big.jpg", p1, p2, p3)

	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("photos/big.jpg"), UploadId: aws.String(id)})
	if err != nil {
		t.Fatalf("ListParts: %v", err)
	}
	if len(lp.Parts) != 3 {
		t.Fatalf("ListParts: %d parts, want 3", len(lp.Parts))
	}
	for i, p := range [][]byte{p1, p2, p3} {
		got := lp.Parts[i]
		if aws.ToInt32(got.PartNumber) != int32(i+1) || aws.ToString(got.ETag) != quotedMD5(p) || aws.ToInt64(got.Size) != int64(len(p)) || got.LastModified == nil {
			t.Errorf("ListParts[%d] = #%d ETag %s Size %d, want #%d %s %d", i, aws.ToInt32(got.PartNumber), aws.ToString(got.ETag), aws.ToInt64(got.Size), i+1, quotedMD5(p), len(p))
		}
	}
	if lp.Owner == nil || !canonicalUserID.MatchString(aws.ToString(lp.Owner.ID)) || lp.Initiator == nil {
		t.Errorf("ListParts Owner %+v Initiator %+v, want the canonical user", lp.Owner, lp.Initiator)
	}

	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("ListMultipartUploads: %v", err)
	}
	if len(lu.Uploads) != 1 || aws.ToString(lu.Uploads[0].UploadId) != id || aws.ToString(lu.Uploads[0].Key) != "photos/big.jpg" || lu.Uploads[0].Initiated == nil {
		t.Errorf("ListMultipartUploads = %+v, want exactly upload %s of photos/big.jpg", lu.Uploads, id)
	}
	// The object does not exist until completion.
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("photos/big.jpg")})
	wantAPIError(t, "HEAD before CompleteMultipartUpload", err, "NotFound", 404)

	// Completion errors leave the upload usable.
	_, err = complete(c, bucket, "photos/big.jpg", id, []types.CompletedPart{parts[1], parts[0], parts[2]})
	wantAPIError(t, "Complete with parts out of order", err, "InvalidPartOrder", 400)
	_, err = complete(c, bucket, "photos/big.jpg", id, []types.CompletedPart{parts[0], {PartNumber: aws.Int32(2), ETag: aws.String(`"0123456789abcdef0123456789abcdef"`)}, parts[2]})
	wantAPIError(t, "Complete with a wrong part ETag", err, "InvalidPart", 400)
	_, err = complete(c, bucket, "photos/big.jpg", id, []types.CompletedPart{parts[0], parts[1], {PartNumber: aws.Int32(4), ETag: parts[2].ETag}})
	wantAPIError(t, "Complete with a part never uploaded", err, "InvalidPart", 400)

	done, err := complete(c, bucket, "photos/big.jpg", id, parts)
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	wantETag := multipartETag(p1, p2, p3)
	if aws.ToString(done.ETag) != wantETag || aws.ToString(done.Key) != "photos/big.jpg" || aws.ToString(done.Bucket) != bucket {
		t.Errorf("Complete = ETag %s Key %q Bucket %q, want %s", aws.ToString(done.ETag), aws.ToString(done.Key), aws.ToString(done.Bucket), wantETag)
	}
	whole := append(append(append([]byte(nil), p1...), p2...), p3...)
	got, out := mustGet(t, c, bucket, "photos/big.jpg")
	if !bytes.Equal(got, whole) {
		t.Errorf("completed object: %d bytes, want %d (parts concatenated)", len(got), len(whole))
	}
	if aws.ToString(out.ETag) != wantETag || aws.ToString(out.ContentType) != "image/jpeg" {
		t.Errorf("completed object: ETag %s Content-Type %q, want %s image/jpeg", aws.ToString(out.ETag), aws.ToString(out.ContentType), wantETag)
	}
	rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("photos/big.jpg"), Range: aws.String("bytes=5242870-5242889")})
	if err != nil {
		t.Fatalf("ranged GET across a part boundary: %v", err)
	}
	rb := readBody(t, rng.Body)
	if !bytes.Equal(rb, whole[5242870:5242890]) || aws.ToString(rng.ContentRange) != "bytes 5242870-5242889/10485761" {
		t.Errorf("ranged GET across parts: Content-Range %q, bytes differ: %v", aws.ToString(rng.ContentRange), !bytes.Equal(rb, whole[5242870:5242890]))
	}
	_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("photos/big.jpg"), UploadId: aws.String(id)})
	wantAPIError(t, "ListParts after completion", err, "NoSuchUpload", 404)

	// EntityTooSmall: every part but the last must be at least 5 MiB.
	sid, sparts := uploadParts(t, c, bucket, "small-parts", randBytes(3, 1*mib), []byte("tail"))
	_, err = complete(c, bucket, "small-parts", sid, sparts)
	wantAPIError(t, "Complete with a 1 MiB first part", err, "EntityTooSmall", 400)

	// Abort removes the upload and its parts.
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("small-parts"), UploadId: aws.String(sid)}); err != nil {
		t.Fatalf("AbortMultipartUpload: %v", err)
	}
	_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("small-parts"), UploadId: aws.String(sid)})
	wantAPIError(t, "ListParts after abort", err, "NoSuchUpload", 404)
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String("small-parts"), UploadId: aws.String(sid), PartNumber: aws.Int32(3), Body: bytes.NewReader([]byte("x"))})
	wantAPIError(t, "UploadPart after abort", err, "NoSuchUpload", 404)
	_, err = complete(c, bucket, "small-parts", sid, sparts)
	wantAPIError(t, "Complete after abort", err, "NoSuchUpload", 404)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("small-parts")})
	wantAPIError(t, "HEAD of an aborted upload's key", err, "NotFound", 404)
	lu, err = c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil || len(lu.Uploads) != 0 {
		t.Errorf("ListMultipartUploads after complete and abort: %v uploads, err %v; want none", len(lu.Uploads), err)
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String("k"), UploadId: aws.String("no-such-upload-id"), PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("x"))})
	wantAPIError(t, "UploadPart to an unknown upload id", err, "NoSuchUpload", 404)

	// ListMultipartUploads sorts by key, then by initiation time for one key.
	var ids []string
	for _, k := range []string{"m/b", "m/a", "m/b"} {
		cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, k+"="+aws.ToString(cr.UploadId))
		time.Sleep(10 * time.Millisecond) // distinct initiation instants
	}
	lu, err = c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket), Prefix: aws.String("m/")})
	if err != nil {
		t.Fatalf("ListMultipartUploads: %v", err)
	}
	var listed []string
	for _, u := range lu.Uploads {
		listed = append(listed, aws.ToString(u.Key)+"="+aws.ToString(u.UploadId))
	}
	if want := []string{ids[1], ids[0], ids[2]}; strings.Join(listed, " ") != strings.Join(want, " ") {
		t.Errorf("ListMultipartUploads prefix m/:\n got %v\nwant %v", listed, want)
	}
	lu, err = c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket), Delimiter: aws.String("/")})
	if err != nil || len(lu.Uploads) != 0 || len(lu.CommonPrefixes) != 1 || aws.ToString(lu.CommonPrefixes[0].Prefix) != "m/" {
		t.Errorf("ListMultipartUploads delimiter /: %v, %d uploads, prefixes %+v; want only the common prefix m/", err, len(lu.Uploads), lu.CommonPrefixes)
	}
	for _, kv := range ids {
		k, id, _ := strings.Cut(kv, "=")
		if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(k), UploadId: aws.String(id)}); err != nil {
			t.Errorf("AbortMultipartUpload %s: %v", kv, err)
		}
	}

	// UploadPartCopy with ranges reassembles a source object.
	src := randBytes(4, 6*mib+123)
	mustPut(t, c, bucket, "copy-src", src)
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("assembled")})
	if err != nil {
		t.Fatal(err)
	}
	var cparts []types.CompletedPart
	for i, r := range []struct {
		rng        string
		start, end int
	}{
		{"bytes=0-5242879", 0, 5 * mib},
		{"bytes=5242880-6291578", 5 * mib, len(src)},
	} {
		pc, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{
			Bucket: aws.String(bucket), Key: aws.String("assembled"), UploadId: cr.UploadId, PartNumber: aws.Int32(int32(i + 1)),
			CopySource: aws.String(bucket + "/copy-src"), CopySourceRange: aws.String(r.rng),
		})
		if err != nil {
			t.Fatalf("UploadPartCopy %s: %v", r.rng, err)
		}
		if pc.CopyPartResult == nil || aws.ToString(pc.CopyPartResult.ETag) != quotedMD5(src[r.start:r.end]) {
			t.Errorf("UploadPartCopy %s: result %+v, want ETag %s", r.rng, pc.CopyPartResult, quotedMD5(src[r.start:r.end]))
			continue
		}
		cparts = append(cparts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: pc.CopyPartResult.ETag})
	}
	done, err = complete(c, bucket, "assembled", aws.ToString(cr.UploadId), cparts)
	if err != nil {
		t.Fatalf("Complete assembled: %v", err)
	}
	if aws.ToString(done.ETag) != multipartETag(src[:5*mib], src[5*mib:]) {
		t.Errorf("assembled ETag %s, want %s", aws.ToString(done.ETag), multipartETag(src[:5*mib], src[5*mib:]))
	}
	if got, _ := mustGet(t, c, bucket, "assembled"); !bytes.Equal(got, src) {
		t.Errorf("assembled object differs from the source (%d vs %d bytes)", len(got), len(src))
	}
}
