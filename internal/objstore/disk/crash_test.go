package disk

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// The crash test runs this test binary as a child that writes without pause and prints an
// "ack" line after every acknowledged write; the parent SIGKILLs it mid-flight, reopens the
// store and checks that every object is whole and that no acknowledged write was lost.
const crashChildEnv = "IMGCDN_DISK_CRASH_CHILD"

const (
	crashWriters = 6 // into the unversioned bucket "crash", writers 0..5
	crashSlots   = 5 // keys per writer
	// Writers 6..8 write into the versioning-enabled bucket "crashv"; see
	// crash_versions_test.go.
	crashVersionedWriters = 3
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(crashChildEnv); spec != "" {
		crashChild(spec)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashBody is the body of version v written by writer w: single PUTs of varied sizes
// (inline and blob), and every fourth write a two-part multipart upload.
func crashBody(w, v int) (parts [][]byte) {
	seed := uint64(w)<<32 | uint64(v)
	if v%4 == 3 {
		return [][]byte{payload(seed, 1<<10+v%100), payload(seed+1, 3+v%50)}
	}
	size := []int{100, 40 << 10, 70 << 10, 300 << 10}[(v+w)%4]
	return [][]byte{payload(seed, size+v%1000)}
}

func crashKey(w, v int) string { return fmt.Sprintf("w%d/k%d", w, v%crashSlots) }

// crashChild writes forever; spec is "<dir> <first version>".
func crashChild(spec string) {
	var dir string
	var first int
	if _, err := fmt.Sscan(spec, &dir, &first); err != nil {
		panic(err)
	}
	cfg := NewDefaultConfig()
	cfg.Dir = dir
	cfg.MinPartSize = 1 << 10
	s, err := Open(cfg)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	for _, b := range []string{"crash", "crashv"} {
		if err := s.CreateBucket(ctx, objstore.Bucket{Name: b}); err != nil && !errors.Is(err, objstore.ErrBucketExists) {
			panic(err)
		}
	}
	if err := s.SetBucketVersioning(ctx, "crashv", objstore.VersioningEnabled); err != nil {
		panic(err)
	}
	// Each writer prints its own ack, into the pipe, before it starts its next write: a write
	// the parent has no ack for is then the one in flight. (Acks through a channel to one
	// printer let a writer run two writes ahead of what reached the pipe, which the parent
	// could not tell from a lost write.)
	var mu sync.Mutex
	ack := func(line string) {
		mu.Lock()
		defer mu.Unlock()
		os.Stdout.WriteString(line)
	}
	for w := 0; w < crashWriters; w++ {
		go func() {
			for v := first; ; v++ {
				if _, err := crashWrite(ctx, s, "crash", w, v); err != nil {
					panic(err)
				}
				ack(fmt.Sprintf("ack %d %d\n", w, v))
			}
		}()
	}
	for w := crashWriters; w < crashWriters+crashVersionedWriters; w++ {
		go func() {
			for v := first; ; v++ {
				info, err := crashVersionedWrite(ctx, s, w, v)
				if err != nil {
					panic(err)
				}
				ack(fmt.Sprintf("ackv %d %d %s %v\n", w, v, info.VersionID, info.DeleteMarker))
			}
		}()
	}
	select {} // the parent kills this process
}

func crashWrite(ctx context.Context, s *Store, bucket string, w, v int) (objstore.ObjectInfo, error) {
	key, parts := crashKey(w, v), crashBody(w, v)
	meta := objstore.Metadata{User: map[string]string{"v": strconv.Itoa(v)}}
	if len(parts) == 1 {
		return s.PutObject(ctx, objstore.PutInput{Bucket: bucket, Key: key, Meta: meta, Body: bytes.NewReader(parts[0]), Size: int64(len(parts[0]))})
	}
	u, err := s.CreateMultipartUpload(ctx, objstore.UploadInfo{Bucket: bucket, Key: key, Meta: meta})
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	var cps []objstore.CompletePart
	for i, p := range parts {
		pi, err := s.UploadPart(ctx, objstore.UploadPartInput{Bucket: bucket, Key: key, UploadID: u.UploadID, PartNumber: i + 1, Body: bytes.NewReader(p), Size: int64(len(p))})
		if err != nil {
			return objstore.ObjectInfo{}, err
		}
		cps = append(cps, objstore.CompletePart{PartNumber: pi.PartNumber, ETag: pi.ETag})
	}
	return s.CompleteMultipartUpload(ctx, bucket, key, u.UploadID, cps, objstore.WriteConditions{})
}

func TestCrashMidWrite(t *testing.T) {
	dir := t.TempDir()
	known := map[string]int{} // key -> version verified after the previous crash
	versions := newVersionedCrash()
	for cycle := 0; cycle < 3; cycle++ {
		first := cycle * 1_000_000
		acked := runAndKill(t, dir, first, 250, versions)
		// Versions each key may hold: its last acknowledged one (or what it held before this
		// cycle), or the one its writer had in flight when killed. absent marks keys that
		// may not exist at all.
		allowed := map[string]map[int]bool{}
		for k, v := range known {
			allowed[k] = map[int]bool{v: true}
		}
		for w := 0; w < crashWriters; w++ {
			next := first
			for v := first; acked[w][v]; v++ {
				allowed[crashKey(w, v)] = map[int]bool{v: true}
				next = v + 1
			}
			k := crashKey(w, next)
			if allowed[k] == nil {
				allowed[k] = map[int]bool{absent: true}
			}
			allowed[k][next] = true
		}
		s := openTest(t, dir, nil)
		checkNoLeaks(t, s)
		known = verifyCrashState(t, s, allowed)
		versions.verify(t, s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// runAndKill starts the child, SIGKILLs it after n acknowledgements and returns every
// acknowledged version per writer of the unversioned bucket; acknowledgements from the
// versioned bucket go to versions.
func runAndKill(t *testing.T, dir string, first, n int, versions *versionedCrash) map[int]map[int]bool {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d", crashChildEnv, dir, first))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[int]map[int]bool{}
	sc := bufio.NewScanner(out)
	for count := 0; sc.Scan(); count++ {
		if count == n {
			cmd.Process.Kill() // SIGKILL; keep reading what the child wrote before dying
		}
		var w, v int
		if strings.HasPrefix(sc.Text(), "ackv ") {
			var id string
			var marker bool
			if _, err := fmt.Sscanf(sc.Text(), "ackv %d %d %s %t", &w, &v, &id, &marker); err != nil {
				t.Fatalf("child said %q", sc.Text())
			}
			versions.acked[id] = crashVersion{w: w, v: v, marker: marker}
			continue
		}
		if _, err := fmt.Sscanf(sc.Text(), "ack %d %d", &w, &v); err != nil {
			t.Fatalf("child said %q", sc.Text())
		}
		if acked[w] == nil {
			acked[w] = map[int]bool{}
		}
		acked[w][v] = true
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the child exited by itself")
	}
	return acked
}

// verifyCrashState checks every listed object against its allowed versions and its body
// against the version's content and ETag, and that every key with an acknowledged write is
// present. It returns the version each key holds.
func verifyCrashState(t *testing.T, s *Store, allowed map[string]map[int]bool) map[string]int {
	ctx := context.Background()
	res, err := s.ListObjects(ctx, "crash", objstore.ListInput{MaxKeys: 1000})
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]int{}
	for _, o := range res.Objects {
		info, err := s.HeadObject(ctx, "crash", o.Key, "")
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.Atoi(info.Meta.User["v"])
		if err != nil || !allowed[o.Key][v] {
			t.Fatalf("%s holds version %q, allowed %v", o.Key, info.Meta.User["v"], allowed[o.Key])
		}
		var w int
		fmt.Sscanf(o.Key, "w%d/", &w)
		parts := crashBody(w, v)
		if got := readAll(t, s, "crash", o.Key); !bytes.Equal(got, bytes.Join(parts, nil)) {
			t.Fatalf("%s version %d: body of %d bytes differs from what was written", o.Key, v, len(got))
		}
		if want := crashETag(parts); info.ETag != want || o.ETag != want {
			t.Fatalf("%s: ETag %s (listed %s), want %s", o.Key, info.ETag, o.ETag, want)
		}
		held[o.Key] = v
	}
	for k, vs := range allowed {
		if _, ok := held[k]; !ok && !vs[absent] {
			t.Fatalf("%s vanished; it held one of versions %v", k, vs)
		}
	}
	return held
}

// absent is the "version" of a key that does not exist.
const absent = -1

func crashETag(parts [][]byte) string {
	if len(parts) == 1 {
		sum := md5.Sum(parts[0])
		return hex.EncodeToString(sum[:])
	}
	var cat []byte
	for _, p := range parts {
		sum := md5.Sum(p)
		cat = append(cat, sum[:]...)
	}
	sum := md5.Sum(cat)
	return fmt.Sprintf("%s-%d", hex.EncodeToString(sum[:]), len(parts))
}
