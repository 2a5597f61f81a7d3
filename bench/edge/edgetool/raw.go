package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The script appends one line per measurement to a raw file; fields are separated by spaces:
//
//	wrk ROUND SERVER FILE CONNS REQUESTS DURATION_US P50_US P99_US ERRORS BYTES CPU0_S CPU1_S RSS_KIB [PROTO]
//	ttfb SERVER SECONDS          (one sample of curl's time_starttransfer on a fresh key)
//	mem SERVER N RSS0_KIB RSS1_KIB DISK0_KIB DISK1_KIB
//
// ERRORS counts wrk's socket errors and non-2xx answers; CPU0/CPU1 are the server tree's CPU
// seconds before and after the run; PROTO is "http" (the default, for raw files written before
// the HTTPS part existed), "https" (TLS 1.3 to the same server process on its TLS listener)
// "http-eq" (HTTP again, every response head padded to the length of imgcdn's), "http-copy"
// (HTTP again, nginx without sendfile) or "http-disk" (HTTP, imgcdn an edge node without a
// memory tier);
// SERVER "origin" in ttfb lines is the origin asked directly.

type wrkRun struct {
	round           int
	proto           string // one of protoSections' (http, https, http-eq, http-copy, http-disk)
	server, file    string
	conns           int
	requests        int64
	durUS, p50, p99 float64
	errors, bytes   int64
	cpu0, cpu1      float64
	rssKiB          int64
}

func (r wrkRun) rps() float64 { return float64(r.requests) / (r.durUS / 1e6) }

// cpuPerReq is the server's CPU microseconds per request (10 ms resolution over the run).
func (r wrkRun) cpuPerReq() float64 { return (r.cpu1 - r.cpu0) * 1e6 / float64(r.requests) }

type memRun struct {
	server     string
	n          int
	rss0, rss1 int64
	// disk0 and disk1 are the cache directory's allocated KiB (du -sk), 0 without one.
	disk0, disk1 int64
}

type raw struct {
	runs []wrkRun
	ttfb map[string][]float64
	mem  []memRun
}

func parseRaw(r io.Reader) (*raw, error) {
	out := &raw{ttfb: map[string][]float64{}}
	sc := bufio.NewScanner(r)
	for ln := 1; sc.Scan(); ln++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		var err error
		switch {
		case f[0] == "wrk" && (len(f) == 14 || len(f) == 15):
			w := wrkRun{proto: "http"}
			w.server, w.file = f[2], f[3]
			if len(f) == 15 {
				w.proto = f[14]
			}
			err = scanNums(f, map[int]any{1: &w.round, 4: &w.conns, 5: &w.requests, 6: &w.durUS,
				7: &w.p50, 8: &w.p99, 9: &w.errors, 10: &w.bytes, 11: &w.cpu0, 12: &w.cpu1, 13: &w.rssKiB})
			if err == nil && (w.requests <= 0 || w.durUS <= 0) {
				err = fmt.Errorf("a run with %d requests in %v µs", w.requests, w.durUS)
			}
			if err == nil && !slices.ContainsFunc(protoSections, func(p protoSection) bool { return p.proto == w.proto }) {
				err = fmt.Errorf("protocol %q, want one of run-edge.sh's (http, https, http-eq, http-copy, http-disk)", w.proto)
			}
			out.runs = append(out.runs, w)
		case f[0] == "ttfb" && len(f) == 3:
			var s float64
			err = scanNums(f, map[int]any{2: &s})
			out.ttfb[f[1]] = append(out.ttfb[f[1]], s)
		case f[0] == "mem" && len(f) == 7:
			m := memRun{server: f[1]}
			err = scanNums(f, map[int]any{2: &m.n, 3: &m.rss0, 4: &m.rss1, 5: &m.disk0, 6: &m.disk1})
			if err == nil && m.n <= 0 {
				err = fmt.Errorf("no objects")
			}
			out.mem = append(out.mem, m)
		default:
			err = fmt.Errorf("unknown record")
		}
		if err != nil {
			return nil, fmt.Errorf("raw line %d %q: %w", ln, sc.Text(), err)
		}
	}
	return out, sc.Err()
}

// scanNums parses the fields at the given indexes into *int, *int64 or *float64.
func scanNums(f []string, dst map[int]any) error {
	for i, p := range dst {
		var err error
		switch p := p.(type) {
		case *int:
			*p, err = strconv.Atoi(f[i])
		case *int64:
			*p, err = strconv.ParseInt(f[i], 10, 64)
		case *float64:
			*p, err = strconv.ParseFloat(f[i], 64)
		}
		if err != nil {
			return fmt.Errorf("field %d: %w", i+1, err)
		}
	}
	return nil
}
