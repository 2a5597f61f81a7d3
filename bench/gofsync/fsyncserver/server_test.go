package fsyncserver

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func do(t *testing.T, h http.Handler, method, target string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	for i := 0; i < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if w := do(t, s, "GET", "/healthz", nil); w.Code != 200 {
		t.Fatalf("healthz %d", w.Code)
	}
	if w := do(t, s, "PUT", "/bucket", nil); w.Code != 200 {
		t.Fatalf("CreateBucket %d", w.Code)
	}
	body := bytes.Repeat([]byte("imgcdn"), 5000)
	// Keys are hashed, never used as paths: a traversal-looking key stays inside dir.
	const key = "/bucket/../../etc/x%20y"
	if w := do(t, s, "PUT", key, body); w.Code != 200 {
		t.Fatalf("PUT %d %s", w.Code, w.Body)
	}
	w := do(t, s, "GET", key, nil)
	if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), body) || w.Header().Get("Content-Length") != "30000" {
		t.Fatalf("GET %d, %d bytes", w.Code, w.Body.Len())
	}
	if w := do(t, s, "HEAD", key, nil); w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != "30000" {
		t.Fatalf("HEAD %d %q", w.Code, w.Header().Get("Content-Length"))
	}
	if w := do(t, s, "PUT", key, []byte("v2")); w.Code != 200 {
		t.Fatal(w.Code)
	}
	if w := do(t, s, "GET", key, nil); w.Body.String() != "v2" {
		t.Fatalf("overwrite: %q", w.Body)
	}
	if w := do(t, s, "DELETE", key, nil); w.Code != 204 {
		t.Fatal(w.Code)
	}
	if w := do(t, s, "GET", key, nil); w.Code != 404 || !strings.Contains(w.Body.String(), "NoSuchKey") {
		t.Fatalf("after delete %d %s", w.Code, w.Body)
	}
	tmp, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(tmp) != 0 {
		t.Errorf("%d temporary files left", len(tmp))
	}
}

func TestRefusesWhatItCannotDo(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, target string
		hdr            []string
	}{
		{"PUT", "/b/k", []string{"Content-Encoding", "aws-chunked"}},
		{"PUT", "/b/k", []string{"X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}},
		{"POST", "/b/k?uploads", nil},
		{"PUT", "/b/k?partNumber=1&uploadId=x", nil},
		{"PUT", "/b/k", []string{"X-Amz-Copy-Source", "/b/j"}},
		{"GET", "/b?list-type=2", nil},
		{"GET", "/", nil},
	}
	for _, c := range cases {
		if w := do(t, s, c.method, c.target, []byte("x"), c.hdr...); w.Code != http.StatusNotImplemented {
			t.Errorf("%s %s %v: %d, want 501", c.method, c.target, c.hdr, w.Code)
		}
	}
	if w := do(t, s, "GET", "/b/k", nil); w.Code != 404 {
		t.Errorf("refused PUT stored something: %d", w.Code)
	}
}

func TestShortBodyNotStored(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("PUT", "/b/k", io.LimitReader(strings.NewReader("abcdef"), 3))
	r.ContentLength = 6
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 500 {
		t.Fatalf("short body: %d", w.Code)
	}
	if w := do(t, s, "GET", "/b/k", nil); w.Code != 404 {
		t.Errorf("short body stored: %d", w.Code)
	}
}

func TestNewRemovesOrphans(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tmp", "put-123"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(dir); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(left) != 0 {
		t.Errorf("orphan kept")
	}
}
