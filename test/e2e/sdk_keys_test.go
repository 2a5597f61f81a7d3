package e2e

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// awkwardKeys are object keys that break implementations which treat keys as paths or
// unescape them twice. S3 treats every one as opaque UTF-8 data.
var awkwardKeys = []string{
	"../x",
	"../../escape-e2e.txt",
	"a//b",
	"/",
	"//",
	"%2F",
	"%2e%2e%2fpct-escape-e2e",
	"a b",
	"plus+sign",
	"ü/😀",
	"trailing-slash-e2e/",
	"/leading-slash-e2e",
	"./dot-e2e",
	"dir-e2e/..",
	"question?mark#hash&amp=eq;semi",
	"back\\slash-e2e",
	"tab\there",
	"caf\u00e9-nfc",  // é precomposed...
	"cafe\u0301-nfd", // ...and decomposed: two different keys, never normalized into one
	strings.Repeat("k", 1024),
	strings.Repeat("é", 512), // 1,024 bytes of UTF-8
}

// TestSDKAwkwardKeys round-trips awkward keys exactly, lists them exactly, refuses a key over
// 1,024 bytes with KeyTooLongError, and checks that keys never become file names: nothing in
// or around the data dir is named after a key, and nothing escaped it.
func TestSDKAwkwardKeys(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "one", "two", "data") // so "../../x" relative to data stays inside root
	srv := startServer(t, data)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "keys")

	for i, key := range awkwardKeys {
		body := append([]byte("body of "+key+"\n"), randBytes(uint64(i), 64<<10*(i%2))...) // half inline-sized, half larger
		mustPut(t, c, bucket, key, body)
		got, out := mustGet(t, c, bucket, key)
		if !bytes.Equal(got, body) {
			t.Errorf("GET %q: %d bytes, want the %d stored", key, len(got), len(body))
		}
		if aws.ToString(out.ETag) != quotedMD5(body) {
			t.Errorf("GET %q: ETag %s, want %s", key, aws.ToString(out.ETag), quotedMD5(body))
		}
		if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil {
			t.Errorf("HEAD %q: %v", key, err)
		}
	}

	var listed []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListObjectsV2: %v", err)
		}
		for _, o := range page.Contents {
			listed = append(listed, aws.ToString(o.Key))
		}
	}
	want := append([]string(nil), awkwardKeys...)
	sort.Strings(want) // Go compares strings bytewise: S3's UTF-8 binary order
	if strings.Join(listed, "\x00") != strings.Join(want, "\x00") {
		t.Errorf("ListObjectsV2 keys:\n got %q\nwant %q", listed, want)
	}

	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(strings.Repeat("k", 1025)), Body: bytes.NewReader([]byte("x"))})
	wantAPIError(t, "PutObject with a 1,025-byte key", err, "KeyTooLongError", 400)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(strings.Repeat("é", 512) + "x"), Body: bytes.NewReader([]byte("x"))})
	wantAPIError(t, "PutObject with a 1,025-byte UTF-8 key", err, "KeyTooLongError", 400)

	checkNoKeyFiles(t, root, awkwardKeys)

	for _, key := range awkwardKeys {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil {
			t.Errorf("DeleteObject %q: %v", key, err)
		}
		_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		wantAPIError(t, "HEAD deleted "+key, err, "NotFound", 404)
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("DeleteBucket after deleting every key: %v", err)
	}
}

// checkNoKeyFiles walks root (the data dir and the directories above it up to the test's temp
// dir) and fails on any file or directory whose name is a distinctive component of a key.
func checkNoKeyFiles(t *testing.T, root string, keys []string) {
	t.Helper()
	names := map[string]string{}
	for _, k := range keys {
		names[k] = k
		for _, seg := range strings.Split(k, "/") {
			// Short segments ("a", "b", "x", "..") could be legitimate fan-out directories.
			if len(seg) >= 3 {
				names[seg] = k
			}
		}
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if k, ok := names[d.Name()]; ok {
			t.Errorf("%s: a file named after key %q; keys must be data, never file paths", path, k)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, only := range map[string]string{
		root:                              "one",
		filepath.Join(root, "one"):        "two",
		filepath.Join(root, "one", "two"): "data",
	} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Name() != only {
			var n []string
			for _, e := range entries {
				n = append(n, e.Name())
			}
			t.Errorf("%s holds %q, want only %q: something was written outside the data dir", dir, n, only)
		}
	}
}
