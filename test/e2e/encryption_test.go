package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// encFixture is what TestEncryptionAtRest stores: objects that must be encrypted at rest
// and plaintext controls that prove the scan sees stored bytes.
type encFixture struct {
	sealed   []*sealedObject
	controls []*sealedObject // in a bucket without default encryption, no SSE header
	flip     *sealedObject   // encrypted; its blob file gets a flipped byte
	flipBlob string          // that file, relative to <data>/store/blobs
	mpParts  []int           // part boundaries of the multipart object
}

// TestEncryptionAtRest proves SSE-S3 ("Using server-side encryption with Amazon S3 managed
// keys", S3 user guide) really encrypts at rest: plaintext written through S3 (inline-small,
// a blob, a multipart upload; by bucket default and by x-amz-server-side-encryption on the
// request) appears nowhere in the data dir's bytes; everything reads back exactly after a
// restart, Range reads included at every chunk boundary; a flipped byte on disk gives an
// error and never wrong data; another master key gives errors, never plaintext.
func TestEncryptionAtRest(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	srv := startServerEnv(t, data, nil)
	fx := writeEncFixture(t, srv)

	if err := srv.stop(); err != nil {
		t.Fatalf("SIGTERM before the scan: %v", err)
	}
	scanForPlaintext(t, data, fx)

	srv2, err := srv.restart()
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	stopOnCleanup(t, srv2)
	c := pathSDK(t, srv2)
	for _, o := range append(slices.Clone(fx.sealed), fx.flip) {
		checkEncryptedReads(t, c, o, fx.partsOf(o))
	}
	for _, o := range fx.controls {
		if got, out := mustGet(t, c, o.bucket, o.key); !bytes.Equal(got, o.body) || out.ServerSideEncryption != "" {
			t.Errorf("GET control %s after restart: %d bytes, SSE %q; want its %d bytes, no SSE", o.key, len(got), out.ServerSideEncryption, len(o.body))
		}
	}
	if err := srv2.stop(); err != nil {
		t.Fatalf("SIGTERM before flipping a byte: %v", err)
	}

	flipByte(t, filepath.Join(data, "store", "blobs", fx.flipBlob))
	srv3, err := srv.restart()
	if err != nil {
		t.Fatalf("restart after flipping a byte: %v", err)
	}
	stopOnCleanup(t, srv3)
	checkFlipped(t, srv3, fx)
	if err := srv3.stop(); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}

	checkOtherMasterKey(t, data, fx)
}

// partsOf returns the multipart boundaries of o, if it is the multipart object.
func (fx *encFixture) partsOf(o *sealedObject) []int {
	if o.key == "multipart-12m" {
		return fx.mpParts
	}
	return nil
}

// writeEncFixture stores the objects of the test and checks the SSE answers of every write.
func writeEncFixture(t *testing.T, srv *server) *encFixture {
	t.Helper()
	c := pathSDK(t, srv)
	ctx := context.Background()
	enc := mustBucket(t, c, "sse")
	_, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(enc), ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256}}},
	}})
	if err != nil {
		t.Fatalf("PutBucketEncryption AES256: %v", err)
	}
	plain := mustBucket(t, c, "nosse")
	fx := &encFixture{}

	put := func(o *sealedObject, sse types.ServerSideEncryption) {
		t.Helper()
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(o.bucket), Key: aws.String(o.key), Body: bytes.NewReader(o.body), ServerSideEncryption: sse})
		if err != nil {
			t.Fatalf("PutObject %s/%s: %v", o.bucket, o.key, err)
		}
		want := types.ServerSideEncryptionAes256
		if o.bucket == plain && sse == "" {
			want = ""
		}
		if out.ServerSideEncryption != want || aws.ToString(out.ETag) != quotedMD5(o.body) {
			t.Errorf("PutObject %s: x-amz-server-side-encryption %q, ETag %s; want %q and the plaintext's MD5 %s", o.key, out.ServerSideEncryption, aws.ToString(out.ETag), want, quotedMD5(o.body))
		}
	}
	for i, spec := range []struct {
		key  string
		size int
	}{{"inline-1k", 1 << 10}, {"blob-300k", 300 << 10}} {
		o := newSealed(enc, spec.key, spec.size, uint64(100+i))
		put(o, "")
		fx.sealed = append(fx.sealed, o)
	}

	mp := newSealed(enc, "multipart-12m", 12*mib, 110)
	fx.mpParts = []int{5 * mib, 10 * mib}
	id, parts := uploadParts(t, c, enc, mp.key, mp.body[:5*mib], mp.body[5*mib:10*mib], mp.body[10*mib:])
	done, err := complete(c, enc, mp.key, id, parts)
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	if done.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Errorf("CompleteMultipartUpload in a default-encryption bucket: x-amz-server-side-encryption %q, want AES256", done.ServerSideEncryption)
	}
	fx.sealed = append(fx.sealed, mp)

	// x-amz-server-side-encryption on the request, in a bucket without default encryption:
	// with the aws CLI's --sse (a blob) and with the SDK (inline).
	byCLI := newSealed(plain, "sse-explicit-cli", 200<<10, 120)
	src := filepath.Join(t.TempDir(), "sse-explicit.bin")
	if err := os.WriteFile(src, byCLI.body, 0o600); err != nil {
		t.Fatal(err)
	}
	newCLI(t, srv.endpoint(), cliOpts{}).ok(t, "s3", "cp", src, "s3://"+plain+"/"+byCLI.key, "--sse", "AES256")
	bySDK := newSealed(plain, "sse-explicit-sdk", 2<<10, 121)
	put(bySDK, types.ServerSideEncryptionAes256)
	fx.sealed = append(fx.sealed, byCLI, bySDK)

	for i, spec := range []struct {
		key  string
		size int
	}{{"control-1k", 1 << 10}, {"control-300k", 300 << 10}} {
		o := newSealed(plain, spec.key, spec.size, uint64(130+i))
		put(o, "")
		fx.controls = append(fx.controls, o)
	}

	// The object whose blob file gets a flipped byte: its file is the one its PUT adds.
	blobs := filepath.Join(srv.data, "store", "blobs")
	before := listFiles(t, blobs)
	fx.flip = newSealed(enc, "flip-300k", 300<<10, 140)
	put(fx.flip, "")
	var added []string
	for _, f := range listFiles(t, blobs) {
		if !slices.Contains(before, f) {
			added = append(added, f)
		}
	}
	if len(added) != 1 {
		t.Fatalf("the 300 KiB PUT added %q under %s, want exactly one blob file", added, blobs)
	}
	fx.flipBlob = added[0]

	for _, o := range fx.sealed {
		checkSSEHeaders(t, c, o)
	}
	return fx
}

// checkSSEHeaders checks HEAD and GET answer x-amz-server-side-encryption: AES256.
func checkSSEHeaders(t *testing.T, c *sdkClient, o *sealedObject) {
	t.Helper()
	head, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(o.bucket), Key: aws.String(o.key)})
	if err != nil {
		t.Fatalf("HEAD %s: %v", o.key, err)
	}
	if head.ServerSideEncryption != types.ServerSideEncryptionAes256 || aws.ToInt64(head.ContentLength) != int64(len(o.body)) {
		t.Errorf("HEAD %s: x-amz-server-side-encryption %q, Content-Length %d; want AES256 and %d", o.key, head.ServerSideEncryption, aws.ToInt64(head.ContentLength), len(o.body))
	}
	if got, out := mustGet(t, c, o.bucket, o.key); !bytes.Equal(got, o.body) || out.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Errorf("GET %s: %d bytes (equal %v), x-amz-server-side-encryption %q; want its %d bytes and AES256", o.key, len(got), bytes.Equal(got, o.body), out.ServerSideEncryption, len(o.body))
	}
}

// scanForPlaintext reads every byte under the stopped server's data dir: no marker or filler
// run of an encrypted object may appear, and every control's must (else the scan proves
// nothing).
func scanForPlaintext(t *testing.T, data string, fx *encFixture) {
	t.Helper()
	needles := map[string][]byte{}
	for _, o := range append(slices.Clone(fx.sealed), fx.flip) {
		needles[o.key+" marker"] = o.marker
		needles[o.key+" filler"] = o.chunk
	}
	for _, o := range fx.controls {
		needles[o.key+" marker"] = o.marker
		needles[o.key+" filler"] = o.chunk
	}
	found, total := scanDir(t, data, needles)
	if total < 12*mib {
		t.Errorf("the data dir holds %d bytes in all, less than the 12 MiB object alone", total)
	}
	for name, files := range found {
		if !strings.HasPrefix(name, "control-") {
			t.Errorf("plaintext of an SSE-S3 object on disk: %s found in %q", name, files)
		}
	}
	for _, o := range fx.controls {
		if len(found[o.key+" marker"]) == 0 || len(found[o.key+" filler"]) == 0 {
			t.Errorf("control %s (stored without encryption) not found by the scan of %s: the scan cannot see stored bytes", o.key, data)
		}
	}
	t.Logf("scanned %d bytes under %s for %d needles", total, data, len(needles))
}

// checkEncryptedReads reads o whole and by ranges across chunk (and part) boundaries.
func checkEncryptedReads(t *testing.T, c *sdkClient, o *sealedObject, parts []int) {
	t.Helper()
	checkSSEHeaders(t, c, o)
	size := len(o.body)
	for _, r := range rangeCases(size, parts...) {
		rng := fmt.Sprintf("bytes=%d-%d", r[0], r[1])
		out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(o.bucket), Key: aws.String(o.key), Range: aws.String(rng)})
		if err != nil {
			t.Errorf("GET %s Range %s: %v", o.key, rng, err)
			continue
		}
		got := readBody(t, out.Body)
		wantCR := fmt.Sprintf("bytes %d-%d/%d", r[0], r[1], size)
		if !bytes.Equal(got, o.body[r[0]:r[1]+1]) || aws.ToString(out.ContentRange) != wantCR || out.ServerSideEncryption != types.ServerSideEncryptionAes256 {
			t.Errorf("GET %s Range %s: %d bytes (exact %v), Content-Range %q, SSE %q; want bytes %s exactly, AES256",
				o.key, rng, len(got), bytes.Equal(got, o.body[r[0]:r[1]+1]), aws.ToString(out.ContentRange), out.ServerSideEncryption, wantCR)
		}
	}
}

// flipByte inverts one byte in the middle of file.
func flipByte(t *testing.T, file string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkFlipped: the whole object and a range over the flipped byte fail without wrong data; a
// range inside an untouched chunk is exact or fails; the server stays healthy.
func checkFlipped(t *testing.T, srv *server, fx *encFixture) {
	t.Helper()
	o := fx.flip
	whole := rawGet(t, srv, o.bucket, o.key, "")
	t.Logf("GET of the object with a flipped byte: %s", whole)
	checkRefused(t, "GET of the object with a flipped byte", whole, o.body)
	mid := len(o.body) / 2
	lo, hi := mid-2*encChunk, mid+2*encChunk
	checkRefused(t, "GET Range over the flipped byte", rawGet(t, srv, o.bucket, o.key, fmt.Sprintf("bytes=%d-%d", lo, hi)), o.body[lo:hi+1])
	r := rawGet(t, srv, o.bucket, o.key, fmt.Sprintf("bytes=%d-%d", mid, mid+99))
	t.Logf("GET Range starting at the flipped byte: %s", r)
	checkRefused(t, "GET Range starting at the flipped byte", r, o.body[mid:mid+100])
	if r := rawGet(t, srv, o.bucket, o.key, "bytes=0-999"); r.ok() && !bytes.Equal(r.body, o.body[:1000]) {
		t.Errorf("GET Range 0-999, far from the flipped byte: %s, and not the stored bytes", r)
	}

	resp, err := http.Get(srv.endpoint() + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz after the corrupt reads: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz after the corrupt reads: %s", resp.Status)
	}
	other := fx.sealed[1]
	if r := rawGet(t, srv, other.bucket, other.key, ""); !r.ok() || !bytes.Equal(r.body, other.body) {
		t.Errorf("GET %s after the corrupt reads: %s; want its %d bytes", other.key, r, len(other.body))
	}
}

// checkOtherMasterKey starts the server on the same data with another IMGCDN_MASTER_KEY:
// every encrypted object must fail to read, without plaintext, while plain objects still work.
func checkOtherMasterKey(t *testing.T, data string, fx *encFixture) {
	t.Helper()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	srv := startServerEnv(t, data, []string{"IMGCDN_MASTER_KEY=" + base64.StdEncoding.EncodeToString(key)})
	for _, o := range fx.sealed {
		for _, rng := range []string{"", "bytes=0-99"} {
			what := fmt.Sprintf("GET %s (Range %q) under another master key", o.key, rng)
			r := rawGet(t, srv, o.bucket, o.key, rng)
			t.Logf("%s: %s", what, r)
			if bytes.Contains(r.body, o.marker) || bytes.Contains(r.body, o.body[:100]) {
				t.Errorf("%s: the answer holds plaintext", what)
			}
			// The data key fails to unwrap before a byte of the body is due, so the client is
			// owed an S3 error answer (500 InternalError, with a request id to report), not a
			// connection dropped without a status line, which clients retry and then report as
			// a bare network error.
			if r.status/100 != 5 || !bytes.Contains(r.body, []byte("<Error>")) || r.header.Get("X-Amz-Request-Id") == "" {
				t.Errorf("%s: %s; want a 5xx S3 <Error> answer with x-amz-request-id", what, r)
			}
		}
	}
	for _, o := range fx.controls {
		if r := rawGet(t, srv, o.bucket, o.key, ""); !r.ok() || !bytes.Equal(r.body, o.body) {
			t.Errorf("GET control %s under another master key: %s; want its %d bytes (it was never encrypted)", o.key, r, len(o.body))
		}
	}
}
