package e2e

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

const (
	crashWriters   = 16
	crashOwnedKeys = 12 // per writer: written by that writer only, so one write at a time
	crashShared    = 8  // written by every writer concurrently
	crashRounds    = 3
)

// TestCrashConsistency kills imgcdn with SIGKILL in the middle of concurrent PUTs, overwrites
// and multipart uploads, restarts it on the same data dir and checks the store: every listed
// object reads back whole (its embedded SHA-256 matches), its ETag is the one recorded for
// that write, every key holds a write it may hold given what was acknowledged, nothing is
// half-written, and no temporary file survives the restart. Three rounds in one data dir.
func TestCrashConsistency(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("crash test seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, 1))
	pool := randBytes(seed, 8*mib)
	data := filepath.Join(t.TempDir(), "data")

	srv, err := launchServer(pkg.bin, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	current := srv
	defer func() {
		if t.Failed() {
			t.Logf("imgcdn output (tail):\n%s", current.logs())
		}
		_ = current.kill()
	}()
	bucket := mustBucket(t, pathSDK(t, srv), "crash")
	log := newCrashLog()
	state := map[string]string{} // key -> write id it held at the last check ("" absent)

	for round := 1; round <= crashRounds; round++ {
		c := newSDK(t, sdkOpts{endpoint: current.endpoint(), pathStyle: true, noRetry: true})
		var stop atomic.Bool
		var wg sync.WaitGroup
		var seq atomic.Int64
		for w := range crashWriters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, uint64(round*100+w)))
				for !stop.Load() {
					crashWrite(c, bucket, log, pool, r, round, w, int(seq.Add(1)))
				}
			}()
		}
		wait := time.Duration(1000+rnd.IntN(2000)) * time.Millisecond
		time.Sleep(wait)
		if err := current.kill(); err != nil {
			t.Fatalf("SIGKILL: %v", err)
		}
		stop.Store(true)
		wg.Wait()
		log.mu.Lock()
		for _, p := range log.problems {
			t.Errorf("round %d: %s", round, p)
		}
		log.problems = nil
		acked, total := 0, 0
		for _, as := range log.byKey {
			for _, a := range as {
				if a.round == round {
					total++
					if a.acked {
						acked++
					}
				}
			}
		}
		log.mu.Unlock()
		t.Logf("round %d: killed after %v with %d writes started, %d acknowledged", round, wait, total, acked)
		if acked == 0 {
			t.Fatalf("round %d: no write was acknowledged before the kill; the test proves nothing", round)
		}

		next, err := current.restart()
		if err != nil {
			t.Fatalf("round %d: restart after SIGKILL: %v", round, err)
		}
		current = next
		checkNoTempFiles(t, data)
		verifyCrashState(t, newSDK(t, sdkOpts{endpoint: current.endpoint(), pathStyle: true}), bucket, log, round, state)
		if t.Failed() {
			return
		}
	}

	// Remove everything, restart cleanly, and no blob file may remain: nothing a crash left
	// behind was orphaned for good.
	c := newSDK(t, sdkOpts{endpoint: current.endpoint(), pathStyle: true})
	ctx := context.Background()
	for _, k := range listAll(t, c, bucket) {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)}); err != nil {
			t.Fatalf("DeleteObject %q: %v", k, err)
		}
	}
	ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("ListMultipartUploads: %v", err)
	}
	for _, u := range ups.Uploads {
		if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: u.Key, UploadId: u.UploadId}); err != nil {
			t.Errorf("AbortMultipartUpload %q: %v", aws.ToString(u.Key), err)
		}
	}
	if err := current.stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	last, err := current.restart()
	if err != nil {
		t.Fatalf("restart after graceful stop: %v", err)
	}
	current = last
	checkNoTempFiles(t, data)
	if n := countFiles(t, filepath.Join(data, "store", "blobs")); n != 0 {
		t.Errorf("%d blob files remain under store/blobs after every object was deleted and every upload aborted: orphans", n)
	}
	if err := current.stop(); err != nil {
		t.Errorf("graceful stop: %v", err)
	}
}

// crashWrite performs one write: mostly single PUTs of 1 KiB (inline) or 256 KiB-2 MiB (file
// backed) to the writer's own keys or to the shared ones, sometimes a two-part multipart upload.
func crashWrite(c *sdkClient, bucket string, log *crashLog, pool []byte, r *rand.Rand, round, w, seq int) {
	key := fmt.Sprintf("crash/w%02d/k%02d", w, r.IntN(crashOwnedKeys))
	if r.IntN(10) == 0 {
		key = fmt.Sprintf("crash/shared/s%d", r.IntN(crashShared))
	}
	id := fmt.Sprintf("r%d-w%d-s%d", round, w, seq)
	multipart := w < 3 && r.IntN(12) == 0
	size := 1 << 10
	switch {
	case multipart:
		size = 5*mib + 100<<10
	case r.IntN(2) == 0:
		size = 256<<10 + r.IntN(1792<<10)
	}
	body := crashBody(id, key, size, pool, r)
	a := &attempt{id: id, key: key, round: round, etag: quotedMD5(body)}
	if multipart {
		a.etag = multipartETag(body[:5*mib], body[5*mib:])
	}
	log.begin(a)
	var etag string
	var err error
	if multipart {
		etag, err = writeMultipart(c, bucket, key, body)
	} else {
		etag, err = writeOne(c, bucket, key, body)
	}
	log.end(a, etag, err)
}

// verifyCrashState reads back every object after a restart and updates state.
func verifyCrashState(t *testing.T, c *sdkClient, bucket string, log *crashLog, round int, state map[string]string) {
	t.Helper()
	ctx := context.Background()
	listed := map[string]types.Object{}
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("round %d: ListObjectsV2 after restart: %v", round, err)
		}
		for _, o := range page.Contents {
			listed[aws.ToString(o.Key)] = o
		}
	}
	keys := map[string]bool{}
	for k := range listed {
		keys[k] = true
	}
	log.mu.Lock()
	for k := range log.byKey {
		keys[k] = true
	}
	log.mu.Unlock()
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)

	for _, key := range sorted {
		allowed := log.allowed(key, round, state[key])
		o, ok := listed[key]
		if !ok {
			_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			wantAPIError(t, fmt.Sprintf("round %d: HEAD %q, absent from the listing", round, key), err, "NotFound", 404)
			if !allowed[""] {
				t.Errorf("round %d: %q is gone, but it must hold one of %v", round, key, keys2(allowed))
			}
			state[key] = ""
			continue
		}
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			t.Errorf("round %d: GET listed %q: %v", round, key, err)
			continue
		}
		body, err := io.ReadAll(out.Body)
		out.Body.Close()
		if err != nil {
			t.Errorf("round %d: GET %q: reading: %v", round, key, err)
			continue
		}
		id, bodyKey, err := parseCrashBody(body)
		if err != nil {
			t.Errorf("round %d: %q (%d bytes, listed %d) is not a whole body: %v", round, key, len(body), aws.ToInt64(o.Size), err)
			continue
		}
		a := log.byID[id]
		if bodyKey != key || a == nil {
			t.Errorf("round %d: %q holds write %s for key %q", round, key, id, bodyKey)
			continue
		}
		if int64(len(body)) != aws.ToInt64(o.Size) || aws.ToString(o.ETag) != a.etag || aws.ToString(out.ETag) != a.etag {
			t.Errorf("round %d: %q (write %s): %d bytes, listed Size %d ETag %s, GET ETag %s; want ETag %s", round, key, id, len(body), aws.ToInt64(o.Size), aws.ToString(o.ETag), aws.ToString(out.ETag), a.etag)
		}
		if !allowed[id] {
			t.Errorf("round %d: %q holds write %s (acked %v), want one of %v", round, key, id, a.acked, keys2(allowed))
		}
		state[key] = id
	}
}

func keys2(m map[string]bool) []string {
	var s []string
	for k := range m {
		if k == "" {
			k = "<absent>"
		}
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// checkNoTempFiles: the disk store receives bodies in <data>/store/tmp and wipes it on start
// (internal/objstore/disk: cleanOrphans).
func checkNoTempFiles(t *testing.T, data string) {
	t.Helper()
	tmp := filepath.Join(data, "store", "tmp")
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Errorf("reading the store's tmp dir: %v", err)
		return
	}
	for _, e := range entries {
		t.Errorf("leftover temporary file after restart: %s", filepath.Join(tmp, e.Name()))
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Errorf("walking %s: %v", dir, err)
	}
	return n
}
