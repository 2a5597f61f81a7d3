// Command imgcdn-bench is imgcdn's S3 load generator. It drives any S3-compatible endpoint
// (imgcdn, MinIO, the bare fsync file server in bench/gofsync) with aws-sdk-go-v2 and reports:
//
//   - PUT then GET ops/s, MiB/s and p50/p99 latency for each object size x concurrency;
//   - the time to list a bucket of many keys with ListObjectsV2 pages of 1,000 (pages/s, keys/s);
//   - the server's peak RSS, sampled from /proc every 100 ms, while one big object is uploaded
//     with multipart.
//
// It prints a markdown report and writes it to --out (and the raw figures to --json).
// `imgcdn-bench compare --baseline gofsync.json imgcdn.json` puts runs side by side with the
// reference figures of the issue; `imgcdn-bench summary --baseline gofsync round*.json`
// reduces several rounds to medians.
//
// Usage:
//
//	imgcdn-bench --endpoint http://127.0.0.1:9000 --pid $(pidof imgcdn) --out bench/results/x.md
//	imgcdn-bench compare --baseline gofsync.json imgcdn.json
//	imgcdn-bench summary --baseline gofsync r1-gofsync.json r1-imgcdn.json r2-gofsync.json r2-imgcdn.json
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "imgcdn-bench:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "compare" {
		return runCompare(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "summary" {
		return runSummary(args[1:], stdout, stderr)
	}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	defer debug.SetGCPercent(debug.SetGCPercent(cfg.GOGC))
	res, err := bench(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	res.Command = commandLine(append([]string{"imgcdn-bench"}, args...))
	if failed := failures(res); failed != "" {
		fmt.Fprintf(stderr, "imgcdn-bench: warning: %s; the report shows the first error of each\n", failed)
	}
	return emit(res, cfg, stdout)
}

// failures summarizes failed requests and phases, or returns "" when everything succeeded.
func failures(r *Results) string {
	var n uint64
	for _, p := range r.Phases {
		n += p.Errors
	}
	var parts []string
	if n > 0 {
		parts = append(parts, fmt.Sprintf("%d failed PUT/GET requests", n))
	}
	if r.List != nil && r.List.Error != "" {
		parts = append(parts, "listing failed")
	}
	if r.List != nil && r.List.Raw != nil && r.List.Raw.Error != "" {
		parts = append(parts, "raw listing failed")
	}
	if r.Big != nil && r.Big.Error != "" {
		parts = append(parts, "big upload failed")
	}
	return strings.Join(parts, ", ")
}

// bench runs every phase of cfg against the endpoint. Progress goes to logw.
func bench(ctx context.Context, cfg Config, logw io.Writer) (*Results, error) {
	maxConc := max(cfg.FillConcurrency, cfg.BigConcurrency)
	for _, c := range cfg.Concurrency {
		maxConc = max(maxConc, c)
	}
	cli := newClient(cfg, maxConc)
	res := &Results{
		Label: cfg.Label, Date: time.Now(), Machine: describeMachine(),
		Endpoint: cfg.Endpoint, Mode: modeDescription(cfg), LoadStart: loadAverage(),
	}
	if cfg.PID > 0 {
		m, err := readStatus(cfg.PID)
		if err != nil {
			return nil, fmt.Errorf("--pid %d: %w", cfg.PID, err)
		}
		res.ServerMem = &ServerMemory{RSSStart: m.RSS}
	}
	// Fresh buckets per run, so a run never reads another run's objects and can be repeated
	// against a long-lived server.
	runID := time.Now().UTC().Format("20060102-150405")
	objects := "bench-" + runID
	if err := createBucket(ctx, cli, objects); err != nil {
		return nil, err
	}
	pattern := newPattern()

	sseBucket := ""
	if len(cfg.SSESizes) > 0 {
		sseBucket = objects + "-sse"
		if err := createSSEBucket(ctx, cli, sseBucket); err != nil {
			return nil, err
		}
	}
	// Each SSE-S3 cell runs right after its plain twin; those without one run at the end.
	type cellKey struct {
		size int64
		conc int
	}
	var cells []cellKey
	seen := map[cellKey]bool{}
	for _, size := range cfg.Sizes {
		for _, conc := range cfg.Concurrency {
			cells = append(cells, cellKey{size, conc})
			seen[cellKey{size, conc}] = true
		}
	}
	for _, size := range cfg.SSESizes {
		for _, conc := range cfg.SSEConcurrency {
			if !seen[cellKey{size, conc}] {
				cells = append(cells, cellKey{size, conc})
			}
		}
	}
	for _, k := range cells {
		var runs []bool // encrypted or not
		if seen[k] {
			runs = append(runs, false)
		}
		if cfg.wantSSE(k.size, k.conc) {
			runs = append(runs, true)
		}
		for _, enc := range runs {
			bucket, what := objects, "PUT then GET"
			if enc {
				bucket, what = sseBucket, "PUT then GET, SSE-S3 bucket"
			}
			fmt.Fprintf(logw, "%s: %s x %d: %s, %s each\n", cfg.Label, formatSize(k.size), k.conc, what, cfg.Duration)
			cell := &loadCell{
				cli: cli, bucket: bucket, prefix: fmt.Sprintf("obj/%s/c%d", formatSize(k.size), k.conc),
				size: k.size, conc: k.conc, duration: cfg.Duration, pattern: pattern,
				pid: cfg.PID, encrypted: enc,
			}
			put, get := cell.run(ctx)
			res.Phases = append(res.Phases, put, get)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
	}

	if cfg.ListKeys > 0 {
		fmt.Fprintf(logw, "%s: filling a bucket with %d keys, then listing it %d times\n", cfg.Label, cfg.ListKeys, cfg.ListPasses)
		lb := "bench-" + runID + "-list"
		if err := createBucket(ctx, cli, lb); err != nil {
			return nil, err
		}
		l := &listBench{cli: cli, bucket: lb, keys: cfg.ListKeys, fillConc: cfg.FillConcurrency, passes: cfg.ListPasses, pid: cfg.PID}
		if cfg.ListRaw {
			l.raw = newRawLister(cfg, 4)
		}
		res.List = l.run(ctx)
	}

	if cfg.Big > 0 {
		fmt.Fprintf(logw, "%s: multipart upload of %s\n", cfg.Label, formatSize(cfg.Big))
		res.Big = (&bigUpload{
			cli: cli, bucket: objects, key: "big/" + formatSize(cfg.Big), size: cfg.Big,
			partSize: cfg.BigPartSize, conc: cfg.BigConcurrency, pid: cfg.PID,
			checksum: cfg.Checksum, pattern: pattern,
		}).run(ctx)
	}

	res.LoadEnd = loadAverage()
	if res.ServerMem != nil {
		if m, err := readStatus(cfg.PID); err == nil {
			res.ServerMem.RSSEnd, res.ServerMem.HWMEnd = m.RSS, m.HWM
		} else {
			res.Notes = append(res.Notes, "server memory at the end unavailable: "+err.Error())
		}
	}
	return res, ctx.Err()
}

func createBucket(ctx context.Context, cli *s3.Client, name string) error {
	if _, err := cli.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		return fmt.Errorf("CreateBucket %s: %w", name, err)
	}
	return nil
}

// emit prints the markdown report and writes it, and the JSON, where asked.
func emit(res *Results, cfg Config, stdout io.Writer) error {
	if err := writeMarkdown(stdout, res); err != nil {
		return err
	}
	if cfg.Out != "" {
		if err := writeFileWith(cfg.Out, func(w io.Writer) error { return writeMarkdown(w, res) }); err != nil {
			return err
		}
	}
	if cfg.JSONOut != "" {
		return writeFileWith(cfg.JSONOut, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(res)
		})
	}
	return nil
}

func writeFileWith(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
