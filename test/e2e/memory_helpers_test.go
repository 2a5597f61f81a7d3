package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// patternData is an endless deterministic byte stream: a random block of a prime length,
// repeated, so any offset can be produced (and compared) without storing the object.
type patternData struct{ block []byte }

func newPatternData(seed uint64) patternData { return patternData{block: randBytes(seed, 1<<20+7)} }

func (p patternData) ReadAt(b []byte, off int64) (int, error) {
	n := 0
	for n < len(b) {
		i := int((off + int64(n)) % int64(len(p.block)))
		n += copy(b[n:], p.block[i:])
	}
	return n, nil
}

// peakRSS reads VmHWM (the resident set's high-water mark) of a process from /proc, in bytes.
func peakRSS(t testing.TB, pid int) int64 {
	t.Helper()
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		t.Fatalf("reading the server's memory use: %v", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("parsing VmHWM %q: %v", v, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}

// testStreamingMemory uploads size bytes as a multipart object of 64 MiB parts, reads it back
// whole, compares every byte, and checks the server's peak RSS grew by less than 100 MiB over
// the transfer (the streaming requirement).
func testStreamingMemory(t *testing.T, size int64) {
	srv := startServer(t, filepath.Join(t.TempDir(), "data"))
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "stream")
	mustPut(t, c, bucket, "warmup", randBytes(1, 2*mib))
	mustGet(t, c, bucket, "warmup")
	before := peakRSS(t, srv.pid())

	const partSize = 64 * mib
	data := newPatternData(99)
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("huge.bin")})
	if err != nil {
		t.Fatalf("CreateMultipartUpload: %v", err)
	}
	var parts []types.CompletedPart
	var md5s []byte
	for off, n := int64(0), int32(1); off < size; off, n = off+partSize, n+1 {
		length := min(partSize, size-off)
		h := md5.New()
		if _, err := io.Copy(h, io.NewSectionReader(data, off, length)); err != nil {
			t.Fatal(err)
		}
		md5s = h.Sum(md5s)
		up, err := c.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: aws.String(bucket), Key: aws.String("huge.bin"), UploadId: cr.UploadId,
			PartNumber: aws.Int32(n), Body: io.NewSectionReader(data, off, length),
		})
		if err != nil {
			t.Fatalf("UploadPart %d: %v", n, err)
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(n), ETag: up.ETag})
	}
	done, err := complete(c, bucket, "huge.bin", aws.ToString(cr.UploadId), parts)
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	if want := fmt.Sprintf(`"%s-%d"`, md5Hex(md5s), len(parts)); aws.ToString(done.ETag) != want {
		t.Errorf("ETag %s, want %s", aws.ToString(done.ETag), want)
	}
	afterPut := peakRSS(t, srv.pid())

	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("huge.bin")})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	if aws.ToInt64(out.ContentLength) != size {
		t.Errorf("Content-Length %d, want %d", aws.ToInt64(out.ContentLength), size)
	}
	got := make([]byte, 4*mib)
	want := make([]byte, 4*mib)
	var off int64
	for {
		n, err := io.ReadFull(out.Body, got)
		if n > 0 {
			data.ReadAt(want[:n], off)
			if !bytes.Equal(got[:n], want[:n]) {
				t.Fatalf("GET body differs from what was uploaded within bytes %d-%d", off, off+int64(n)-1)
			}
			off += int64(n)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			t.Fatalf("GET body at %d: %v", off, err)
		}
	}
	out.Body.Close()
	if off != size {
		t.Errorf("GET returned %d bytes, want %d", off, size)
	}
	after := peakRSS(t, srv.pid())
	t.Logf("server VmHWM: %d MiB before, %d MiB after the upload, %d MiB after the download of %d MiB", before>>20, afterPut>>20, after>>20, size>>20)
	if growth := after - before; growth >= 100*mib {
		t.Errorf("server peak RSS grew by %d MiB streaming a %d MiB object in and out; want < 100 MiB", growth>>20, size>>20)
	}
}
