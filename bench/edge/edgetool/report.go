package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// servers is the order of every table; imgcdn is compared with the other two.
var servers = []string{"imgcdn", "nginx", "varnish"}

// cell is one wrk configuration: an object at a connection count over a protocol.
type cell struct {
	proto string
	file  string
	conns int
}

// protoSection is one part of the wrk results: the runs of one protocol label of run-edge.sh.
type protoSection struct{ proto, hitsTitle, hitsNote, ratiosTitle string }

// protoSections are the parts of the wrk results: keep-alive HTTP/1.1 in clear text, the same
// over TLS 1.3 (issue 6: "Measure HTTPS too ... against nginx"; Varnish has no TLS), and HTTP
// again with every server's response head padded to the size of imgcdn's (run-edge.sh 5b),
// with nginx copying the large body instead of sendfile (5c), and with imgcdn's hits coming
// from its disk tier (5a).
var protoSections = []protoSection{
	{"http", "Cache hits", "", "Ratios"},
	{"https", "Cache hits over HTTPS", "Keep-alive HTTP/1.1 over TLS 1.3 (the handshake once per connection), same objects and\n" +
		"connection counts, each server's TLS listener; Varnish terminates no TLS and is not in it.\n", "Ratios over HTTPS"},
	{"http-eq", "Cache hits with equal response sizes", "As the first table, small object only, after nginx and Varnish were given an X-Pad header that\n" +
		"makes their response heads as long as imgcdn's (see the setup), so that every server sends the\n" +
		"same bytes per response and wrk does the same reads for each.\n", "Ratios with equal response sizes"},
	{"http-copy", "Large object, nginx without sendfile", "As the first table, large object only, after nginx was reloaded with `sendfile off` and one\n" +
		"1 MiB output buffer: it copies the body in its own write() as imgcdn does, instead of leaving\n" +
		"the copy to wrk's read() on the cores wrk is the bottleneck of (see the setup).\n", "Ratios with nginx without sendfile"},
	{"http-disk", "Disk-tier hits", "The small object only, imgcdn being a second node of the same control plane without a memory\n" +
		"tier (`--cache-mem 0`): every hit comes from its disk tier, read from the page cache, as every\n" +
		"nginx proxy_cache hit is (see the setup).\n", "Ratios of disk-tier hits"},
}

// writeReport prints HEADER (the script's command line and machine facts) and then the tables
// of the raw measurements.
func writeReport(w io.Writer, paths ...string) error {
	f, err := os.Open(paths[0])
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := parseRaw(f)
	if err != nil {
		return err
	}
	if len(paths) > 1 {
		h, err := os.ReadFile(paths[1])
		if err != nil {
			return err
		}
		if _, err := w.Write(h); err != nil {
			return err
		}
	}
	var b strings.Builder
	for _, p := range protoSections {
		if len(r.cells(p.proto)) == 0 {
			continue
		}
		r.hits(&b, p.proto, p.hitsTitle, p.hitsNote)
		r.ratios(&b, p.proto, p.ratiosTitle)
	}
	r.ttfbTable(&b)
	r.memTable(&b)
	r.allRuns(&b)
	_, err = io.WriteString(w, b.String())
	return err
}

func (r *raw) cells(proto string) []cell {
	var cs []cell
	for _, w := range r.runs {
		c := cell{w.proto, w.file, w.conns}
		if c.proto == proto && !slices.Contains(cs, c) {
			cs = append(cs, c)
		}
	}
	return cs
}

func (r *raw) runsOf(c cell, server string) []wrkRun {
	var out []wrkRun
	for _, w := range r.runs {
		if w.proto == c.proto && w.file == c.file && w.conns == c.conns && w.server == server {
			out = append(out, w)
		}
	}
	return out
}

// hits is the table of one protocol's runs under the heading title, note first.
func (r *raw) hits(b *strings.Builder, proto, title, note string) {
	fmt.Fprintf(b, "\n## %s\n\n%s", title, note)
	fmt.Fprintf(b, "Medians over rounds (min-max of requests/s in brackets). CPU is the server's (all its\n")
	fmt.Fprintf(b, "processes) per request; RSS is the server's after the run.\n\n")
	fmt.Fprintf(b, "| object | conns | server | req/s | p50 ms | p99 ms | server CPU µs/req | RSS MiB | errors |\n")
	fmt.Fprintf(b, "|---|---:|---|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range r.cells(proto) {
		for _, s := range servers {
			runs := r.runsOf(c, s)
			if len(runs) == 0 {
				continue
			}
			rps := mapRuns(runs, wrkRun.rps)
			var errs int64
			for _, w := range runs {
				errs += w.errors
			}
			fmt.Fprintf(b, "| %s | %d | %s | %.0f (%.0f-%.0f) | %.2f | %.2f | %.1f | %.0f | %d |\n",
				c.file, c.conns, s, median(rps), slices.Min(rps), slices.Max(rps),
				median(mapRuns(runs, func(w wrkRun) float64 { return w.p50 / 1000 })),
				median(mapRuns(runs, func(w wrkRun) float64 { return w.p99 / 1000 })),
				median(mapRuns(runs, wrkRun.cpuPerReq)),
				median(mapRuns(runs, func(w wrkRun) float64 { return float64(w.rssKiB) / 1024 })),
				errs)
		}
	}
}

// ratios compares imgcdn with each other server that has runs over proto, within each round
// (runs minutes apart at most), then takes the median over rounds. Above 1 is better for
// imgcdn on req/s, worse on p99 and CPU per request.
func (r *raw) ratios(b *strings.Builder, proto, title string) {
	var others, names []string
	for _, s := range servers[1:] {
		if slices.ContainsFunc(r.runs, func(w wrkRun) bool { return w.proto == proto && w.server == s }) {
			others = append(others, s)
			names = append(names, "imgcdn / "+s)
		}
	}
	if len(others) == 0 {
		return
	}
	fmt.Fprintf(b, "\n## %s %s\n\n", title, strings.Join(names, " and "))
	fmt.Fprintf(b, "Taken within each round, median over rounds. req/s above 1 means imgcdn is faster; p99 and\n")
	fmt.Fprintf(b, "CPU per request above 1 mean imgcdn is slower or costlier.\n\n")
	fmt.Fprintf(b, "| object | conns |")
	for _, o := range others {
		fmt.Fprintf(b, " req/s vs %s | p99 vs %s | CPU/req vs %s |", o, o, o)
	}
	fmt.Fprintf(b, "\n|---|---:|%s\n", strings.Repeat("---:|", 3*len(others)))
	for _, c := range r.cells(proto) {
		fmt.Fprintf(b, "| %s | %d", c.file, c.conns)
		for _, other := range others {
			for _, m := range []func(wrkRun) float64{wrkRun.rps, func(w wrkRun) float64 { return w.p99 }, wrkRun.cpuPerReq} {
				fmt.Fprintf(b, " | %s", fmtRatio(r.roundRatios(c, other, m)))
			}
		}
		fmt.Fprintf(b, " |\n")
	}
}

func (r *raw) roundRatios(c cell, other string, m func(wrkRun) float64) []float64 {
	ours := map[int]float64{}
	for _, w := range r.runsOf(c, "imgcdn") {
		ours[w.round] = m(w)
	}
	var out []float64
	for _, w := range r.runsOf(c, other) {
		if v, ok := ours[w.round]; ok && m(w) > 0 {
			out = append(out, v/m(w))
		}
	}
	return out
}

func fmtRatio(rs []float64) string {
	if len(rs) == 0 {
		return "-"
	}
	if len(rs) == 1 {
		return fmt.Sprintf("%.2f", rs[0])
	}
	return fmt.Sprintf("%.2f (%.2f-%.2f)", median(rs), slices.Min(rs), slices.Max(rs))
}

func (r *raw) ttfbTable(b *strings.Builder) {
	origin := r.ttfb["origin"]
	if len(origin) == 0 {
		return
	}
	o := median(origin) * 1000
	fmt.Fprintf(b, "\n## Time to first byte on a miss\n\n")
	fmt.Fprintf(b, "curl's time_starttransfer on a fresh key (new connection each time), small object; the\n")
	fmt.Fprintf(b, "origin row is the origin asked directly. Median of the samples.\n\n")
	fmt.Fprintf(b, "| server | samples | median ms | vs origin direct | added ms |\n|---|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| origin | %d | %.3f | 1.00 | 0 |\n", len(origin), o)
	for _, s := range servers {
		if v := r.ttfb[s]; len(v) > 0 {
			m := median(v) * 1000
			fmt.Fprintf(b, "| %s | %d | %.3f | %.2f | %.3f |\n", s, len(v), m, m/o, m-o)
		}
	}
}

func (r *raw) memTable(b *strings.Builder) {
	if len(r.mem) == 0 {
		return
	}
	fmt.Fprintf(b, "\n## Memory per cached object\n\n")
	fmt.Fprintf(b, "RSS of the server's processes, and the allocated size of its cache directory, before and\n")
	fmt.Fprintf(b, "after caching N distinct copies of the small object (32,369 B) under fresh keys. nginx keeps\n")
	fmt.Fprintf(b, "bodies on disk (only keys in shared memory), Varnish in malloc storage, imgcdn on disk and in\n")
	fmt.Fprintf(b, "its memory tier for objects it admits there.\n\n")
	fmt.Fprintf(b, "| server | objects | RSS before MiB | RSS after MiB | RSS KiB per object | disk KiB per object |\n|---|---:|---:|---:|---:|---:|\n")
	for _, s := range servers {
		for _, m := range r.mem {
			if m.server == s {
				fmt.Fprintf(b, "| %s | %d | %.1f | %.1f | %.1f | %.1f |\n", s, m.n,
					float64(m.rss0)/1024, float64(m.rss1)/1024, float64(m.rss1-m.rss0)/float64(m.n),
					float64(m.disk1-m.disk0)/float64(m.n))
			}
		}
	}
}

func (r *raw) allRuns(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Every run\n\n")
	fmt.Fprintf(b, "| round | object | conns | server | req/s | p50 ms | p99 ms | CPU µs/req | RSS MiB | errors | bytes/req |\n")
	fmt.Fprintf(b, "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, w := range r.runs {
		server := w.server
		if w.proto != "http" {
			server += " (" + w.proto + ")"
		}
		fmt.Fprintf(b, "| %d | %s | %d | %s | %.0f | %.2f | %.2f | %.1f | %.0f | %d | %d |\n",
			w.round, w.file, w.conns, server, w.rps(), w.p50/1000, w.p99/1000, w.cpuPerReq(),
			float64(w.rssKiB)/1024, w.errors, w.bytes/w.requests)
	}
}

func mapRuns(runs []wrkRun, f func(wrkRun) float64) []float64 {
	out := make([]float64, len(runs))
	for i, w := range runs {
		out[i] = f(w)
	}
	return out
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
