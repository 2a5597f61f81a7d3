package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// writeMarkdown renders r as the markdown section the bench prints and writes to --out.
func writeMarkdown(w io.Writer, r *Results) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## S3 bench: %s\n\n", r.Label)
	fmt.Fprintf(&b, "- Date: %s\n", r.Date.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "- Machine: %s\n", r.Machine)
	fmt.Fprintf(&b, "- Command: `%s`\n", r.Command)
	fmt.Fprintf(&b, "- Endpoint: %s\n", r.Endpoint)
	fmt.Fprintf(&b, "- Client: aws-sdk-go-v2, %s\n", r.Mode)
	if r.LoadStart != "" || r.LoadEnd != "" {
		fmt.Fprintf(&b, "- Load average (1, 5, 15 min): %s at start, %s at end, on %d CPUs\n", r.LoadStart, r.LoadEnd, r.Machine.CPUs)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- Note: %s\n", n)
	}

	if len(r.Phases) > 0 {
		b.WriteString("\n### PUT and GET\n\n")
		b.WriteString("CPU columns: CPU time (user+system, all threads) per request, in microseconds, of the server and of this generator; unlike ops/s they hardly change with the machine's load.\n\n")
		b.WriteString("| op | size | concurrency | ops/s | MiB/s | p50 ms | p99 ms | requests | errors | server CPU µs/op | client CPU µs/op |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, p := range r.Phases {
			fmt.Fprintf(&b, "| %s | %s | %d | %.0f | %.1f | %.2f | %.2f | %d | %d | %s | %s |\n",
				p.opLabel(), formatSize(p.Size), p.Concurrency, p.OpsPerSec, p.MiBPerSec, p.P50ms, p.P99ms, p.Ops, p.Errors,
				perOp(p.ServerCPUms, p.Ops), perOp(&p.ClientCPUms, p.Ops))
		}
		for _, p := range r.Phases {
			if p.FirstError != "" {
				fmt.Fprintf(&b, "\n%s %s c%d first error: %s\n", p.opLabel(), formatSize(p.Size), p.Concurrency, oneLine(p.FirstError))
			}
		}
		writeSSECost(&b, r)
	}

	if l := r.List; l != nil {
		fmt.Fprintf(&b, "\n### Listing a %d-key bucket (ListObjectsV2, 1,000 keys a page, one page at a time)\n\n", l.Keys)
		fmt.Fprintf(&b, "Filled in %.1f s (%.0f PUT/s, %d errors). The SDK client decodes every page with aws-sdk-go-v2; the raw client sends the same signed GETs and reads each body whole, but only counts `<Key>` and picks out the continuation token, so its figure is close to what the server alone sustains.\n\n",
			l.FillSeconds, l.FillOpsPerSec, l.FillErrors)
		b.WriteString("| client | passes | pages | pages/s | keys/s | page p50 ms | page p99 ms | server CPU ms/page | client CPU ms/page |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		walks := []struct {
			name string
			w    *ListWalk
		}{{"aws-sdk-go-v2", &l.ListWalk}, {"raw signed GET (no XML decoding)", l.Raw}}
		for _, x := range walks {
			if x.w == nil {
				continue
			}
			w := x.w
			fmt.Fprintf(&b, "| %s | %d | %d | %.1f | %.0f | %.2f | %.2f | %s | %s |\n",
				x.name, w.Passes, w.Pages, w.PagesPerSec, w.KeysPerSec, w.PageP50ms, w.PageP99ms,
				perPage(w.ServerCPUms, w.Pages), perPage(&w.ClientCPUms, w.Pages))
		}
		for _, x := range walks {
			if x.w != nil && x.w.Error != "" {
				fmt.Fprintf(&b, "\nListing error (%s): %s\n", x.name, oneLine(x.w.Error))
			}
		}
	}

	if g := r.Big; g != nil {
		fmt.Fprintf(&b, "\n### Multipart upload of %s (%d parts of %s), server RSS sampled every 100 ms\n\n",
			formatSize(g.Size), g.Parts, formatSize(g.PartSize))
		b.WriteString("| seconds | MiB/s | RSS before | peak RSS | RSS growth | samples |\n")
		b.WriteString("|---:|---:|---:|---:|---:|---:|\n")
		fmt.Fprintf(&b, "| %.1f | %.1f | %s | %s | %s | %d |\n",
			g.Seconds, g.MiBPerSec, rssCell(g.RSSBefore, g.RSSSamples), rssCell(g.RSSPeak, g.RSSSamples),
			rssCell(g.RSSGrowth, g.RSSSamples), g.RSSSamples)
		if g.Error != "" {
			fmt.Fprintf(&b, "\nUpload error: %s\n", oneLine(g.Error))
		}
	}

	if m := r.ServerMem; m != nil {
		fmt.Fprintf(&b, "\nServer memory: RSS %s at start, %s at end; peak over the server's life (VmHWM) %s.\n",
			formatBytes(m.RSSStart), formatBytes(m.RSSEnd), formatBytes(m.HWMEnd))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// perPage renders CPU milliseconds spread over n pages as milliseconds per page, or "n/a".
func perPage(cpuMs *float64, n int) string {
	if cpuMs == nil || n == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", *cpuMs/float64(n))
}

func rssCell(v int64, samples int) string {
	if samples == 0 {
		return "n/a"
	}
	return formatBytes(v)
}

// oneLine keeps an error message on one markdown line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
