package main

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// cellKey is one configuration of the benchmark: a source to a width and format.
type cellKey struct {
	source string
	width  int
	format string
}

// record is one measured run: a server (or the floor) doing one cell with some clients. It is
// one line of the raw file:
//
//	run SERVER SOURCE WIDTH FORMAT CLIENTS N DUR_US P50_US P99_US ERRORS OUT_BYTES PEAK_RSS_KIB CPU_S PEAK_FROM
//
// N counts transforms that were checked good (format and width); ERRORS counts the others
// (transport errors, non-200, a cache hit, a wrong format or width). OUT_BYTES is the size of
// the last good answer. CPU_S is the server's CPU time over the run (the floor's: the children's
// rusage). PEAK_FROM is "hwm" (VmHWM reset before the run), "sampled" (largest VmRSS seen every
// 20 ms) or "rusage" (the largest ru_maxrss of the floor's processes).
type record struct {
	server string
	cellKey
	clients          int
	n                int64
	durUS, p50, p99  float64
	errors, outBytes int64
	peakKiB          int64
	cpu              float64
	peakFrom         string
}

func (r record) tps() float64 { return float64(r.n) / (r.durUS / 1e6) }

// cpuPerTransform is the server's CPU seconds per good transform (10 ms resolution over the run).
func (r record) cpuPerTransform() float64 { return r.cpu / float64(r.n) }

func (r record) write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "run %s %s %d %s %d %d %.0f %.0f %.0f %d %d %d %.2f %s\n",
		r.server, r.source, r.width, r.format, r.clients, r.n, r.durUS, r.p50, r.p99,
		r.errors, r.outBytes, r.peakKiB, r.cpu, r.peakFrom)
	return err
}

// attempt is one transform as a client saw it.
type attempt struct {
	latency  time.Duration
	outBytes int
	err      error
}

// loop runs clients goroutines that call do back to back until the duration has passed and at
// least min attempts have finished (so slow cells still get a few samples), then returns every
// attempt and the wall time from the start to the last completion. seq numbers attempts across
// clients from 0, so each request can be made unique; client is the caller's index (0 to
// clients-1), for state of its own.
func loop(clients int, duration time.Duration, min int, do func(client int, seq int64) attempt) ([]attempt, time.Duration) {
	var (
		mu    sync.Mutex
		all   []attempt
		seq   atomic.Int64
		done  atomic.Int64
		last  time.Time
		wg    sync.WaitGroup
		start = time.Now()
	)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < duration || done.Load() < int64(min) {
				a := do(c, seq.Add(1)-1)
				done.Add(1)
				mu.Lock()
				all = append(all, a)
				last = time.Now()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return all, last.Sub(start)
}

// summarise fills the counts and latency percentiles of r from the attempts. Percentiles are
// over good transforms only, by the nearest-rank method.
func summarise(r *record, all []attempt, wall time.Duration) error {
	var lat []time.Duration
	var firstErr error
	for _, a := range all {
		if a.err != nil {
			r.errors++
			if firstErr == nil {
				firstErr = a.err
			}
			continue
		}
		lat = append(lat, a.latency)
		r.outBytes = int64(a.outBytes)
	}
	r.n = int64(len(lat))
	r.durUS = float64(wall.Microseconds())
	if r.n == 0 {
		return fmt.Errorf("no good transform in %d attempts: %w", len(all), firstErr)
	}
	slices.Sort(lat)
	r.p50 = float64(percentile(lat, 50).Microseconds())
	r.p99 = float64(percentile(lat, 99).Microseconds())
	return firstErr
}

// percentile is the nearest-rank percentile of sorted values (p in 1..100).
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}

// check is what every answer must be: the asked format at the asked width.
func check(body []byte, c cellKey) error {
	f, w, _, err := probe(body)
	if err != nil {
		return err
	}
	if f != c.format || w != c.width {
		return fmt.Errorf("answer is %s %d px wide, asked %s %d px", f, w, c.format, c.width)
	}
	return nil
}
