package storetest

import (
	"bytes"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing/iotest"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

var errClientGone = errors.New("storetest: client went away")

// testFailedWrites: a write that fails for any reason commits nothing, and the previous
// object stays whole; a failed first write leaves no key.
func testFailedWrites(e *env) {
	b := e.bucket("bkt")
	for _, n := range []int{10, 100 << 10, 600 << 10} {
		prev := payload(1, 20<<10)
		e.put(b, "k", prev)
		body := payload(2, n)
		good := md5.Sum(body)
		bad := md5.Sum(append(body, 0))
		for _, tc := range []struct {
			name string
			in   func() objstore.PutInput
			want error
		}{
			{"bad Content-MD5", func() objstore.PutInput {
				return objstore.PutInput{Body: bytes.NewReader(body), Size: int64(n), ContentMD5: bad[:]}
			}, objstore.ErrBadDigest},
			{"short body", func() objstore.PutInput {
				return objstore.PutInput{Body: bytes.NewReader(body), Size: int64(n) + 1, ContentMD5: good[:]}
			}, objstore.ErrIncompleteBody},
			{"long body", func() objstore.PutInput {
				return objstore.PutInput{Body: bytes.NewReader(body), Size: int64(n) - 1}
			}, objstore.ErrEntityTooLarge},
			{"reader error at the end", func() objstore.PutInput {
				return objstore.PutInput{Body: io.MultiReader(bytes.NewReader(body), iotest.ErrReader(errClientGone)), Size: int64(n)}
			}, errClientGone},
			{"reader error midway", func() objstore.PutInput {
				return objstore.PutInput{Body: io.MultiReader(bytes.NewReader(body[:n/2]), iotest.ErrReader(errClientGone)), Size: -1}
			}, errClientGone},
			{"over the single PUT limit", func() objstore.PutInput {
				return objstore.PutInput{Body: bytes.NewReader(body), Size: objstore.MaxPartSize + 1}
			}, objstore.ErrEntityTooLarge},
		} {
			for _, key := range []string{"k", "fresh"} {
				in := tc.in()
				in.Bucket, in.Key = b, key
				_, err := e.s.PutObject(e.ctx, in)
				e.wantErr(fmt.Sprintf("%d bytes, %s, key %s", n, tc.name, key), err, tc.want)
			}
			e.wantBody(b, "k", prev)
			_, err := e.s.HeadObject(e.ctx, b, "fresh", "")
			e.wantErr("HeadObject of a key whose only write failed", err, objstore.ErrNoSuchKey)
		}
		// The right digest and size go through.
		_, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: "k", Body: bytes.NewReader(body), Size: int64(n), ContentMD5: good[:]})
		if err != nil {
			e.t.Fatalf("PutObject with a correct Content-MD5: %v", err)
		}
		e.wantBody(b, "k", body)
	}
	if keys := e.keysOf(b); !slices.Equal(keys, []string{"k"}) {
		e.t.Fatalf("failed writes left keys: %v", keys)
	}
}

func (e *env) putCond(b, key string, body []byte, cond objstore.WriteConditions) (objstore.ObjectInfo, error) {
	return e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: key, Body: bytes.NewReader(body), Size: int64(len(body)), Cond: cond})
}

func testConditionalWrites(e *env) {
	b := e.bucket("bkt")
	first, second := []byte("first"), payload(3, 90<<10)
	if _, err := e.putCond(b, "k", first, objstore.WriteConditions{IfNoneMatch: "*"}); err != nil {
		e.t.Fatalf("If-None-Match * on a new key: %v", err)
	}
	_, err := e.putCond(b, "k", second, objstore.WriteConditions{IfNoneMatch: "*"})
	e.wantErr("If-None-Match * on an existing key", err, objstore.ErrPreconditionFailed)
	e.wantBody(b, "k", first)

	_, err = e.putCond(b, "k", second, objstore.WriteConditions{IfMatch: md5hex(second)})
	e.wantErr("If-Match with another ETag", err, objstore.ErrPreconditionFailed)
	e.wantBody(b, "k", first)
	if _, err := e.putCond(b, "k", second, objstore.WriteConditions{IfMatch: `"` + md5hex(first) + `"`}); err != nil {
		e.t.Fatalf("If-Match with the current (quoted) ETag: %v", err)
	}
	e.wantBody(b, "k", second)
	if _, err := e.putCond(b, "k", first, objstore.WriteConditions{IfMatch: md5hex(second)}); err != nil {
		e.t.Fatalf("If-Match with the current ETag: %v", err)
	}
	_, err = e.putCond(b, "absent", first, objstore.WriteConditions{IfMatch: md5hex(first)})
	e.wantErr("If-Match on an absent key", err, objstore.ErrNoSuchKey)
	_, err = e.s.HeadObject(e.ctx, b, "absent", "")
	e.wantErr("HeadObject after a failed If-Match", err, objstore.ErrNoSuchKey)
	// A deleted key can be created again with If-None-Match.
	if _, err := e.s.DeleteObject(e.ctx, b, "k", ""); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.putCond(b, "k", second, objstore.WriteConditions{IfNoneMatch: "*"}); err != nil {
		e.t.Fatalf("If-None-Match * after delete: %v", err)
	}
}

// race runs n writers at once and returns their errors; writer i puts body(i).
func (e *env) race(n int, key string, cond objstore.WriteConditions, body func(i int) []byte) []error {
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := 0; i < n; i++ {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			_, errs[i] = e.putCond("bkt", key, body(i), cond)
		}()
	}
	start.Done()
	done.Wait()
	return errs
}

// winners checks that every error is a precondition failure and returns who succeeded.
func (e *env) winners(errs []error) []int {
	e.t.Helper()
	var won []int
	for i, err := range errs {
		switch {
		case err == nil:
			won = append(won, i)
		case errors.Is(err, objstore.ErrPreconditionFailed), errors.Is(err, objstore.ErrConditionalConflict):
		default:
			e.t.Fatalf("writer %d: %v", i, err)
		}
	}
	return won
}

func testConcurrentIfNoneMatch(e *env) {
	e.bucket("bkt")
	body := func(i int) []byte { return payload(uint64(i), 1000+i*37<<10) }
	for round := 0; round < 5; round++ {
		key := fmt.Sprint("lock", round)
		won := e.winners(e.race(12, key, objstore.WriteConditions{IfNoneMatch: "*"}, body))
		if len(won) != 1 {
			e.t.Fatalf("round %d: %d writers won If-None-Match: *, want exactly 1", round, len(won))
		}
		e.wantBody("bkt", key, body(won[0]))
	}
}

func testConcurrentIfMatch(e *env) {
	e.bucket("bkt")
	base := e.put("bkt", "cas", []byte("v0"))
	body := func(i int) []byte { return payload(uint64(i), 100+i*31<<10) }
	won := e.winners(e.race(12, "cas", objstore.WriteConditions{IfMatch: base.ETag}, body))
	if len(won) != 1 {
		e.t.Fatalf("%d writers won If-Match on the same ETag, want exactly 1", len(won))
	}
	e.wantBody("bkt", "cas", body(won[0]))
}

// testConcurrentPuts overwrites one key from many writers while readers read it: every
// read, and the final state, is exactly one writer's whole body.
func testConcurrentPuts(e *env) {
	e.bucket("bkt")
	const writers, rounds = 8, 4
	bodies := map[string]bool{}
	body := func(i int) []byte { return payload(uint64(i), []int{700, 40 << 10, 300 << 10}[i%3]+i) }
	for i := 0; i < writers*rounds; i++ {
		bodies[md5hex(body(i))] = true
	}
	e.put("bkt", "hot", body(0))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := 0; r < 2; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				e.checkWhole("hot", bodies)
			}
		}()
	}
	for round := 0; round < rounds; round++ {
		for _, err := range e.race(writers, "hot", objstore.WriteConditions{}, func(i int) []byte { return body(round*writers + i) }) {
			if err != nil {
				e.t.Fatalf("concurrent PutObject: %v", err)
			}
		}
	}
	close(stop)
	wg.Wait()
	e.checkWhole("hot", bodies)
}

// checkWhole reads key and reports an error unless it is one of the candidate bodies and
// matches its own ETag. It is safe to call from several goroutines.
func (e *env) checkWhole(key string, candidates map[string]bool) {
	o, err := e.s.OpenObject(e.ctx, "bkt", key, "")
	if err != nil {
		e.t.Errorf("OpenObject during overwrites: %v", err)
		return
	}
	defer o.Close()
	rc, err := o.NewReader(0, -1)
	if err != nil {
		e.t.Errorf("NewReader: %v", err)
		return
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil {
		e.t.Errorf("reading during overwrites: %v", err)
		return
	}
	if sum := md5hex(got); sum != o.Info().ETag || !candidates[sum] {
		e.t.Errorf("read %d bytes with md5 %s, Info ETag %s: not one writer's whole body", len(got), sum, o.Info().ETag)
	}
}
