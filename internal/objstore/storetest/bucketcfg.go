package storetest

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// testBucketConfigs: per-bucket documents are opaque bytes, kept per bucket and name,
// copied on write, and removed with the bucket.
func testBucketConfigs(e *env) {
	a, b := e.bucket("aaa"), e.bucket("bbb")
	get := func(bucket, name string) ([]byte, error) { return e.s.GetBucketConfig(e.ctx, bucket, name) }
	put := func(bucket, name string, v []byte) {
		e.t.Helper()
		if err := e.s.PutBucketConfig(e.ctx, bucket, name, v); err != nil {
			e.t.Fatalf("PutBucketConfig(%q, %q): %v", bucket, name, err)
		}
	}
	want := func(bucket, name string, v []byte) {
		e.t.Helper()
		got, err := get(bucket, name)
		if err != nil || !bytes.Equal(got, v) || got == nil {
			e.t.Fatalf("GetBucketConfig(%q, %q) = %q, %v; want %q", bucket, name, got, err, v)
		}
	}
	_, err := get(a, "policy")
	e.wantErr("GetBucketConfig of an unset name", err, objstore.ErrNoSuchBucketConfig)

	policy := []byte(`{"Version":"2012-10-17","Statement":[]}`)
	put(a, "policy", policy)
	put(a, "public-access-block", []byte{0, 1, 0xff})
	put(a, "acl", []byte{}) // empty is a value, not "unset"
	want(a, "policy", policy)
	want(a, "public-access-block", []byte{0, 1, 0xff})
	want(a, "acl", []byte{})
	_, err = get(b, "policy")
	e.wantErr("GetBucketConfig of another bucket", err, objstore.ErrNoSuchBucketConfig)

	// The store keeps its own copy.
	v := []byte("version 1")
	put(b, "encryption", v)
	copy(v, "VERSION 2")
	want(b, "encryption", []byte("version 1"))
	put(b, "encryption", []byte("version 3"))
	want(b, "encryption", []byte("version 3"))

	if err := e.s.DeleteBucketConfig(e.ctx, a, "policy"); err != nil {
		e.t.Fatal(err)
	}
	_, err = get(a, "policy")
	e.wantErr("GetBucketConfig after delete", err, objstore.ErrNoSuchBucketConfig)
	want(a, "public-access-block", []byte{0, 1, 0xff})
	if err := e.s.DeleteBucketConfig(e.ctx, a, "policy"); err != nil {
		e.t.Fatalf("deleting an unset config: %v", err)
	}

	for _, tc := range []struct {
		name string
		size int
	}{{"", 1}, {"Policy", 1}, {"a/b", 1}, {strings.Repeat("p", objstore.MaxBucketConfigName+1), 1}, {"policy", objstore.MaxBucketConfigSize + 1}} {
		err := e.s.PutBucketConfig(e.ctx, a, tc.name, make([]byte, tc.size))
		e.wantErr(fmt.Sprintf("PutBucketConfig(%q, %d bytes)", tc.name, tc.size), err, objstore.ErrInvalidBucketConfig)
	}
	put(a, "lifecycle", bytes.Repeat([]byte("x"), objstore.MaxBucketConfigSize))
	e.wantErr("PutBucketConfig of a missing bucket", e.s.PutBucketConfig(e.ctx, "nope", "policy", policy), objstore.ErrNoSuchBucket)
	_, err = get("nope", "policy")
	e.wantErr("GetBucketConfig of a missing bucket", err, objstore.ErrNoSuchBucket)
	e.wantErr("DeleteBucketConfig of a missing bucket", e.s.DeleteBucketConfig(e.ctx, "nope", "policy"), objstore.ErrNoSuchBucket)

	// Settings go with the bucket; configs do not make it non-empty.
	if err := e.s.DeleteBucket(e.ctx, a); err != nil {
		e.t.Fatalf("DeleteBucket with configs: %v", err)
	}
	e.bucket(a)
	for _, name := range []string{"public-access-block", "acl", "lifecycle"} {
		_, err = get(a, name)
		e.wantErr("GetBucketConfig in a recreated bucket", err, objstore.ErrNoSuchBucketConfig)
	}
	want(b, "encryption", []byte("version 3"))
}

// testBucketConfigsConcurrent reads configs while they and the bucket's versioning change:
// every read sees one whole written value.
func testBucketConfigsConcurrent(e *env) {
	b := e.bucket("bkt")
	values := map[string]bool{}
	for i := 0; i < 20; i++ {
		values[fmt.Sprint("value-", i, strings.Repeat("!", i*100))] = true
	}
	if err := e.s.PutBucketConfig(e.ctx, b, "policy", []byte("value-0")); err != nil {
		e.t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				v, err := e.s.GetBucketConfig(e.ctx, b, "policy")
				if err != nil || !values[string(v)] {
					e.t.Errorf("GetBucketConfig during writes = %q, %v", v, err)
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		if err := e.s.PutBucketConfig(e.ctx, b, "policy", []byte(fmt.Sprint("value-", i, strings.Repeat("!", i*100)))); err != nil {
			e.t.Fatal(err)
		}
		if err := e.s.PutBucketConfig(e.ctx, b, fmt.Sprint("other-", i), []byte("x")); err != nil {
			e.t.Fatal(err)
		}
		e.setVersioning(b, []objstore.VersioningState{objstore.VersioningEnabled, objstore.VersioningSuspended}[i%2])
	}
	close(stop)
	wg.Wait()
}
