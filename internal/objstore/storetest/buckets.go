package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

func testBucketLifecycle(e *env) {
	t, s, ctx := e.t, e.s, e.ctx
	before := time.Now().Add(-time.Second)
	for _, b := range []objstore.Bucket{{Name: "zeta"}, {Name: "alpha", Region: "eu-west-1"}, {Name: "mid.dle-1"}} {
		if err := s.CreateBucket(ctx, b); err != nil {
			t.Fatalf("CreateBucket(%q): %v", b.Name, err)
		}
	}
	e.wantErr("CreateBucket twice", s.CreateBucket(ctx, objstore.Bucket{Name: "alpha"}), objstore.ErrBucketExists)

	b, err := s.GetBucket(ctx, "zeta")
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "zeta" || b.Region != objstore.DefaultRegion || b.Created.Before(before) || b.Created.After(time.Now().Add(time.Second)) {
		t.Fatalf("GetBucket(zeta) = %+v, want region %s and a creation time of now", b, objstore.DefaultRegion)
	}
	if b, _ := s.GetBucket(ctx, "alpha"); b.Region != "eu-west-1" {
		t.Fatalf("GetBucket(alpha).Region = %q, want eu-west-1", b.Region)
	}

	list, err := s.ListBuckets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list {
		names = append(names, b.Name)
	}
	if want := []string{"alpha", "mid.dle-1", "zeta"}; !slices.Equal(names, want) {
		t.Fatalf("ListBuckets = %v, want %v", names, want)
	}

	// Not empty while an object or an upload remains.
	e.put("zeta", "k", []byte("v"))
	e.wantErr("DeleteBucket with an object", s.DeleteBucket(ctx, "zeta"), objstore.ErrBucketNotEmpty)
	if _, err := s.DeleteObject(ctx, "zeta", "k", ""); err != nil {
		t.Fatal(err)
	}
	up, err := s.CreateMultipartUpload(ctx, objstore.UploadInfo{Bucket: "zeta", Key: "m"})
	if err != nil {
		t.Fatal(err)
	}
	e.wantErr("DeleteBucket with an upload", s.DeleteBucket(ctx, "zeta"), objstore.ErrBucketNotEmpty)
	if err := s.AbortMultipartUpload(ctx, "zeta", "m", up.UploadID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBucket(ctx, "zeta"); err != nil {
		t.Fatalf("DeleteBucket of an emptied bucket: %v", err)
	}
	e.wantErr("DeleteBucket twice", s.DeleteBucket(ctx, "zeta"), objstore.ErrNoSuchBucket)
	_, err = s.GetBucket(ctx, "zeta")
	e.wantErr("GetBucket after delete", err, objstore.ErrNoSuchBucket)
	if list, _ := s.ListBuckets(ctx); len(list) != 2 {
		t.Fatalf("ListBuckets after delete = %v", list)
	}
	// The name is free again, and the new bucket starts empty.
	e.bucket("zeta")
	if keys := e.keysOf("zeta"); len(keys) != 0 {
		t.Fatalf("recreated bucket lists %v", keys)
	}
}

func testBucketNames(e *env) {
	bad := []string{"", "ab", "A-bucket", "a_b", "a..b", "-ab", "ab-", ".ab", "192.168.1.1", "a/b", "xn--ab",
		"ab-s3alias", string(bytes.Repeat([]byte("a"), 64)), "ab\x00c", "bücket"}
	for _, name := range bad {
		e.wantErr(fmt.Sprintf("CreateBucket(%q)", name), e.s.CreateBucket(e.ctx, objstore.Bucket{Name: name}), objstore.ErrInvalidBucketName)
	}
	for _, name := range []string{"abc", "a.b.c", "a-b", "123", string(bytes.Repeat([]byte("a"), 63))} {
		e.bucket(name)
	}
}

func testMissingBucket(e *env) {
	s, ctx, no := e.s, e.ctx, objstore.ErrNoSuchBucket
	_, err := s.PutObject(ctx, objstore.PutInput{Bucket: "nope", Key: "k", Body: bytes.NewReader(nil)})
	e.wantErr("PutObject", err, no)
	_, err = s.HeadObject(ctx, "nope", "k", "")
	e.wantErr("HeadObject", err, no)
	_, err = s.OpenObject(ctx, "nope", "k", "")
	e.wantErr("OpenObject", err, no)
	_, err = s.DeleteObject(ctx, "nope", "k", "")
	e.wantErr("DeleteObject", err, no)
	_, err = s.ListObjects(ctx, "nope", objstore.ListInput{MaxKeys: 10})
	e.wantErr("ListObjects", err, no)
	_, err = s.CreateMultipartUpload(ctx, objstore.UploadInfo{Bucket: "nope", Key: "k"})
	e.wantErr("CreateMultipartUpload", err, no)
	_, err = s.ListMultipartUploads(ctx, "nope", objstore.ListUploadsInput{MaxUploads: 10})
	e.wantErr("ListMultipartUploads", err, no)
}

// testDeleteBucketRacesPuts races DeleteBucket against puts into the bucket. Linearizability
// leaves two outcomes: the delete wins (the bucket was empty, so every put fails) or a put
// wins (the delete fails with BucketNotEmpty). A store whose emptiness check is not atomic
// with the delete lets both succeed, losing an acknowledged object.
func testDeleteBucketRacesPuts(e *env) {
	outcomes := map[string]int{}
	for round := 0; round < 40; round++ {
		e.bucket("race")
		var (
			start, wg sync.WaitGroup
			acked     atomic.Int32
			delErr    error
		)
		start.Add(1)
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start.Wait()
				key := fmt.Sprint("w", w)
				_, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: "race", Key: key, Body: bytes.NewReader([]byte(key)), Size: int64(len(key))})
				if err == nil {
					acked.Add(1)
				} else if !errors.Is(err, objstore.ErrNoSuchBucket) {
					e.t.Errorf("PutObject: %v", err)
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			start.Wait()
			for i := 0; i < round%8; i++ { // vary where the delete lands among the puts
				runtime.Gosched()
			}
			delErr = e.s.DeleteBucket(e.ctx, "race")
		}()
		start.Done()
		wg.Wait()
		switch {
		case delErr == nil && acked.Load() > 0:
			e.t.Fatalf("round %d: DeleteBucket succeeded and %d puts were acknowledged", round, acked.Load())
		case delErr == nil:
			outcomes["delete won"]++
			if _, err := e.s.GetBucket(e.ctx, "race"); !errors.Is(err, objstore.ErrNoSuchBucket) {
				e.t.Fatalf("round %d: GetBucket after a successful delete: %v", round, err)
			}
			e.bucket("race") // a recreated bucket starts empty
			if keys := e.keysOf("race"); len(keys) != 0 {
				e.t.Fatalf("round %d: the recreated bucket lists %v", round, keys)
			}
		case errors.Is(delErr, objstore.ErrBucketNotEmpty):
			outcomes["puts won"]++
			if keys := e.keysOf("race"); len(keys) != int(acked.Load()) {
				e.t.Fatalf("round %d: listed %v, %d puts acknowledged", round, keys, acked.Load())
			}
			for _, k := range e.keysOf("race") {
				if _, err := e.s.DeleteObject(e.ctx, "race", k, ""); err != nil {
					e.t.Fatal(err)
				}
			}
		default:
			e.t.Fatalf("round %d: DeleteBucket: %v", round, delErr)
		}
		if err := e.s.DeleteBucket(e.ctx, "race"); err != nil {
			e.t.Fatal(err)
		}
	}
	e.t.Logf("outcomes: %v", outcomes)
}
