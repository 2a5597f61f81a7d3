package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/bench/gofsync/fsyncserver"
)

// TestRunEndToEnd runs every phase against the fake S3, with the process's own pid as the
// "server" whose RSS is sampled, and checks the report and the JSON agree with what the fake saw.
func TestRunEndToEnd(t *testing.T) {
	fake := newFakeS3()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	dir := t.TempDir()
	out, js := filepath.Join(dir, "r.md"), filepath.Join(dir, "r.json")
	var stdout bytes.Buffer
	err := run(context.Background(), []string{
		"--endpoint", srv.URL, "--access-key", "AK", "--secret-key", "topsecret", "--label", "fake",
		"--duration", "100ms", "--sizes", "1KiB,64KiB", "--concurrency", "1,3",
		"--sse-sizes", "64KiB,5KiB", "--sse-concurrency", "3",
		"--list-keys", "2500", "--list-passes", "2", "--fill-concurrency", "8",
		"--big", "12MiB", "--big-part-size", "5MiB", "--big-concurrency", "2",
		"--pid", fmt.Sprint(os.Getpid()), "--out", out, "--json", js,
	}, &stdout, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var r Results
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	// 2 sizes x 2 concurrencies, then 64KiB c3 and 5KiB c3 again in the SSE-S3 bucket, each
	// PUT and GET; the encrypted 64KiB cell comes right after its plain twin.
	if len(r.Phases) != 12 {
		t.Fatalf("%d phases, want (2 sizes x 2 concurrencies + 2 SSE-S3 cells) x PUT/GET", len(r.Phases))
	}
	var order []string
	for _, p := range r.Phases {
		if p.Ops == 0 || p.Errors != 0 || p.FirstError != "" || p.OpsPerSec <= 0 || p.P99ms < p.P50ms || p.ServerCPUms == nil || p.ClientCPUms <= 0 {
			t.Errorf("phase %+v", p)
		}
		order = append(order, fmt.Sprintf("%s %s c%d %v", p.Op, formatSize(p.Size), p.Concurrency, p.Encrypted))
	}
	if got, want := strings.Join(order[6:10], ", "), "PUT 64KiB c3 false, GET 64KiB c3 false, PUT 64KiB c3 true, GET 64KiB c3 true"; got != want {
		t.Errorf("phases 6-9: %s, want %s", got, want)
	}
	if got := order[10]; got != "PUT 5KiB c3 true" {
		t.Errorf("phase 10: %s", got)
	}
	l := r.List
	if l == nil || l.Error != "" || l.FillErrors != 0 || l.Passes != 2 || l.Pages != 6 || l.KeysListed != 5000 || l.PagesPerSec <= 0 || l.ServerCPUms == nil {
		t.Errorf("list %+v", l)
	}
	if raw := l.Raw; raw == nil || raw.Error != "" || raw.Passes != 2 || raw.Pages != 6 || raw.KeysListed != 5000 || raw.PagesPerSec <= 0 || raw.ClientCPUms <= 0 {
		t.Errorf("raw list %+v", raw)
	}
	g := r.Big
	if g == nil || g.Error != "" || g.Parts != 3 || g.ETag != `"fake-3"` || g.RSSSamples == 0 || g.RSSPeak == 0 {
		t.Errorf("big %+v", g)
	}
	if n := bigObjectSize(fake); n != 12<<20 {
		t.Errorf("big object stored with %d bytes", n)
	}
	if strings.Count(r.LoadStart, " ") != 2 || strings.Count(r.LoadEnd, " ") != 2 {
		t.Errorf("load averages %q %q", r.LoadStart, r.LoadEnd)
	}
	if r.ServerMem == nil || r.ServerMem.HWMEnd == 0 {
		t.Errorf("server memory %+v", r.ServerMem)
	}

	md, _ := os.ReadFile(out)
	if !bytes.Equal(md, stdout.Bytes()) {
		t.Error("--out differs from what was printed")
	}
	for _, want := range []string{"## S3 bench: fake", "| PUT | 64KiB | 3 |", "| GET | 1KiB | 1 |", "| PUT SSE-S3 | 64KiB | 3 |", "Listing a 2500-key bucket",
		"### fake: SSE-S3 against plain, same run", "| aws-sdk-go-v2 | 2 | 6 |", "| raw signed GET (no XML decoding) | 2 | 6 |", "Multipart upload of 12MiB (3 parts of 5MiB)", "--secret-key '***'", "- Load average (1, 5, 15 min): "} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(string(md), "topsecret") {
		t.Error("secret key in the report")
	}
}

// bigObjectSize returns the size of the multipart object the run stored in the fake.
func bigObjectSize(f *fakeS3) int64 {
	for k, n := range f.objects {
		if strings.HasSuffix(k, "/big/12MiB") {
			return n
		}
	}
	return -1
}

// TestClientModes checks that what the report says the client sends is what it sends.
func TestClientModes(t *testing.T) {
	crc := regexp.MustCompile(`^[A-Za-z0-9+/]{6}==$`)
	sha := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, c := range []struct {
		payload, checksum string
		wantSHA           *regexp.Regexp
		wantCRC           bool
	}{
		{payloadSigned, checksumWhenSupported, sha, true},
		{payloadUnsigned, checksumWhenRequired, regexp.MustCompile(`^UNSIGNED-PAYLOAD$`), false},
	} {
		fake := newFakeS3()
		srv := httptest.NewServer(fake)
		cfg := Config{Endpoint: srv.URL, AccessKey: "a", SecretKey: "s", Payload: c.payload, Checksum: c.checksum}
		cell := &loadCell{cli: newClient(cfg, 4), bucket: "b", prefix: "p", size: 1000, conc: 1,
			duration: 20 * time.Millisecond, pattern: newPattern()}
		put, _ := cell.run(context.Background())
		srv.Close()
		if put.Ops == 0 || put.Errors != 0 {
			t.Fatalf("%s/%s: %+v", c.payload, c.checksum, put)
		}
		for _, h := range fake.uploadHeaders {
			if !c.wantSHA.MatchString(h[0]) || crc.MatchString(h[1]) != c.wantCRC || (!c.wantCRC && h[1] != "") {
				t.Fatalf("%s/%s: sent x-amz-content-sha256 %q, x-amz-checksum-crc32 %q", c.payload, c.checksum, h[0], h[1])
			}
		}
		desc := modeDescription(cfg)
		if !strings.Contains(desc, c.checksum) || strings.Contains(desc, "UNSIGNED") != (c.payload == payloadUnsigned) {
			t.Errorf("description %q does not match mode %s/%s", desc, c.payload, c.checksum)
		}
	}
}

// TestCellAgainstGofsync runs one PUT/GET cell against the real baseline server and compares
// the two runs.
func TestCellAgainstGofsync(t *testing.T) {
	fsrv, err := fsyncserver.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fsrv)
	defer srv.Close()
	cfg, err := parseFlags([]string{"--endpoint", srv.URL, "--access-key", "a", "--secret-key", "s", "--label", "gofsync"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cell := &loadCell{cli: newClient(cfg, 4), bucket: "b", prefix: "p", size: 32 << 10, conc: 4,
		duration: 100 * time.Millisecond, pattern: newPattern()}
	put, get := cell.run(context.Background())
	for _, p := range []PhaseResult{put, get} {
		if p.Ops == 0 || p.Errors != 0 {
			t.Fatalf("%+v", p)
		}
	}

	dir := t.TempDir()
	base := &Results{Label: "gofsync", Phases: []PhaseResult{put, get}}
	subj := &Results{Label: "imgcdn", Phases: []PhaseResult{put, get},
		List: &ListResult{Keys: 100000, ListWalk: ListWalk{PagesPerSec: 156}}, Big: &BigResult{Size: 1 << 30, RSSPeak: 100 << 20, RSSGrowth: 60 << 20, RSSSamples: 5}}
	for name, r := range map[string]*Results{"base.json": base, "subj.json": subj} {
		b, _ := json.Marshal(r)
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"compare", "--baseline", filepath.Join(dir, "base.json"), filepath.Join(dir, "subj.json")}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	s := stdout.String()
	for _, want := range []string{
		"### imgcdn / gofsync", "| PUT | 32KiB | 4 |", "| 1.00x |",
		"| imgcdn | listing 100000 keys, pages/s (aws-sdk-go-v2 client) | 156.0 | MinIO 52 (100,000 keys) | 3.00x | >= 3x MinIO |",
		"| imgcdn | peak RSS during 1GiB upload, MiB | 100 | MinIO 550-950 |",
		"not measured here",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("comparison lacks %q:\n%s", want, s)
		}
	}
}
