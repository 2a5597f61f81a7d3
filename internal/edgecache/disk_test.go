package edgecache

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestCommitLookupRoundTrip(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	if e := c.Lookup("k"); e != nil {
		t.Fatal("Lookup on an empty cache returned an entry")
	}
	b := body(100_000, 1)
	m := testMeta("D1", "/images/a.png")
	put(t, c, "k", m, b)
	got, gm := mustGet(t, c, "k")
	wantBody(t, got, b)
	if gm.Size != int64(len(b)) || gm.Status != 200 || gm.Header.Get("Etag") != `"abc"` || gm.Path != m.Path {
		t.Fatalf("meta = %+v", gm)
	}
	s := c.Stats()
	if s.DiskObjects != 1 || s.DiskBytes <= int64(len(b)) || s.Commits != 1 || s.Misses != 1 || s.DiskHits != 1 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestRangeReads(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	b := body(10_000, 3)
	put(t, c, "k", testMeta("D", "/r"), b)
	e := c.Lookup("k")
	defer e.Release()
	cases := []struct {
		off, n int64
		want   []byte
		err    error
	}{
		{0, -1, b, nil},
		{0, 10, b[:10], nil},
		{9990, 10, b[9990:], nil},
		{5000, -1, b[5000:], nil},
		{10_000, 0, []byte{}, nil},
		{9990, 11, nil, ErrRange},
		{10_001, -1, nil, ErrRange},
		{-1, 5, nil, ErrRange},
	}
	for _, tc := range cases {
		got, err := readAll(t, e, tc.off, tc.n)
		if tc.err != nil {
			wantErr(t, err, tc.err)
			continue
		}
		if err != nil {
			t.Fatalf("read(%d,%d): %v", tc.off, tc.n, err)
		}
		wantBody(t, got, tc.want)
	}
}

func TestReopenKeepsEntries(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	c, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{}
	for i, k := range []string{"a", "b", "c", "with/slashes/../and spaces?q=1"} {
		bodies[k] = body(1000*(i+1), byte(i))
		put(t, c, k, testMeta("D", "/"+k), bodies[k])
	}
	put(t, c, "a", testMeta("D", "/a"), body(77, 9)) // replaced: the new version survives
	bodies["a"] = body(77, 9)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c2 := openCache(t, cfg)
	if s := c2.Stats(); s.Loaded != 4 || s.Dropped != 0 {
		t.Fatalf("after reopen: %+v", s)
	}
	for k, b := range bodies {
		got, m := mustGet(t, c2, k)
		wantBody(t, got, b)
		if m.Path != "/"+k || !m.StoredAt.Equal(epoch) || m.TTL != time.Hour {
			t.Fatalf("meta of %q after reopen = %+v", k, m)
		}
	}
	// New fills after a restart never reuse a file of an existing entry.
	put(t, c2, "d", testMeta("D", "/d"), body(10, 1))
	for k, b := range bodies {
		got, _ := mustGet(t, c2, k)
		wantBody(t, got, b)
	}
}

func TestOpenLocksDir(t *testing.T) {
	dir := t.TempDir()
	openCache(t, testConfig(t, dir))
	_, err := Open(testConfig(t, dir))
	wantErr(t, err, ErrLocked)
}

// entryFiles lists the committed entry files under dir.
func entryFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "obj", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestTornEntriesDropped simulates what a crash can leave behind and checks that Open never
// serves it: fills that never committed, files cut short, trailers damaged, and bodies whose
// blocks were never written. A crash leaves the dirty marker, so Open scans the files instead
// of trusting the snapshot.
func TestTornEntriesDropped(t *testing.T) {
	damage := []struct {
		name    string
		unclean bool // leave the dirty marker, as a crash does
		mutate  func(t *testing.T, path string)
	}{
		{"truncated body", true, func(t *testing.T, p string) { truncate(t, p, 500) }},
		{"truncated trailer", true, func(t *testing.T, p string) { truncate(t, p, fileSize(t, p)-3) }},
		{"empty file", true, func(t *testing.T, p string) { truncate(t, p, 0) }},
		{"trailing garbage", true, func(t *testing.T, p string) { appendBytes(t, p, []byte("xx")) }},
		{"meta bit flip", true, func(t *testing.T, p string) { flip(t, p, 5000+2) }},
		{"magic bit flip", true, func(t *testing.T, p string) { flip(t, p, fileSize(t, p)-1) }},
		{"body zeroed after crash", true, func(t *testing.T, p string) { zero(t, p, 100, 50) }},
	}
	for _, d := range damage {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := testConfig(t, dir)
			c, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			put(t, c, "victim", testMeta("D", "/v"), body(5000, 1))
			put(t, c, "good", testMeta("D", "/g"), body(3000, 2))
			victim := c.objPath(c.items["victim"].seq)
			// A fill the crash interrupted.
			f, _, _ := c.Begin("partial", testMeta("D", "/p"))
			f.Write(body(100, 3))
			tmp := f.tmp
			c.Close()
			if d.unclean {
				if err := os.WriteFile(filepath.Join(dir, "dirty"), nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(tmp, []byte("leftover"), 0o600); err != nil {
				t.Fatal(err)
			}
			d.mutate(t, victim)

			c2 := openCache(t, cfg)
			if e := c2.Lookup("victim"); e != nil {
				e.Release()
				t.Fatal("a damaged entry was served after Open")
			}
			if e := c2.Lookup("partial"); e != nil {
				e.Release()
				t.Fatal("an uncommitted fill was served after Open")
			}
			got, _ := mustGet(t, c2, "good")
			wantBody(t, got, body(3000, 2))
			if s := c2.Stats(); s.Dropped != 1 || s.Loaded != 1 {
				t.Fatalf("stats = %+v", s)
			}
			if _, err := os.Stat(victim); !os.IsNotExist(err) {
				t.Fatalf("damaged file still on disk: %v", err)
			}
			if _, err := os.Stat(tmp); !os.IsNotExist(err) {
				t.Fatalf("leftover fill still on disk: %v", err)
			}
		})
	}
}

// TestCleanOpenTrustsSnapshot shows why the dirty marker matters: after a clean Close, Open
// trusts the snapshot (no file is read), after a crash it checks every file and body.
func TestCleanOpenTrustsSnapshot(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	c, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	put(t, c, "k", testMeta("D", "/k"), body(5000, 1))
	p := c.objPath(c.items["k"].seq)
	c.Close()
	zero(t, p, 10, 10)
	c2, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s := c2.Stats(); s.Loaded != 1 {
		t.Fatalf("clean reopen: %+v", s)
	}
	// The memory tier is off, so the disk read is not verified again; closing without
	// Close (simulated: marker left) makes the next Open catch it.
	c2.Close()
	os.WriteFile(filepath.Join(dir, "dirty"), nil, 0o600)
	c3 := openCache(t, cfg)
	if s := c3.Stats(); s.Loaded != 0 || s.Dropped != 1 {
		t.Fatalf("unclean reopen: %+v", s)
	}
}

func truncate(t *testing.T, p string, n int64) {
	t.Helper()
	if err := os.Truncate(p, n); err != nil {
		t.Fatal(err)
	}
}

func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func appendBytes(t *testing.T, p string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write(b)
}

func flip(t *testing.T, p string, off int64) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	f.ReadAt(b, off)
	b[0] ^= 0x40
	f.WriteAt(b, off)
}

func zero(t *testing.T, p string, off, n int64) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteAt(make([]byte, n), off)
}

func TestEvictionBoundsDisk(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	cfg.MaxDiskBytes = 100 << 10
	c := openCache(t, cfg)
	for i := range 50 {
		put(t, c, string(rune('A'+i)), testMeta("D", "/x"), body(10<<10, byte(i)))
		if s := c.Stats(); s.DiskBytes > cfg.MaxDiskBytes {
			t.Fatalf("after %d puts DiskBytes = %d > %d", i+1, s.DiskBytes, cfg.MaxDiskBytes)
		}
	}
	s := c.Stats()
	if s.DiskEvictions == 0 || s.DiskObjects == 0 || s.DiskObjects != int64(len(entryFiles(t, dir))) {
		t.Fatalf("stats = %+v, files = %d", s, len(entryFiles(t, dir)))
	}
}

func TestLargeFillEvictsAsItGrows(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.MaxDiskBytes = 8 << 20
	c := openCache(t, cfg)
	for i := range 6 {
		put(t, c, string(rune('a'+i)), testMeta("D", "/x"), body(1<<20, byte(i)))
	}
	f, _, _ := c.Begin("big", testMeta("D", "/big"))
	chunk := body(256<<10, 7)
	for range 24 { // 6 MiB
		f.Write(chunk)
		if s := c.Stats(); s.DiskBytes+s.FillBytes > cfg.MaxDiskBytes {
			t.Fatalf("disk %d + fill %d > %d", s.DiskBytes, s.FillBytes, cfg.MaxDiskBytes)
		}
	}
	if err := f.Commit(6 << 20); err != nil {
		t.Fatal(err)
	}
	if s := c.Stats(); s.DiskBytes > cfg.MaxDiskBytes || s.FillBytes != 0 || s.DiskEvictions < 4 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestExpiredEntriesDropped(t *testing.T) {
	clock := &testClock{t: epoch}
	cfg := testConfig(t, t.TempDir())
	cfg.Now = clock.now
	c, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	put(t, c, "short", Meta{Dist: "D", Path: "/s", StoredAt: epoch, TTL: time.Minute, Stale: time.Minute}, body(10, 1))
	put(t, c, "long", Meta{Dist: "D", Path: "/l", StoredAt: epoch, TTL: time.Hour}, body(10, 2))
	clock.t = epoch.Add(90 * time.Second) // stale but within Stale: still returned
	mustGet(t, c, "short")
	clock.t = epoch.Add(3 * time.Minute)
	if e := c.Lookup("short"); e != nil {
		t.Fatal("entry past TTL+Stale returned")
	}
	put(t, c, "short2", Meta{Dist: "D", Path: "/s", StoredAt: epoch, TTL: time.Minute}, body(10, 1))
	c.Close()
	c2 := openCache(t, cfg)
	if s := c2.Stats(); s.Loaded != 1 || s.Expired != 1 {
		t.Fatalf("stats after reopen = %+v", s)
	}
	mustGet(t, c2, "long")
}

func TestRefreshPersists(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	c, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := body(4000, 5)
	put(t, c, "k", testMeta("D", "/k"), b)
	e := c.Lookup("k") // a reader of the old trailer
	m := testMeta("D", "/k")
	m.StoredAt = epoch.Add(time.Minute)
	m.Header.Set("Etag", `"a-much-longer-etag-than-before"`)
	if err := c.Refresh("k", m); err != nil {
		t.Fatal(err)
	}
	old, err := readAll(t, e, 0, -1)
	e.Release()
	if err != nil {
		t.Fatal(err)
	}
	wantBody(t, old, b)
	_, gm := mustGet(t, c, "k")
	if !gm.StoredAt.Equal(m.StoredAt) || gm.Size != 4000 {
		t.Fatalf("meta after Refresh = %+v", gm)
	}
	m.Header.Set("Etag", `"short"`) // shrinking trailer
	if err := c.Refresh("k", m); err != nil {
		t.Fatal(err)
	}
	wantErr(t, c.Refresh("missing", m), ErrNotFound)
	c.Close()
	c2 := openCache(t, cfg)
	got, gm := mustGet(t, c2, "k")
	wantBody(t, got, b)
	if gm.Header.Get("Etag") != `"short"` || !gm.StoredAt.Equal(m.StoredAt) {
		t.Fatalf("meta after reopen = %+v", gm)
	}
	if s := c2.Stats(); s.DiskBytes != fileSize(t, c2.objPath(c2.items["k"].seq)) {
		t.Fatalf("DiskBytes %d does not match the file", s.DiskBytes)
	}
}

// TestOpenFilesBounded: disk hits keep entry files open for the next hit, at most
// MaxOpenFiles of them, and a replaced or invalidated entry's cached descriptor is never used
// for the new content.
func TestOpenFilesBounded(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.MaxOpenFiles = 2
	c := openCache(t, cfg)
	for i := range 5 {
		put(t, c, string(rune('a'+i)), testMeta("D", "/x"), body(1000, byte(i)))
	}
	for range 3 {
		for i := range 5 {
			got, _ := mustGet(t, c, string(rune('a'+i)))
			wantBody(t, got, body(1000, byte(i)))
			if c.fds.n > 2 {
				t.Fatalf("%d files kept open, MaxOpenFiles is 2", c.fds.n)
			}
		}
	}
	mustGet(t, c, "e")
	put(t, c, "e", testMeta("D", "/x"), body(1000, 99))
	got, _ := mustGet(t, c, "e")
	wantBody(t, got, body(1000, 99))
	c.Invalidate("D", "/x", false)
	if c.fds.n != 0 {
		t.Fatalf("%d files still open after invalidating everything", c.fds.n)
	}
	if e := c.Lookup("e"); e != nil {
		t.Fatal("invalidated entry served")
	}
}

// TestSnapshot: a clean Close writes the index and the next Open uses it, queue order and
// frequencies included; a damaged snapshot, or one left by a run that then crashed, is not
// used and the files are scanned instead.
func TestSnapshot(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	c, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		put(t, c, fmt.Sprint(i), testMeta("D", fmt.Sprintf("/%d", i)), body(100+i, byte(i)))
	}
	mustGet(t, c, "3")
	c.Close()
	snap := filepath.Join(dir, snapshotName)
	if _, err := os.Stat(snap); err != nil {
		t.Fatalf("no snapshot after Close: %v", err)
	}
	c2, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s := c2.Stats(); s.Loaded != 20 || s.DiskBytes != c.Stats().DiskBytes {
		t.Fatalf("from snapshot: %+v", s)
	}
	if n := &c2.items["3"].dn; n.freq.Load() != 1 || n.where != inSmall {
		t.Fatalf("policy state not restored: freq %d where %d", n.freq.Load(), n.where)
	}
	for i := range 20 {
		got, _ := mustGet(t, c2, fmt.Sprint(i))
		wantBody(t, got, body(100+i, byte(i)))
	}
	// This run adds an entry, then crashes: the old snapshot must not hide it.
	put(t, c2, "late", testMeta("D", "/late"), body(10, 1))
	c2.lock.Close() // the process dies: no Close, the dirty marker stays
	c3, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s := c3.Stats(); s.Loaded != 21 {
		t.Fatalf("after crash: %+v", s)
	}
	c3.Close()
	// A damaged snapshot falls back to the scan.
	b, _ := os.ReadFile(snap)
	b[len(b)/2] ^= 1
	os.WriteFile(snap, b, 0o600)
	c4 := openCache(t, cfg)
	if s := c4.Stats(); s.Loaded != 21 {
		t.Fatalf("after damaged snapshot: %+v", s)
	}
	mustGet(t, c4, "late")
}

// TestMissingFileForgotten: an entry whose file vanished behind the cache's back is dropped at
// the first Lookup rather than kept in the index.
func TestMissingFileForgotten(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	put(t, c, "k", testMeta("D", "/k"), body(10, 1))
	os.Remove(c.objPath(c.items["k"].seq))
	if e := c.Lookup("k"); e != nil {
		t.Fatal("entry without a file returned")
	}
	if s := c.Stats(); s.DiskObjects != 0 || s.Dropped != 1 {
		t.Fatalf("stats = %+v", s)
	}
}
