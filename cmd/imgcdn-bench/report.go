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
		b.WriteString("| op | size | concurrency | ops/s | MiB/s | p50 ms | p99 ms | requests | errors |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, p := range r.Phases {
			fmt.Fprintf(&b, "| %s | %s | %d | %.0f | %.1f | %.2f | %.2f | %d | %d |\n",
				p.Op, formatSize(p.Size), p.Concurrency, p.OpsPerSec, p.MiBPerSec, p.P50ms, p.P99ms, p.Ops, p.Errors)
		}
		for _, p := range r.Phases {
			if p.FirstError != "" {
				fmt.Fprintf(&b, "\n%s %s c%d first error: %s\n", p.Op, formatSize(p.Size), p.Concurrency, oneLine(p.FirstError))
			}
		}
	}

	if l := r.List; l != nil {
		fmt.Fprintf(&b, "\n### Listing a %d-key bucket (ListObjectsV2, 1,000 keys a page)\n\n", l.Keys)
		b.WriteString("| fill s | fill PUT/s | fill errors | passes | pages | pages/s | keys/s | page p50 ms | page p99 ms |\n")
		b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		fmt.Fprintf(&b, "| %.1f | %.0f | %d | %d | %d | %.1f | %.0f | %.2f | %.2f |\n",
			l.FillSeconds, l.FillOpsPerSec, l.FillErrors, l.Passes, l.Pages, l.PagesPerSec, l.KeysPerSec, l.PageP50ms, l.PageP99ms)
		if l.Error != "" {
			fmt.Fprintf(&b, "\nListing error: %s\n", oneLine(l.Error))
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
