package edgecache

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"
)

// testClock is a settable clock for expiry tests.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { return c.t }

var epoch = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func testConfig(t testing.TB, dir string) Config {
	t.Helper()
	return Config{
		Dir:          dir,
		MaxDiskBytes: 64 << 20,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:          func() time.Time { return epoch },
	}
}

func openCache(t testing.TB, cfg Config) *Cache {
	t.Helper()
	c, err := Open(cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func testMeta(dist, path string) Meta {
	return Meta{
		Dist:     dist,
		Path:     path,
		Status:   200,
		Header:   http.Header{"Content-Type": {"image/png"}, "Etag": {`"abc"`}},
		StoredAt: epoch,
		TTL:      time.Hour,
		Stale:    time.Hour,
	}
}

// put stores body under key with one Begin/Write/Commit.
func put(t testing.TB, c *Cache, key string, m Meta, body []byte) {
	t.Helper()
	f, e, started := c.Begin(key, m)
	if !started {
		if e != nil {
			e.Release()
		}
		t.Fatalf("Begin(%q) did not start a fill", key)
	}
	if _, err := f.Write(body); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := f.Commit(int64(len(body))); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

// readAll reads [off, off+n) of e.
func readAll(t testing.TB, e *Entry, off, n int64) ([]byte, error) {
	t.Helper()
	r, err := e.NewReader(off, n)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// mustGet looks key up and returns its whole body, failing unless it is a committed hit.
func mustGet(t testing.TB, c *Cache, key string) ([]byte, Meta) {
	t.Helper()
	e := c.Lookup(key)
	if e == nil {
		t.Fatalf("Lookup(%q) = nil, want a hit", key)
	}
	defer e.Release()
	if e.Filling() {
		t.Fatalf("Lookup(%q) is filling, want a committed hit", key)
	}
	b, err := readAll(t, e, 0, -1)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return b, e.Meta()
}

func wantBody(t testing.TB, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Fatalf("body: got %d bytes, want %d (equal=%v)", len(got), len(want), bytes.Equal(got, want))
	}
}

func wantErr(t testing.TB, got, want error) {
	t.Helper()
	if !errors.Is(got, want) {
		t.Fatalf("error: got %v, want %v", got, want)
	}
}

func body(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7) + byte(i>>8)
	}
	return b
}
