package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Server names the script gives, in the order of every table. "imgcdn" is the edge
// (`imgcdn serve`, a distribution with the image optimizer); "engine" is internal/imaging/vips
// behind a bare HTTP handler (bench/image/vipsserve), the edge's transform without its cache;
// "floor" is batched vipsthumbnail and "vips-thumbnail" one `vips thumbnail` process per
// transform (see floor.go).
var servers = []string{"imgcdn", "engine", "imgproxy", "floor", "vips-thumbnail"}

// goalVsFloor is the goal: within 1.3x of the libvips floor.
const goalVsFloor = 1.3

// reference is the issue's imgproxy v4 figures (transforms/s, 2 and 4 clients, "a machine like
// yours"), keyed by source and output, for the 4000x3000 JPEG cells.
var reference = map[cellKey]string{
	{photoName, 300, "jpeg"}:  "38-45",
	{photoName, 300, "webp"}:  "36-39",
	{photoName, 300, "avif"}:  "37-38",
	{photoName, 1200, "jpeg"}: "~20",
	{photoName, 1200, "webp"}: "9-10",
	{photoName, 1200, "avif"}: "9-10",
}

type row struct {
	cellKey
	clients int
}

// writeReport prints HEADER (the script's command line, machine and setup) and then the tables.
func writeReport(w io.Writer, rawPath string, headerPath string) error {
	f, err := os.Open(rawPath)
	if err != nil {
		return err
	}
	defer f.Close()
	recs, err := parseRaw(f)
	if err != nil {
		return err
	}
	if headerPath != "" {
		h, err := os.ReadFile(headerPath)
		if err != nil {
			return err
		}
		if _, err := w.Write(h); err != nil {
			return err
		}
	}
	var b strings.Builder
	t := newTables(recs)
	t.throughput(&b)
	t.details(&b)
	_, err = io.WriteString(w, b.String())
	return err
}

type tables struct {
	rows    []row
	present []string // servers with at least one record, in servers order
	by      map[row]map[string][]record
}

func newTables(recs []record) *tables {
	t := &tables{by: map[row]map[string][]record{}}
	for _, r := range recs {
		k := row{r.cellKey, r.clients}
		if t.by[k] == nil {
			t.by[k] = map[string][]record{}
			t.rows = append(t.rows, k)
		}
		t.by[k][r.server] = append(t.by[k][r.server], r)
	}
	slices.SortStableFunc(t.rows, func(a, b row) int {
		if a.clients != b.clients {
			return a.clients - b.clients
		}
		return slices.Index(sources, a.source) - slices.Index(sources, b.source)
	})
	for _, s := range servers {
		for _, m := range t.by {
			if len(m[s]) > 0 {
				t.present = append(t.present, s)
				break
			}
		}
	}
	return t
}

// ours is the server whose ratios the report gives: the edge when it ran, else the engine.
func (t *tables) ours() string {
	for _, s := range t.present {
		if s == "imgcdn" || s == "engine" {
			return s
		}
	}
	return ""
}

// med is the median over repeated runs of m, and false when the server has no run in the row.
func (t *tables) med(k row, server string, m func(record) float64) (float64, bool) {
	rs := t.by[k][server]
	if len(rs) == 0 {
		return 0, false
	}
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = m(r)
	}
	return median(v), true
}

func (t *tables) throughput(b *strings.Builder) {
	ours := t.ours()
	fmt.Fprintf(b, "\n## Transforms per second\n\n")
	fmt.Fprintf(b, "Each transform checked (HTTP 200, not a cache hit, the asked format at the asked width).\n")
	fmt.Fprintf(b, "Median over rounds. \"%s / imgproxy\" above 1: %s is faster. \"floor / %s\" is how many\n", ours, ours, ours)
	fmt.Fprintf(b, "times more transforms/s the libvips floor (batched vipsthumbnail) does: the goal is at most\n")
	fmt.Fprintf(b, "%.1f. On a busy machine the rates follow the load; CPU per transform does not as much, so\n", goalVsFloor)
	fmt.Fprintf(b, "\"CPU %s / floor\" compares what one transform cost each (the floor's includes its share of\n", ours)
	fmt.Fprintf(b, "libvips' start). The issue's imgproxy v4 reference (2 and 4 clients, another machine) is last.\n\n")
	fmt.Fprintf(b, "| source | output | clients |")
	for _, s := range t.present {
		fmt.Fprintf(b, " %s |", s)
	}
	fmt.Fprintf(b, " %s / imgproxy | floor / %s | CPU %s / floor | issue's imgproxy v4 |\n|---|---|---:|", ours, ours, ours)
	for range t.present {
		fmt.Fprintf(b, "---:|")
	}
	fmt.Fprintf(b, "---:|---:|---:|---:|\n")
	for _, k := range t.rows {
		fmt.Fprintf(b, "| %s | %d px %s | %d |", k.source, k.width, k.format, k.clients)
		for _, s := range t.present {
			if v, ok := t.med(k, s, record.tps); ok {
				fmt.Fprintf(b, " %.1f |", v)
			} else {
				fmt.Fprintf(b, " - |")
			}
		}
		o, okO := t.med(k, ours, record.tps)
		ip, okI := t.med(k, "imgproxy", record.tps)
		fl, okF := t.med(k, "floor", record.tps)
		oc, okOC := t.med(k, ours, record.cpuPerTransform)
		fc, okFC := t.med(k, "floor", record.cpuPerTransform)
		fmt.Fprintf(b, " %s | %s | %s | %s |\n", ratio(o, ip, okO && okI), goal(fl, o, okF && okO),
			ratio(oc, fc, okOC && okFC), refOf(k.cellKey))
	}
}

func ratio(a, b float64, ok bool) string {
	if !ok || b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func goal(floor, ours float64, ok bool) string {
	if !ok || ours == 0 {
		return "-"
	}
	v := floor / ours
	if v <= goalVsFloor {
		return fmt.Sprintf("%.2f (met)", v)
	}
	return fmt.Sprintf("%.2f (not met)", v)
}

func refOf(c cellKey) string {
	if v, ok := reference[c]; ok {
		return v
	}
	return "-"
}

func (t *tables) details(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Latency, memory and CPU\n\n")
	fmt.Fprintf(b, "Medians over rounds. p50/p99 per transform as the client saw it (the batched floor has only\n")
	fmt.Fprintf(b, "its mean per transform). Peak RSS: the server process's during the run (VmHWM reset before\n")
	fmt.Fprintf(b, "it), or the largest of the floor's processes (ru_maxrss). CPU per transform: all threads.\n\n")
	fmt.Fprintf(b, "| source | output | clients | server | transforms/s | p50 ms | p99 ms | peak RSS MiB | CPU ms/transform | output bytes | errors |\n")
	fmt.Fprintf(b, "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, k := range t.rows {
		for _, s := range t.present {
			rs := t.by[k][s]
			if len(rs) == 0 {
				continue
			}
			var errs int64
			for _, r := range rs {
				errs += r.errors
			}
			tps, _ := t.med(k, s, record.tps)
			p50, _ := t.med(k, s, func(r record) float64 { return r.p50 / 1000 })
			p99, _ := t.med(k, s, func(r record) float64 { return r.p99 / 1000 })
			rss, _ := t.med(k, s, func(r record) float64 { return float64(r.peakKiB) / 1024 })
			cpu, _ := t.med(k, s, func(r record) float64 { return r.cpuPerTransform() * 1000 })
			out, _ := t.med(k, s, func(r record) float64 { return float64(r.outBytes) })
			fmt.Fprintf(b, "| %s | %d px %s | %d | %s | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %d |\n",
				k.source, k.width, k.format, k.clients, s, tps, p50, p99, rss, cpu, out, errs)
		}
	}
}

// median of a non-empty slice (mean of the middle two for an even count).
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
