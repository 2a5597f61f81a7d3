package s3api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// TestMinioClient drives the Server with minio-go, which signs every chunk of its uploads
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) over plain HTTP and sends Content-MD5 with
// multi-object deletes.
func TestMinioClient(t *testing.T) {
	e := newTestEnv(t)
	u, _ := url.Parse(e.ts.URL)
	c, err := minio.New(u.Host, &minio.Options{
		Creds: credentials.NewStaticV4(testAccessKey, testSecret, ""), Region: "us-east-1", BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.MakeBucket(ctx, "minio-bucket", minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.BucketExists(ctx, "minio-bucket"); !ok || err != nil {
		t.Fatalf("BucketExists %v %v", ok, err)
	}
	data := bytes.Repeat([]byte("minio "), 2000)
	info, err := c.PutObject(ctx, "minio-bucket", "a/b c.txt", bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{
		ContentType: "text/plain", UserMetadata: map[string]string{"Owner": "me"},
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.StatObject(ctx, "minio-bucket", "a/b c.txt", minio.StatObjectOptions{})
	if err != nil || st.Size != int64(len(data)) || st.ContentType != "text/plain" || st.UserMetadata["Owner"] != "me" || st.ETag != info.ETag {
		t.Fatalf("StatObject %+v %v", st, err)
	}
	obj, err := c.GetObject(ctx, "minio-bucket", "a/b c.txt", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(obj)
	obj.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("GetObject: %v, %d bytes", err, len(got))
	}

	// An upload of unknown size goes multipart (parts of at least 5 MiB for minio-go).
	big := bytes.Repeat([]byte{7}, 11<<20)
	mp, err := c.PutObject(ctx, "minio-bucket", "big", io.MultiReader(bytes.NewReader(big)), -1, minio.PutObjectOptions{PartSize: 5 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(mp.ETag, "-3") || mp.Size != int64(len(big)) {
		t.Errorf("multipart upload %+v", mp)
	}

	if _, err := c.CopyObject(ctx, minio.CopyDestOptions{Bucket: "minio-bucket", Object: "copy"},
		minio.CopySrcOptions{Bucket: "minio-bucket", Object: "a/b c.txt"}); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for o := range c.ListObjects(ctx, "minio-bucket", minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		keys = append(keys, o.Key)
	}
	if strings.Join(keys, ",") != "a/b c.txt,big,copy" {
		t.Errorf("ListObjects %q", keys)
	}

	// Presigned GET with a plain client.
	pu, err := c.PresignedGetObject(ctx, "minio-bucket", "copy", time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(pu.String())
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(pb, data) {
		t.Errorf("presigned GET %d, %d bytes", resp.StatusCode, len(pb))
	}

	// Multi-object delete (Content-MD5), then the typed errors.
	ch := make(chan minio.ObjectInfo, 3)
	for _, k := range []string{"a/b c.txt", "big", "copy"} {
		ch <- minio.ObjectInfo{Key: k}
	}
	close(ch)
	for e := range c.RemoveObjects(ctx, "minio-bucket", ch, minio.RemoveObjectsOptions{}) {
		t.Errorf("RemoveObjects: %v", e.Err)
	}
	_, err = c.StatObject(ctx, "minio-bucket", "big", minio.StatObjectOptions{})
	if minio.ToErrorResponse(err).Code != "NoSuchKey" {
		t.Errorf("deleted object: %v", err)
	}
	_, err = c.GetObjectACL(ctx, "no-such-bucket", "k")
	if minio.ToErrorResponse(err).Code != "NoSuchBucket" {
		t.Errorf("missing bucket: %v", err)
	}
	if err := c.RemoveBucket(ctx, "minio-bucket"); err != nil {
		t.Fatal(err)
	}
}
