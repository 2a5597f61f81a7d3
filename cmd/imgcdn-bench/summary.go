package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// On a machine shared with other work, one long run measures whatever else ran meanwhile.
// bench/run-s3.sh therefore runs several shorter rounds, alternating the servers, and
// `imgcdn-bench summary` reduces them: per cell, the median and range of ops/s and of server
// CPU per request over the rounds, and the median of the per-round ratio to the baseline
// (each ratio taken between runs made minutes apart, never across rounds).

// runSummary implements `imgcdn-bench summary --baseline LABEL results.json...`.
func runSummary(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("imgcdn-bench summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	baseline := fs.String("baseline", "gofsync", "label of the baseline server's runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("summary: give the results JSON files of every round")
	}
	var runs []*Results
	for _, p := range fs.Args() {
		r, err := loadResults(p)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	var b strings.Builder
	writeSummary(&b, runs, *baseline)
	labels, byLabel := rounds(runs)
	var subjects []*Results
	var base *Results
	for _, l := range labels {
		m := medianResults(byLabel[l])
		if l == *baseline {
			base = m
		} else {
			subjects = append(subjects, m)
		}
	}
	b.WriteString("\nThe tables below compare the medians over the rounds.\n")
	for _, m := range subjects {
		writeSSECost(&b, m)
	}
	writeComparison(&b, subjects, base)
	_, err := io.WriteString(stdout, b.String())
	return err
}

// medianResults condenses the rounds of one label into one Results whose phases hold the
// median ops/s, MiB/s, latencies and server CPU over the rounds (failed requests summed), and
// whose listing and big upload come from the round that ran them.
func medianResults(rs []*Results) *Results {
	m := &Results{Label: rs[0].Label, Mode: rs[0].Mode, Machine: rs[0].Machine}
	seen := map[cellID]bool{}
	for _, r := range rs {
		if m.List == nil && r.List != nil {
			m.List = r.List
		}
		if m.Big == nil && r.Big != nil {
			m.Big = r.Big
		}
		for _, p := range r.Phases {
			id := cellID{p.Op, p.Size, p.Concurrency, p.Encrypted}
			if seen[id] {
				continue
			}
			seen[id] = true
			var ops, mib, p50, p99, cpu []float64
			agg := PhaseResult{Op: p.Op, Size: p.Size, Concurrency: p.Concurrency, Encrypted: p.Encrypted}
			for _, r2 := range rs {
				q, ok := findPhase(r2, id.op, id.size, id.conc, id.encrypted)
				if !ok {
					continue
				}
				agg.Errors += q.Errors
				agg.Ops += q.Ops
				ops, mib = append(ops, q.OpsPerSec), append(mib, q.MiBPerSec)
				p50, p99 = append(p50, q.P50ms), append(p99, q.P99ms)
				if q.ServerCPUms != nil && q.Ops > 0 {
					cpu = append(cpu, *q.ServerCPUms/float64(q.Ops))
				}
			}
			agg.OpsPerSec, agg.MiBPerSec, agg.P50ms, agg.P99ms = median(ops), median(mib), median(p50), median(p99)
			if len(cpu) > 0 {
				// Keep perOp's arithmetic: CPU ms over Ops gives the median ms per request.
				v := median(cpu) * float64(agg.Ops)
				agg.ServerCPUms = &v
			}
			m.Phases = append(m.Phases, agg)
		}
	}
	return m
}

// cellID names one PUT/GET cell of a run.
type cellID struct {
	op        string
	size      int64
	conc      int
	encrypted bool
}

func (c cellID) String() string {
	p := PhaseResult{Op: c.op, Encrypted: c.encrypted}
	return fmt.Sprintf("%s | %s | %d", p.opLabel(), formatSize(c.size), c.conc)
}

// round numbers the runs of each label in order: the i-th run of every label is round i.
func rounds(runs []*Results) (labels []string, byLabel map[string][]*Results) {
	byLabel = map[string][]*Results{}
	for _, r := range runs {
		if _, ok := byLabel[r.Label]; !ok {
			labels = append(labels, r.Label)
		}
		byLabel[r.Label] = append(byLabel[r.Label], r)
	}
	return labels, byLabel
}

func writeSummary(b *strings.Builder, runs []*Results, baseline string) {
	labels, byLabel := rounds(runs)
	base := byLabel[baseline]
	fmt.Fprintf(b, "\n### Every cell over the rounds: median (min-max)\n\n")
	b.WriteString("Ratios are taken within each round (same minutes of the machine), then their median is shown.\n\n")
	fmt.Fprintf(b, "| run | op | size | concurrency | rounds | ops/s | server CPU µs/op | / %s ops/s |\n", baseline)
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, label := range labels {
		rs := byLabel[label]
		var cells []cellID
		seen := map[cellID]bool{}
		for _, r := range rs {
			for _, p := range r.Phases {
				id := cellID{p.Op, p.Size, p.Concurrency, p.Encrypted}
				if !seen[id] {
					seen[id] = true
					cells = append(cells, id)
				}
			}
		}
		for _, id := range cells {
			var ops, cpu, ratios []float64
			for i, r := range rs {
				p, ok := findPhase(r, id.op, id.size, id.conc, id.encrypted)
				if !ok || p.Errors > 0 || p.Ops == 0 {
					continue
				}
				ops = append(ops, p.OpsPerSec)
				if p.ServerCPUms != nil {
					cpu = append(cpu, *p.ServerCPUms*1000/float64(p.Ops))
				}
				if label != baseline && i < len(base) {
					if q, ok := findPhase(base[i], id.op, id.size, id.conc, id.encrypted); ok && q.OpsPerSec > 0 && q.Errors == 0 {
						ratios = append(ratios, p.OpsPerSec/q.OpsPerSec)
					}
				}
			}
			if len(ops) == 0 {
				continue
			}
			ratio := ""
			if len(ratios) > 0 {
				ratio = fmt.Sprintf("%.2fx (%.2f-%.2f)", median(ratios), slices.Min(ratios), slices.Max(ratios))
			}
			fmt.Fprintf(b, "| %s | %s | %d | %s | %s | %s |\n", label, id, len(ops), spread(ops, "%.0f"), spread(cpu, "%.0f"), ratio)
		}
	}
	writeListSummary(b, labels, byLabel)
}

// writeListSummary adds the listing figures of every round that listed.
func writeListSummary(b *strings.Builder, labels []string, byLabel map[string][]*Results) {
	var rows []string
	for _, label := range labels {
		var sdk, raw []float64
		keys := 0
		for _, r := range byLabel[label] {
			if l := r.List; l != nil && l.Error == "" {
				sdk = append(sdk, l.PagesPerSec)
				keys = l.Keys
				if l.Raw != nil && l.Raw.Error == "" {
					raw = append(raw, l.Raw.PagesPerSec)
				}
			}
		}
		if len(sdk) > 0 {
			rows = append(rows, fmt.Sprintf("| %s | %d | aws-sdk-go-v2 | %d | %s |", label, keys, len(sdk), spread(sdk, "%.1f")))
		}
		if len(raw) > 0 {
			rows = append(rows, fmt.Sprintf("| %s | %d | raw signed GET (no XML decoding) | %d | %s |", label, keys, len(raw), spread(raw, "%.1f")))
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n| run | keys | listing client | rounds | pages/s |\n|---|---:|---|---:|---:|\n")
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
}

// spread renders "median (min-max)", or the value alone when there is one, or "n/a".
func spread(xs []float64, format string) string {
	switch len(xs) {
	case 0:
		return "n/a"
	case 1:
		return fmt.Sprintf(format, xs[0])
	}
	return fmt.Sprintf(format+" ("+format+"-"+format+")", median(xs), slices.Min(xs), slices.Max(xs))
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
