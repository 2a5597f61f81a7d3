package storetest

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// env bundles the store under test with helpers that fail the test on unexpected errors.
type env struct {
	t    *testing.T
	s    objstore.Store
	ctx  context.Context
	opts Options
}

func newEnv(t *testing.T, opts Options, s objstore.Store) *env {
	return &env{t: t, s: s, ctx: context.Background(), opts: opts}
}

// payload returns n deterministic pseudo-random bytes; different seeds give different bytes.
func payload(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func md5hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

func (e *env) bucket(name string) string {
	e.t.Helper()
	if err := e.s.CreateBucket(e.ctx, objstore.Bucket{Name: name}); err != nil {
		e.t.Fatalf("CreateBucket(%q): %v", name, err)
	}
	return name
}

func (e *env) put(bucket, key string, body []byte) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: bucket, Key: key, Body: bytes.NewReader(body), Size: int64(len(body))})
	if err != nil {
		e.t.Fatalf("PutObject(%q, %q, %d bytes): %v", bucket, key, len(body), err)
	}
	if info.ETag != md5hex(body) || info.Size != int64(len(body)) {
		e.t.Fatalf("PutObject(%q) = ETag %q size %d, want %q %d", key, info.ETag, info.Size, md5hex(body), len(body))
	}
	return info
}

// putAll puts every key, with its own name as the body, from several goroutines (stores
// that group-commit syncs fill a bucket much faster that way).
func (e *env) putAll(bucket string, keys []string) {
	e.t.Helper()
	work := make(chan string)
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		go func() {
			var first error
			for k := range work {
				_, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: bucket, Key: k, Body: strings.NewReader(k), Size: int64(len(k))})
				if err != nil && first == nil {
					first = fmt.Errorf("PutObject(%q): %w", k, err)
				}
			}
			errs <- first
		}()
	}
	for _, k := range keys {
		work <- k
	}
	close(work)
	for w := 0; w < 8; w++ {
		if err := <-errs; err != nil {
			e.t.Fatal(err)
		}
	}
}

// read returns the whole body of the current object, checking it against its Info.
func (e *env) read(bucket, key string) []byte {
	e.t.Helper()
	o, err := e.s.OpenObject(e.ctx, bucket, key, "")
	if err != nil {
		e.t.Fatalf("OpenObject(%q, %q): %v", bucket, key, err)
	}
	defer o.Close()
	got := e.readRange(o, 0, -1)
	if info := o.Info(); int64(len(got)) != info.Size {
		e.t.Fatalf("%q: read %d bytes, Info says %d", key, len(got), info.Size)
	}
	return got
}

// readRange reads with NewReader; it reads through io.Copy (the io.WriterTo path) and
// through plain Reads, and both must agree.
func (e *env) readRange(o objstore.Object, off, n int64) []byte {
	e.t.Helper()
	var viaCopy bytes.Buffer
	for pass := 0; pass < 2; pass++ {
		rc, err := o.NewReader(off, n)
		if err != nil {
			e.t.Fatalf("NewReader(%d, %d): %v", off, n, err)
		}
		var got []byte
		if pass == 0 {
			_, err = io.Copy(&viaCopy, rc)
			got = viaCopy.Bytes()
		} else {
			got, err = io.ReadAll(onlyReader{rc})
			if err == nil && !bytes.Equal(got, viaCopy.Bytes()) {
				e.t.Fatalf("NewReader(%d, %d): Read and WriteTo disagree (%d vs %d bytes)", off, n, len(got), viaCopy.Len())
			}
		}
		if err != nil {
			e.t.Fatalf("reading [%d, +%d): %v", off, n, err)
		}
		if err := rc.Close(); err != nil {
			e.t.Fatalf("closing reader: %v", err)
		}
	}
	return viaCopy.Bytes()
}

// onlyReader hides every method but Read, so that io.ReadAll exercises Read.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func (e *env) head(bucket, key string) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.s.HeadObject(e.ctx, bucket, key, "")
	if err != nil {
		e.t.Fatalf("HeadObject(%q, %q): %v", bucket, key, err)
	}
	return info
}

// wantErr fails unless err matches target.
func (e *env) wantErr(what string, err, target error) {
	e.t.Helper()
	if !errors.Is(err, target) {
		e.t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

// wantBody fails unless the current object is exactly body.
func (e *env) wantBody(bucket, key string, body []byte) {
	e.t.Helper()
	if got := e.read(bucket, key); !bytes.Equal(got, body) {
		e.t.Fatalf("%q: body is %d bytes (md5 %s), want %d bytes (md5 %s)", key, len(got), md5hex(got), len(body), md5hex(body))
	}
	if info := e.head(bucket, key); info.ETag != md5hex(body) && info.PartsCount == 0 {
		e.t.Fatalf("%q: ETag %q, want %q", key, info.ETag, md5hex(body))
	}
}

// keysOf lists every key of a bucket, paging with MaxKeys 1000.
func (e *env) keysOf(bucket string) []string {
	e.t.Helper()
	var keys []string
	in := objstore.ListInput{MaxKeys: objstore.MaxListKeys}
	for {
		res, err := e.s.ListObjects(e.ctx, bucket, in)
		if err != nil {
			e.t.Fatalf("ListObjects(%q): %v", bucket, err)
		}
		for _, o := range res.Objects {
			keys = append(keys, o.Key)
		}
		if !res.IsTruncated {
			return keys
		}
		in.After = res.Next
	}
}
