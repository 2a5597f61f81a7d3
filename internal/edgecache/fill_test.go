package edgecache

import (
	"errors"
	"io"
	"testing"
)

func TestBeginJoinsRunningFill(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	f, e, started := c.Begin("k", testMeta("D", "/k"))
	if !started || f == nil || e != nil {
		t.Fatalf("first Begin = %v %v %v", f, e, started)
	}
	f2, e2, started2 := c.Begin("k", testMeta("D", "/k"))
	if started2 || f2 != nil || e2 == nil || !e2.Filling() || e2.Meta().Size != -1 {
		t.Fatalf("second Begin = %v %v %v", f2, e2, started2)
	}
	e3 := c.Lookup("k")
	if e3 == nil || !e3.Filling() {
		t.Fatal("Lookup during the fill did not return the filling entry")
	}
	r, _ := e2.NewReader(0, -1)
	r3, _ := e3.NewReader(2, 3)
	f.Write([]byte("hello "))
	// Bytes written so far are readable before Commit.
	p := make([]byte, 16)
	n, err := r.Read(p)
	if err != nil || string(p[:n]) != "hello " {
		t.Fatalf("read before commit = %q, %v", p[:n], err)
	}
	f.Write([]byte("world"))
	if err := f.Commit(11); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(r)
	if err != nil || string(rest) != "world" {
		t.Fatalf("rest = %q, %v", rest, err)
	}
	part, err := io.ReadAll(r3)
	if err != nil || string(part) != "llo" {
		t.Fatalf("range = %q, %v", part, err)
	}
	r.Close()
	r3.Close()
	e2.Release()
	e3.Release()
	got, _ := mustGet(t, c, "k")
	if string(got) != "hello world" {
		t.Fatalf("committed body %q", got)
	}
	if s := c.Stats(); s.FillsStarted != 1 || s.Collapsed != 1 || s.FillHits != 1 || s.Filling != 0 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestAbortFailsReaders(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	f, _, _ := c.Begin("k", testMeta("D", "/k"))
	e := c.Lookup("k")
	defer e.Release()
	r, _ := e.NewReader(0, -1)
	defer r.Close()
	f.Write([]byte("part"))
	done := make(chan error, 1)
	go func() {
		b, err := io.ReadAll(r)
		if err == nil || string(b) != "part" {
			err = errors.Join(err, errors.New("read "+string(b)))
		}
		done <- err
	}()
	f.Abort()
	wantErr(t, <-done, ErrFillAborted)
	if e := c.Lookup("k"); e != nil {
		t.Fatal("aborted fill left an entry")
	}
	wantErr(t, f.Commit(4), ErrFillDone)
	if s := c.Stats(); s.Aborts != 1 || s.Commits != 0 || s.FillBytes != 0 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestCommitSizeMismatchAborts(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	f, _, _ := c.Begin("k", testMeta("D", "/k"))
	f.Write([]byte("abc"))
	wantErr(t, f.Commit(10), ErrSizeMismatch)
	if e := c.Lookup("k"); e != nil {
		t.Fatal("torn body committed")
	}
}

func TestCloseUnblocksWaitingReader(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	f, _, _ := c.Begin("k", testMeta("D", "/k"))
	defer f.Abort()
	e := c.Lookup("k")
	defer e.Release()
	r, _ := e.NewReader(0, -1)
	done := make(chan error, 1)
	go func() {
		_, err := r.Read(make([]byte, 10))
		done <- err
	}()
	r.Close()
	wantErr(t, <-done, ErrClosed)
}

// TestInvalidate covers exact and wildcard paths, other distributions, variants, and fills in
// flight at the time of the invalidation.
func TestInvalidate(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	entries := []struct{ key, dist, path string }{
		{"D1|/images/a.png|gzip", "D1", "/images/a.png"},
		{"D1|/images/a.png|br", "D1", "/images/a.png"}, // a variant
		{"D1|/images/b.png", "D1", "/images/b.png"},
		{"D1|/images/sub/c.png", "D1", "/images/sub/c.png"},
		{"D1|/imagesX", "D1", "/imagesX"},
		{"D1|/index.html", "D1", "/index.html"},
		{"D2|/images/a.png", "D2", "/images/a.png"},
	}
	reset := func() {
		for _, e := range entries {
			put(t, c, e.key, testMeta(e.dist, e.path), []byte(e.key))
		}
	}
	cases := []struct {
		dist, path string
		wildcard   bool
		gone       []int
	}{
		{"D1", "/images/a.png", false, []int{0, 1}},
		{"D1", "/images/*", true, []int{0, 1, 2, 3}},
		{"D1", "/images/", true, []int{0, 1, 2, 3}},
		{"D1", "/images*", true, []int{0, 1, 2, 3, 4}},
		{"D1", "/*", true, []int{0, 1, 2, 3, 4, 5}},
		{"D1", "/IMAGES/a.png", false, nil}, // case sensitive, as CloudFront
		{"D3", "/*", true, nil},
	}
	for _, tc := range cases {
		reset()
		n := c.Invalidate(tc.dist, tc.path, tc.wildcard)
		if n != len(tc.gone) {
			t.Errorf("Invalidate(%s, %s, %v) = %d, want %d", tc.dist, tc.path, tc.wildcard, n, len(tc.gone))
		}
		gone := map[int]bool{}
		for _, i := range tc.gone {
			gone[i] = true
		}
		for i, e := range entries {
			got := c.Lookup(e.key)
			if (got == nil) != gone[i] {
				t.Errorf("Invalidate(%s, %s): %s present=%v", tc.dist, tc.path, e.key, got != nil)
			}
			if got != nil {
				got.Release()
			}
		}
	}
}

func TestInvalidateDuringFillRefusesCommit(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	put(t, c, "k", testMeta("D", "/a/x"), []byte("old"))
	f, _, _ := c.Begin("k", testMeta("D", "/a/x"))
	follower := c.Lookup("k") // the committed "old" one
	fillEntry, _ := func() (*Entry, bool) { _, e, s := c.Begin("k", Meta{}); return e, s }()
	f.Write([]byte("new"))
	if n := c.Invalidate("D", "/a/*", true); n != 1 {
		t.Fatalf("Invalidate = %d", n)
	}
	// After the invalidation a new Begin starts afresh rather than joining the old fetch.
	f2, e2, started := c.Begin("k", testMeta("D", "/a/x"))
	if !started || e2 != nil {
		t.Fatal("Begin after the invalidation joined the old fill")
	}
	wantErr(t, f.Commit(3), ErrInvalidated)
	if e := c.Lookup("k"); e == nil || !e.Filling() {
		t.Fatal("the refused commit replaced the fresh fill")
	} else {
		e.Release()
	}
	// Readers that joined the old fill still get its bytes to the end.
	b, err := readAll(t, fillEntry, 0, -1)
	if err != nil || string(b) != "new" {
		t.Fatalf("follower of the refused fill read %q, %v", b, err)
	}
	fillEntry.Release()
	// The entry handed out before the invalidation stays readable until Release.
	b, err = readAll(t, follower, 0, -1)
	if err != nil || string(b) != "old" {
		t.Fatalf("old entry after invalidation read %q, %v", b, err)
	}
	follower.Release()
	f2.Write([]byte("fresh"))
	if err := f2.Commit(5); err != nil {
		t.Fatal(err)
	}
	got, _ := mustGet(t, c, "k")
	if string(got) != "fresh" {
		t.Fatalf("got %q", got)
	}
	if s := c.Stats(); s.Refused != 1 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestDeleteDetachesFill(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	put(t, c, "k", testMeta("D", "/k"), []byte("v"))
	f, _, _ := c.Begin("k", testMeta("D", "/k"))
	c.Delete("k")
	if e := c.Lookup("k"); e != nil {
		t.Fatal("Lookup after Delete found an entry")
	}
	f.Write([]byte("x"))
	wantErr(t, f.Commit(1), ErrInvalidated)
}

// TestReadableUntilRelease: an entry handed out keeps its bytes through replacement, eviction
// and invalidation (the file is unlinked but the descriptor holds it).
func TestReadableUntilRelease(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.MaxDiskBytes = 64 << 10
	c := openCache(t, cfg)
	b := body(20<<10, 1)
	put(t, c, "k", testMeta("D", "/k"), b)
	e1 := c.Lookup("k")
	put(t, c, "k", testMeta("D", "/k"), body(20<<10, 2)) // replace
	e2 := c.Lookup("k")
	for i := range 10 { // evict everything
		put(t, c, string(rune('a'+i)), testMeta("D", "/o"), body(20<<10, 3))
	}
	if e := c.Lookup("k"); e != nil {
		t.Fatal("k should have been evicted")
	}
	e3 := c.Lookup("j") // the newest, still resident
	r3, _ := e3.NewReader(0, -1)
	c.Invalidate("D", "/*", true)
	e3.Release() // the open reader keeps the file alive
	for _, x := range []struct {
		e    *Entry
		want []byte
	}{{e1, b}, {e2, body(20<<10, 2)}} {
		got, err := readAll(t, x.e, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		wantBody(t, got, x.want)
		x.e.Release()
	}
	got, err := io.ReadAll(r3)
	r3.Close()
	if err != nil {
		t.Fatal(err)
	}
	wantBody(t, got, body(20<<10, 3))
}

// TestFillHoldsDeclaredEndUntilCommit: the Write that completes the length declared at Begin
// reaches readers only with Commit, so a viewer who has the whole body finds the entry
// committed; every other Write, and every Write of a fill of unknown length, reaches them at
// once.
func TestFillHoldsDeclaredEndUntilCommit(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir()))
	want := body(5000, 7)
	published := func(f *Fill) int64 {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.written
	}

	m := testMeta("D", "/k")
	m.Size = int64(len(want))
	f, _, started := c.Begin("k", m)
	if !started {
		t.Fatal("Begin did not start a fill")
	}
	e := c.Lookup("k")
	defer e.Release()
	r, err := e.NewReader(0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := f.Write(want[:4000]); err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 4000)
	if _, err := io.ReadFull(r, head); err != nil {
		t.Fatal(err)
	}
	wantBody(t, head, want[:4000])
	if _, err := f.Write(want[4000:]); err != nil {
		t.Fatal(err)
	}
	if n := published(f); n != 4000 {
		t.Fatalf("readers may read %d bytes before Commit, want 4000 (the end is held)", n)
	}
	if err := f.Commit(int64(len(want))); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	wantBody(t, rest, want[4000:])
	if s := c.Stats(); s.DiskObjects != 1 || s.Filling != 0 {
		t.Fatalf("after the reader's last byte: %+v", s)
	}

	u := testMeta("D", "/u")
	u.Size = -1
	f, _, _ = c.Begin("u", u)
	if _, err := f.Write(want); err != nil {
		t.Fatal(err)
	}
	if n := published(f); n != int64(len(want)) {
		t.Fatalf("a fill of unknown length published %d of %d bytes", n, len(want))
	}
	if err := f.Commit(-1); err != nil {
		t.Fatal(err)
	}
}
