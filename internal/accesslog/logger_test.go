package accesslog

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2025, 6, 1, 12, 59, 59, 0, time.UTC)

func rec(dist string, at time.Time, path string) Record {
	return Record{Distribution: dist, Time: at, URIStem: path, Method: "GET", Status: 200, ResultType: "Hit"}
}

func newTestLogger(t *testing.T, mod func(*Config)) *Logger {
	t.Helper()
	cfg := NewDefaultConfig()
	cfg.Dir = t.TempDir()
	if mod != nil {
		mod(&cfg)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// files lists the files under dir, relative and sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// readLog returns a log file's lines, gunzipped when it ends in .gz, checking the header.
func readLog(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		r = gz
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	text, ok := strings.CutPrefix(string(b), "#Version: 1.0\n#Fields: "+Fields+"\n")
	if !ok {
		t.Fatalf("%s does not start with the #Version and #Fields lines: %q", path, b)
	}
	if text == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

func TestFilesPerDistribution(t *testing.T) {
	l := newTestLogger(t, nil)
	l.Configure(map[string]Settings{"E1": {Enabled: true, Prefix: "cf/"}, "E2": {Enabled: false}, "E3": {Enabled: true}})
	if !l.Enabled("E1") || l.Enabled("E2") || l.Enabled("E9") {
		t.Fatal("Enabled does not follow the settings")
	}
	for _, p := range []string{"/a", "/b", "/c"} {
		l.Log(rec("E1", t0, p))
	}
	l.Log(rec("E3", t0, "/x"))
	l.Close()
	got := files(t, l.cfg.Dir)
	if len(got) != 2 || !strings.HasPrefix(got[0], "E1/cf/E1.2025-06-01-12.") || !strings.HasSuffix(got[0], ".gz") ||
		!strings.HasPrefix(got[1], "E3/E3.2025-06-01-12.") {
		t.Fatalf("files %v", got)
	}
	lines := readLog(t, filepath.Join(l.cfg.Dir, got[0]))
	if len(lines) != 3 {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}
	for i, p := range []string{"/a", "/b", "/c"} {
		if f := fieldsOf(t, lines[i]+"\n"); f["cs-uri-stem"] != p || f["date"] != "2025-06-01" || f["time"] != "12:59:59" {
			t.Errorf("line %d: %q", i, lines[i])
		}
	}
	if l.Written() != 4 || l.Dropped() != 0 || l.Failed() != 0 {
		t.Fatalf("written %d dropped %d failed %d", l.Written(), l.Dropped(), l.Failed())
	}
}

func TestRotatesHourly(t *testing.T) {
	l := newTestLogger(t, func(c *Config) { c.Gzip = false })
	l.Configure(map[string]Settings{"E1": {Enabled: true}})
	l.Log(rec("E1", t0, "/before"))
	l.Log(rec("E1", t0.Add(time.Second), "/after"))
	l.Log(rec("E1", t0.Add(2*time.Second), "/after2"))
	l.Close()
	got := files(t, l.cfg.Dir)
	if len(got) != 2 || !strings.Contains(got[0], ".2025-06-01-12.") || !strings.Contains(got[1], ".2025-06-01-13.") {
		t.Fatalf("files %v", got)
	}
	if n := len(readLog(t, filepath.Join(l.cfg.Dir, got[0]))); n != 1 {
		t.Errorf("12:00 file has %d lines", n)
	}
	if n := len(readLog(t, filepath.Join(l.cfg.Dir, got[1]))); n != 2 {
		t.Errorf("13:00 file has %d lines", n)
	}
}

func TestRotatesBySize(t *testing.T) {
	line := len(appendLine(nil, &Record{Distribution: "E1", Time: t0, URIStem: "/0", Method: "GET", Status: 200, ResultType: "Hit"}))
	l := newTestLogger(t, func(c *Config) { c.MaxFileBytes = int64(len(header) + 2*line) })
	l.Configure(map[string]Settings{"E1": {Enabled: true}})
	for i := range 5 {
		l.Log(rec("E1", t0, "/"+string(rune('0'+i))))
	}
	l.Close()
	got := files(t, l.cfg.Dir)
	if len(got) != 3 {
		t.Fatalf("5 records at 2 per file made files %v", got)
	}
	total := 0
	for _, f := range got {
		n := len(readLog(t, filepath.Join(l.cfg.Dir, f)))
		if n > 2 {
			t.Errorf("%s has %d lines", f, n)
		}
		total += n
	}
	if total != 5 {
		t.Errorf("%d lines in all", total)
	}
}

// slowFile blocks every write until released: a disk that stalls.
type slowFile struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
	mu      sync.Mutex
	data    strings.Builder
}

func (f *slowFile) Write(p []byte) (int, error) {
	f.once.Do(func() { close(f.entered) })
	<-f.release
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.data.Write(p)
}

func (f *slowFile) Close() error { return nil }

func TestNeverBlocksOnASlowDisk(t *testing.T) {
	slow := &slowFile{entered: make(chan struct{}), release: make(chan struct{})}
	cfg := NewDefaultConfig()
	cfg.Dir, cfg.Buffer, cfg.Gzip = t.TempDir(), 4, false
	l, err := newLogger(cfg, func(string) (fileWriter, error) { return slow, nil })
	if err != nil {
		t.Fatal(err)
	}
	l.Configure(map[string]Settings{"E1": {Enabled: true}})
	l.Log(rec("E1", t0, "/first"))
	<-slow.entered // the writer is stuck in the disk with the first record
	for range cfg.Buffer {
		l.Log(rec("E1", t0, "/queued"))
	}
	for range 10 {
		l.Log(rec("E1", t0, "/dropped")) // returns at once: the queue is full
	}
	if d := l.Dropped(); d != 10 {
		t.Fatalf("dropped %d, want 10", d)
	}
	close(slow.release)
	l.Close()
	if w := l.Written(); w != int64(1+cfg.Buffer) {
		t.Fatalf("written %d, want %d", w, 1+cfg.Buffer)
	}
	slow.mu.Lock()
	defer slow.mu.Unlock()
	if n := strings.Count(slow.data.String(), "\t/queued\t"); n != cfg.Buffer || strings.Contains(slow.data.String(), "/dropped") {
		t.Fatalf("the file holds %d queued records (want %d) or dropped ones", n, cfg.Buffer)
	}
	l.Log(rec("E1", t0, "/late"))
	if d := l.Dropped(); d != 11 {
		t.Fatalf("a record after Close: dropped %d, want 11", d)
	}
}

func TestConfigureClosesFilesOfDistributionsNoLongerLogged(t *testing.T) {
	l := newTestLogger(t, nil)
	l.Configure(map[string]Settings{"E1": {Enabled: true}})
	l.Log(rec("E1", t0, "/a"))
	l.Configure(map[string]Settings{"E1": {Enabled: false}})
	if l.Enabled("E1") {
		t.Fatal("still enabled")
	}
	// Closing completes the gzip stream, which is then readable while the Logger runs.
	var got []string
	for i := 0; i < 1000; i++ {
		if fs := files(t, l.cfg.Dir); len(fs) == 1 {
			if complete(filepath.Join(l.cfg.Dir, fs[0])) {
				got = readLog(t, filepath.Join(l.cfg.Dir, fs[0]))
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(got) != 1 {
		t.Fatalf("the file was not closed with its record: %q", got)
	}
	l.LogRequest(nil, "E1", "", Response{}) // not logged: no record, no panic on a nil request
	if l.Written() != 1 || l.Dropped() != 0 {
		t.Fatalf("written %d dropped %d", l.Written(), l.Dropped())
	}
}

// complete reports whether a gzip file is whole.
func complete(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return false
	}
	_, err = io.Copy(io.Discard, gz)
	return err == nil
}

func TestPrefixCannotLeaveTheDirectory(t *testing.T) {
	l := newTestLogger(t, func(c *Config) { c.Dir = filepath.Join(t.TempDir(), "logs") })
	l.Configure(map[string]Settings{"E1": {Enabled: true, Prefix: "../../escape/"}, "../E2": {Enabled: true}})
	l.Log(rec("E1", t0, "/a"))
	l.Log(rec("../E2", t0, "/a"))
	l.Close()
	if got := files(t, filepath.Dir(l.cfg.Dir)); len(got) != 0 {
		t.Fatalf("files written: %v", got)
	}
	if l.Failed() != 2 || l.Written() != 0 {
		t.Fatalf("failed %d written %d", l.Failed(), l.Written())
	}
}
