package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func newMinio(t testing.TB, s *server, trailing bool) (*minio.Client, *wireAudit) {
	t.Helper()
	audit := newWireAudit(t, loopbackTransport(nil))
	c, err := minio.New(s.api, &minio.Options{
		Creds:           credentials.NewStaticV4(testAccessKey, testSecretKey, ""),
		Secure:          false,
		Transport:       audit,
		TrailingHeaders: trailing,
	})
	if err != nil {
		t.Fatalf("minio.New: %v", err)
	}
	return c, audit
}

func minioCode(err error) string { return minio.ToErrorResponse(err).Code }

// streamReader yields size pseudo-random bytes without a known length (it is not a Seeker
// and has no Len), so minio-go must stream it as a multipart upload. It keeps the SHA-256 of
// everything read and the MD5 of every partSize slice, for the expected multipart ETag.
type streamReader struct {
	left, partSize, inPart int
	seed                   uint64
	block                  []byte
	off                    int
	whole, part            hash.Hash
	md5s                   []byte
}

func newStreamReader(size, partSize int, seed uint64) *streamReader {
	return &streamReader{left: size, partSize: partSize, seed: seed, whole: sha256.New(), part: md5.New()}
}

func (r *streamReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	if r.off == len(r.block) {
		r.seed++
		r.block, r.off = randBytes(r.seed, 1<<20), 0
	}
	n := min(len(p), len(r.block)-r.off, r.left, r.partSize-r.inPart)
	copy(p, r.block[r.off:r.off+n])
	r.whole.Write(p[:n])
	r.part.Write(p[:n])
	r.off += n
	r.left -= n
	r.inPart += n
	if r.inPart == r.partSize || r.left == 0 {
		r.md5s = r.part.Sum(r.md5s)
		r.part.Reset()
		r.inPart = 0
	}
	return n, nil
}

// etag is the expected multipart ETag, unquoted as minio-go reports it.
func (r *streamReader) etag() string {
	return fmt.Sprintf("%s-%d", md5Hex(r.md5s), len(r.md5s)/md5.Size)
}

func (r *streamReader) sha256() string { return fmt.Sprintf("%x", r.whole.Sum(nil)) }

// TestMinio drives the server with minio-go v7: its default streaming signature
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, every chunk signed), an unknown-size multipart stream,
// and the usual object API with minio's typed errors.
func TestMinio(t *testing.T) {
	srv := sharedServer(t)
	c, audit := newMinio(t, srv, false)
	ctx := context.Background()
	bucket := newBucketName("minio")

	if err := c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("MakeBucket: %v", err)
	}
	if ok, err := c.BucketExists(ctx, bucket); err != nil || !ok {
		t.Fatalf("BucketExists: %v %v", ok, err)
	}

	small := randBytes(31, 3000)
	info, err := c.PutObject(ctx, bucket, "dir/small one.png", bytes.NewReader(small), int64(len(small)), minio.PutObjectOptions{
		ContentType: "image/png", CacheControl: "max-age=300", UserMetadata: map[string]string{"Owner": "e2e"},
	})
	if err != nil {
		t.Fatalf("PutObject small: %v", err)
	}
	if info.ETag != md5Hex(small) || info.Size != int64(len(small)) {
		t.Errorf("PutObject small: ETag %s Size %d, want %s %d", info.ETag, info.Size, md5Hex(small), len(small))
	}
	if !audit.sawMode("PUT", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") {
		t.Errorf("minio-go did not use its streaming signature; modes: %s", audit.summary())
	}
	st, err := c.StatObject(ctx, bucket, "dir/small one.png", minio.StatObjectOptions{})
	if err != nil {
		t.Fatalf("StatObject: %v", err)
	}
	if st.Size != int64(len(small)) || st.ETag != md5Hex(small) || st.ContentType != "image/png" || st.Metadata.Get("Cache-Control") != "max-age=300" || st.UserMetadata["Owner"] != "e2e" {
		t.Errorf("StatObject: size %d etag %s type %q cache %q user %v", st.Size, st.ETag, st.ContentType, st.Metadata.Get("Cache-Control"), st.UserMetadata)
	}

	get := func(key string, opts minio.GetObjectOptions) []byte {
		t.Helper()
		o, err := c.GetObject(ctx, bucket, key, opts)
		if err != nil {
			t.Fatalf("GetObject %q: %v", key, err)
		}
		defer o.Close()
		b, err := io.ReadAll(o)
		if err != nil {
			t.Fatalf("GetObject %q: read: %v", key, err)
		}
		return b
	}
	var ro minio.GetObjectOptions
	if err := ro.SetRange(100, 1099); err != nil {
		t.Fatal(err)
	}
	if got := get("dir/small one.png", ro); !bytes.Equal(got, small[100:1100]) {
		t.Errorf("GetObject range 100-1099: %d bytes, want exactly those 1000", len(got))
	}
	if got := get("dir/small one.png", minio.GetObjectOptions{}); !bytes.Equal(got, small) {
		t.Errorf("GetObject: body differs")
	}

	// Unknown size: minio-go streams 16 MiB parts until EOF.
	const bigSize, part = 70 * mib, 16 * mib
	sr := newStreamReader(bigSize, part, 500)
	big, err := c.PutObject(ctx, bucket, "streams/70mib.bin", sr, -1, minio.PutObjectOptions{PartSize: part, ContentType: "application/octet-stream"})
	if err != nil {
		t.Fatalf("PutObject 70 MiB with unknown size: %v", err)
	}
	if big.ETag != sr.etag() || big.Size != bigSize {
		t.Errorf("PutObject 70 MiB: ETag %s Size %d, want %s %d (5 parts of 16 MiB)", big.ETag, big.Size, sr.etag(), bigSize)
	}
	st, err = c.StatObject(ctx, bucket, "streams/70mib.bin", minio.StatObjectOptions{})
	if err != nil || st.Size != bigSize || st.ETag != sr.etag() {
		t.Errorf("StatObject 70 MiB: %v size %d etag %s", err, st.Size, st.ETag)
	}
	o, err := c.GetObject(ctx, bucket, "streams/70mib.bin", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	n, err := io.Copy(h, o)
	o.Close()
	if err != nil || n != bigSize || fmt.Sprintf("%x", h.Sum(nil)) != sr.sha256() {
		t.Errorf("GetObject 70 MiB: %d bytes, err %v, sha256 match %v", n, err, fmt.Sprintf("%x", h.Sum(nil)) == sr.sha256())
	}

	if _, err := c.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "dir/copy.png"}, minio.CopySrcOptions{Bucket: bucket, Object: "dir/small one.png"}); err != nil {
		t.Fatalf("CopyObject: %v", err)
	}
	if got := get("dir/copy.png", minio.GetObjectOptions{}); !bytes.Equal(got, small) {
		t.Errorf("copied object differs")
	}

	var flat, top []string
	for oi := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if oi.Err != nil {
			t.Fatalf("ListObjects recursive: %v", oi.Err)
		}
		flat = append(flat, fmt.Sprintf("%s:%d", oi.Key, oi.Size))
	}
	for oi := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{}) {
		if oi.Err != nil {
			t.Fatalf("ListObjects: %v", oi.Err)
		}
		top = append(top, oi.Key)
	}
	if w := fmt.Sprintf("dir/copy.png:3000,dir/small one.png:3000,streams/70mib.bin:%d", bigSize); strings.Join(flat, ",") != w {
		t.Errorf("ListObjects recursive: %q, want %q", flat, w)
	}
	if strings.Join(top, ",") != "dir/,streams/" {
		t.Errorf("ListObjects with delimiter: %q, want dir/,streams/", top)
	}

	pu, err := c.PresignedGetObject(ctx, bucket, "dir/small one.png", 5*time.Minute, url.Values{"response-content-type": {"image/x-test"}})
	if err != nil {
		t.Fatalf("PresignedGetObject: %v", err)
	}
	req, _ := http.NewRequest("GET", pu.String(), nil)
	resp, got := do(t, http.DefaultClient, req)
	if resp.StatusCode != 200 || !bytes.Equal(got, small) || resp.Header.Get("Content-Type") != "image/x-test" {
		t.Errorf("minio presigned GET: %s Content-Type %q, %d bytes", resp.Status, resp.Header.Get("Content-Type"), len(got))
	}

	_, err = c.StatObject(ctx, bucket, "missing", minio.StatObjectOptions{})
	if code := minioCode(err); code != "NoSuchKey" {
		t.Errorf("StatObject missing key: code %q (%v), want NoSuchKey", code, err)
	}
	_, err = c.StatObject(ctx, "e2e-minio-no-such-bucket", "k", minio.StatObjectOptions{})
	if code := minioCode(err); code != "NoSuchBucket" {
		t.Errorf("StatObject missing bucket: code %q (%v), want NoSuchBucket", code, err)
	}
	if code := minioCode(c.RemoveBucket(ctx, bucket)); code != "BucketNotEmpty" {
		t.Errorf("RemoveBucket non-empty: code %q, want BucketNotEmpty", code)
	}

	if err := c.RemoveObject(ctx, bucket, "dir/copy.png", minio.RemoveObjectOptions{}); err != nil {
		t.Errorf("RemoveObject: %v", err)
	}
	ch := make(chan minio.ObjectInfo, 3)
	for _, k := range []string{"dir/small one.png", "streams/70mib.bin", "never-existed"} {
		ch <- minio.ObjectInfo{Key: k}
	}
	close(ch)
	for e := range c.RemoveObjects(ctx, bucket, ch, minio.RemoveObjectsOptions{}) {
		t.Errorf("RemoveObjects %q: %v", e.ObjectName, e.Err)
	}
	var left []string
	for oi := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		left = append(left, oi.Key)
	}
	if len(left) != 0 {
		t.Errorf("after RemoveObjects: %q remain", left)
	}
	if err := c.RemoveBucket(ctx, bucket); err != nil {
		t.Errorf("RemoveBucket: %v", err)
	}
}

// TestMinioTrailingChecksums uses minio-go with TrailingHeaders: its uploads are signed
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER with a CRC32C trailer whose signature the server
// must verify too.
func TestMinioTrailingChecksums(t *testing.T) {
	srv := sharedServer(t)
	c, audit := newMinio(t, srv, true)
	ctx := context.Background()
	bucket := newBucketName("minio-trailer")
	if err := c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("MakeBucket: %v", err)
	}
	small := randBytes(41, 200_000)
	if _, err := c.PutObject(ctx, bucket, "small", bytes.NewReader(small), int64(len(small)), minio.PutObjectOptions{Checksum: minio.ChecksumCRC32C}); err != nil {
		t.Fatalf("PutObject with a CRC32C trailer: %v", err)
	}
	if !audit.sawMode("PUT", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
		t.Errorf("minio-go did not send a signed trailer; modes: %s", audit.summary())
	}
	st, err := c.StatObject(ctx, bucket, "small", minio.StatObjectOptions{Checksum: true})
	if err != nil {
		t.Fatalf("StatObject: %v", err)
	}
	if want := checksumB64(types.ChecksumAlgorithmCrc32c, small); st.ChecksumCRC32C != want || st.ETag != md5Hex(small) {
		t.Errorf("StatObject: CRC32C %q ETag %s, want %q %s", st.ChecksumCRC32C, st.ETag, want, md5Hex(small))
	}

	// DisableContentSha256 over plain HTTP: STREAMING-UNSIGNED-PAYLOAD-TRAILER, the chunks
	// unsigned and the CRC32C trailer the only integrity check.
	unsigned := randBytes(43, 300_000)
	if _, err := c.PutObject(ctx, bucket, "unsigned", bytes.NewReader(unsigned), int64(len(unsigned)), minio.PutObjectOptions{Checksum: minio.ChecksumCRC32C, DisableContentSha256: true}); err != nil {
		t.Fatalf("PutObject with an unsigned payload and a CRC32C trailer: %v", err)
	}
	if !audit.sawMode("PUT", "STREAMING-UNSIGNED-PAYLOAD-TRAILER") {
		t.Errorf("minio-go did not send an unsigned-payload trailer upload; modes: %s", audit.summary())
	}
	st, err = c.StatObject(ctx, bucket, "unsigned", minio.StatObjectOptions{Checksum: true})
	if err != nil || st.ChecksumCRC32C != checksumB64(types.ChecksumAlgorithmCrc32c, unsigned) || st.Size != int64(len(unsigned)) {
		t.Errorf("StatObject unsigned: %v CRC32C %q size %d", err, st.ChecksumCRC32C, st.Size)
	}

	big := randBytes(42, 20*mib+5)
	if _, err := c.PutObject(ctx, bucket, "big", bytes.NewReader(big), int64(len(big)), minio.PutObjectOptions{Checksum: minio.ChecksumCRC32C, PartSize: 8 * mib}); err != nil {
		t.Fatalf("multipart PutObject with CRC32C trailers: %v", err)
	}
	o, err := c.GetObject(ctx, bucket, "big", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(o)
	o.Close()
	if err != nil || !bytes.Equal(got, big) {
		t.Errorf("GetObject big: %d bytes, err %v; want the %d stored", len(got), err, len(big))
	}
	st, err = c.StatObject(ctx, bucket, "big", minio.StatObjectOptions{})
	if err != nil || st.ETag != strings.Trim(multipartETag(big[:8*mib], big[8*mib:16*mib], big[16*mib:]), `"`) {
		t.Errorf("StatObject big: %v ETag %s, want %s", err, st.ETag, multipartETag(big[:8*mib], big[8*mib:16*mib], big[16*mib:]))
	}
	var keys []string
	for oi := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		keys = append(keys, oi.Key)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "big,small,unsigned" {
		t.Errorf("ListObjects: %q", keys)
	}
}
