package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// refRange is a reference figure from the issue, given there as a range.
type refRange struct{ lo, hi float64 }

func (r refRange) String() string {
	if r.lo == r.hi {
		return fmt.Sprintf("%.0f", r.lo)
	}
	return fmt.Sprintf("%.0f-%.0f", r.lo, r.hi)
}

// ratio renders v against the range as "v/hi-v/lo x".
func (r refRange) ratio(v float64) string {
	if r.lo == r.hi {
		return fmt.Sprintf("%.2fx", v/r.lo)
	}
	return fmt.Sprintf("%.2f-%.2fx", v/r.hi, v/r.lo)
}

// Reference figures quoted by issue 2 for "a machine like yours" (32 KiB objects, concurrency
// 16-64). They were not measured by this tool and are printed as references only.
var (
	minioPut32K   = refRange{1000, 1150}
	minioGet32K   = refRange{3800, 4200}
	minioListPPS  = refRange{52, 52}
	minioRSSMiB   = refRange{550, 950}
	gofsyncPut32K = refRange{2600, 4200}
	gofsyncGet32K = refRange{11000, 13700}
)

// Goals of issue 2, relative to MinIO's reference figures.
const (
	goalPutGetVsMinio = 2.0
	goalListVsMinio   = 3.0
)

// runCompare implements `imgcdn-bench compare [--baseline b.json] [--out f.md] a.json...`.
func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("imgcdn-bench compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	baseline := fs.String("baseline", "", "JSON results of the baseline server (bench/gofsync)")
	out := fs.String("out", "", "also write the comparison here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("compare: give at least one results JSON file")
	}
	var base *Results
	if *baseline != "" {
		b, err := loadResults(*baseline)
		if err != nil {
			return err
		}
		base = b
	}
	var subjects []*Results
	for _, p := range fs.Args() {
		r, err := loadResults(p)
		if err != nil {
			return err
		}
		subjects = append(subjects, r)
	}
	var b strings.Builder
	writeComparison(&b, subjects, base)
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return err
	}
	if *out != "" {
		return os.WriteFile(*out, []byte(b.String()), 0o644)
	}
	return nil
}

func loadResults(path string) (*Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

func findPhase(r *Results, op string, size int64, conc int, encrypted bool) (PhaseResult, bool) {
	for _, p := range r.Phases {
		if p.Op == op && p.Size == size && p.Concurrency == conc && p.Encrypted == encrypted {
			return p, true
		}
	}
	return PhaseResult{}, false
}

// writeComparison renders the measured ratios against the baseline, then every subject and the
// baseline against the reference figures.
func writeComparison(b *strings.Builder, subjects []*Results, base *Results) {
	if base != nil {
		for _, s := range subjects {
			fmt.Fprintf(b, "\n### %s / %s, both measured here with the same generator\n\n", s.Label, base.Label)
			fmt.Fprintf(b, "- %s client: %s\n- %s client: %s\n\n", s.Label, s.Mode, base.Label, base.Mode)
			fmt.Fprintf(b, "| op | size | concurrency | %s ops/s | %s ops/s | ratio | %s p99 ms | %s p99 ms | %s server CPU µs/op | %s server CPU µs/op |\n",
				s.Label, base.Label, s.Label, base.Label, s.Label, base.Label)
			b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
			for _, p := range s.Phases {
				q, ok := findPhase(base, p.Op, p.Size, p.Concurrency, p.Encrypted)
				if !ok || q.OpsPerSec == 0 {
					continue
				}
				fmt.Fprintf(b, "| %s | %s | %d | %.0f | %.0f | %s | %.2f | %.2f | %s | %s |\n",
					p.opLabel(), formatSize(p.Size), p.Concurrency, p.OpsPerSec, q.OpsPerSec, ratioCell(p, q), p.P99ms, q.P99ms,
					perOp(p.ServerCPUms, p.Ops), perOp(q.ServerCPUms, q.Ops))
			}
		}
	}

	b.WriteString("\n### Against the issue's reference figures (reference numbers quoted by the issue, not measured here)\n\n")
	b.WriteString("| run | metric | measured | reference | ratio | goal |\n")
	b.WriteString("|---|---|---:|---:|---:|---|\n")
	for _, s := range subjects {
		for _, conc := range []int{16, 64} {
			for _, ref := range []struct {
				op string
				r  refRange
			}{{"PUT", minioPut32K}, {"GET", minioGet32K}} {
				if p, ok := findPhase(s, ref.op, 32<<10, conc, false); ok {
					fmt.Fprintf(b, "| %s | %s 32KiB c%d ops/s | %.0f%s | MinIO %s | %s | >= %.0fx MinIO |\n",
						s.Label, ref.op, conc, p.OpsPerSec, errNote(p.Errors), ref.r, ref.r.ratio(p.OpsPerSec), goalPutGetVsMinio)
				}
			}
		}
		if l := s.List; l != nil && l.Error == "" {
			fmt.Fprintf(b, "| %s | listing %d keys, pages/s (aws-sdk-go-v2 client) | %.1f | MinIO %s (100,000 keys) | %s | >= %.0fx MinIO |\n",
				s.Label, l.Keys, l.PagesPerSec, minioListPPS, minioListPPS.ratio(l.PagesPerSec), goalListVsMinio)
		}
		if l := s.List; l != nil && l.Raw != nil && l.Raw.Error == "" {
			fmt.Fprintf(b, "| %s | listing %d keys, pages/s (raw signed GET, no XML decoding) | %.1f | MinIO %s (100,000 keys) | %s | (server capacity; not like for like) |\n",
				s.Label, l.Keys, l.Raw.PagesPerSec, minioListPPS, minioListPPS.ratio(l.Raw.PagesPerSec))
		}
		if g := s.Big; g != nil && g.RSSSamples > 0 {
			peak := float64(g.RSSPeak) / (1 << 20)
			fmt.Fprintf(b, "| %s | peak RSS during %s upload, MiB | %.0f | MinIO %s | %s | growth < 100 MiB (issue: 5 GiB upload) |\n",
				s.Label, formatSize(g.Size), peak, minioRSSMiB, minioRSSMiB.ratio(peak))
			fmt.Fprintf(b, "| %s | RSS growth during %s upload, MiB | %.0f | | | < 100 MiB |\n",
				s.Label, formatSize(g.Size), float64(g.RSSGrowth)/(1<<20))
		}
	}
	if base != nil {
		for _, conc := range []int{16, 64} {
			if p, ok := findPhase(base, "PUT", 32<<10, conc, false); ok {
				fmt.Fprintf(b, "| %s | PUT 32KiB c%d ops/s | %.0f | issue's Go fsync server %s | %s | (machine check) |\n",
					base.Label, conc, p.OpsPerSec, gofsyncPut32K, gofsyncPut32K.ratio(p.OpsPerSec))
			}
			if p, ok := findPhase(base, "GET", 32<<10, conc, false); ok {
				fmt.Fprintf(b, "| %s | GET 32KiB c%d ops/s | %.0f | issue's Go fsync server %s | %s | (machine check) |\n",
					base.Label, conc, p.OpsPerSec, gofsyncGet32K, gofsyncGet32K.ratio(p.OpsPerSec))
			}
		}
	}
}

// ratioCell is subject/baseline ops/s, flagged when either side had failed requests: a rate
// with errors in it is not comparable.
func ratioCell(p, q PhaseResult) string {
	r := fmt.Sprintf("%.2fx", p.OpsPerSec/q.OpsPerSec)
	if p.Errors+q.Errors > 0 {
		r += fmt.Sprintf(" (%d errors)", p.Errors+q.Errors)
	}
	return r
}

func errNote(n uint64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d errors)", n)
}
