package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// requestTimeout bounds one request so that a stuck server ends a phase with errors instead of
// hanging the bench.
const requestTimeout = 2 * time.Minute

// worker is one goroutine's tally during a phase.
type worker struct {
	hist     histogram
	ok, errs uint64
	firstErr error
	written  int // PUT phase: keys 0..written-1 of this worker exist
}

func (w *worker) fail(err error) {
	w.errs++
	if w.firstErr == nil {
		w.firstErr = err
	}
}

// loadCell is one size x concurrency cell of the PUT/GET benchmark.
type loadCell struct {
	cli      *s3.Client
	bucket   string
	prefix   string
	size     int64
	conc     int
	duration time.Duration
	pattern  []byte
	// pid is the server's, for its CPU use (0: not measured).
	pid int
	// encrypted says the bucket encrypts by default, for the report.
	encrypted bool
}

func (c *loadCell) key(w, i int) string {
	return fmt.Sprintf("%s/w%03d/%08d", c.prefix, w, i)
}

// run runs the PUT phase, then a GET phase that reads back, at random, the keys the PUT phase
// wrote, so GETs hit objects of exactly this size.
func (c *loadCell) run(ctx context.Context) (put, get PhaseResult) {
	workers, elapsed, cpu := c.phase(ctx, c.put)
	put = c.summarize("PUT", workers, elapsed, cpu)
	counts := make([]int, len(workers))
	for i, w := range workers {
		counts[i] = w.written
	}
	if sum(counts) == 0 {
		get = PhaseResult{Op: "GET", Size: c.size, Concurrency: c.conc, Encrypted: c.encrypted, FirstError: "no object was written"}
		return put, get
	}
	picker := newKeyPicker(counts)
	workers, elapsed, cpu = c.phase(ctx, func(ctx context.Context, wi int, w *worker, rng *rand.Rand) {
		c.get(ctx, picker, w, rng)
	})
	return put, c.summarize("GET", workers, elapsed, cpu)
}

// phase runs op in c.conc goroutines until c.duration has passed, and returns their tallies,
// the time until the last one finished its last request and the CPU used meanwhile.
func (c *loadCell) phase(ctx context.Context, op func(context.Context, int, *worker, *rand.Rand)) ([]*worker, time.Duration, *cpuMeter) {
	workers := make([]*worker, c.conc)
	cpu := startCPU(c.pid)
	start := time.Now()
	deadline := start.Add(c.duration)
	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{}
		workers[i] = w
		rng := rand.New(rand.NewPCG(uint64(i), uint64(c.size)))
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				op(ctx, i, w, rng)
			}
		})
	}
	wg.Wait()
	return workers, time.Since(start), cpu
}

func (c *loadCell) put(ctx context.Context, wi int, w *worker, _ *rand.Rand) {
	i := w.written
	// A different pattern offset per object: no two consecutive bodies are identical.
	body := newGenReader(c.pattern, int64(wi)*7919+int64(i)*104729, c.size)
	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	t0 := time.Now()
	out, err := c.cli.PutObject(rctx, &s3.PutObjectInput{
		Bucket:        aws.String(c.bucket),
		Key:           aws.String(c.key(wi, i)),
		Body:          body,
		ContentLength: aws.Int64(c.size),
		ContentType:   aws.String("application/octet-stream"),
	})
	if err != nil {
		w.fail(err)
		return
	}
	if c.encrypted && out.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		// A server that ignored the bucket's default encryption must not pass for a fast one.
		w.fail(fmt.Errorf("PUT %s: x-amz-server-side-encryption %q, want AES256", c.key(wi, i), out.ServerSideEncryption))
		return
	}
	w.hist.Record(time.Since(t0))
	w.ok++
	w.written++
}

func (c *loadCell) get(ctx context.Context, p *keyPicker, w *worker, rng *rand.Rand) {
	wi, i := p.pick(rng)
	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	t0 := time.Now()
	out, err := c.cli.GetObject(rctx, &s3.GetObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(c.key(wi, i))})
	if err != nil {
		w.fail(err)
		return
	}
	// Latency includes reading the whole body: that is what a client waits for.
	n, err := io.Copy(io.Discard, out.Body)
	out.Body.Close()
	if err != nil {
		w.fail(err)
		return
	}
	if n != c.size {
		w.fail(fmt.Errorf("GET %s: read %d bytes, want %d", c.key(wi, i), n, c.size))
		return
	}
	w.hist.Record(time.Since(t0))
	w.ok++
}

func (c *loadCell) summarize(op string, workers []*worker, elapsed time.Duration, cpu *cpuMeter) PhaseResult {
	var h histogram
	r := PhaseResult{Op: op, Size: c.size, Concurrency: c.conc, Seconds: elapsed.Seconds(), Encrypted: c.encrypted}
	r.ServerCPUms, r.ClientCPUms = cpu.stop()
	for _, w := range workers {
		h.Merge(&w.hist)
		r.Ops += w.ok
		r.Errors += w.errs
		if w.firstErr != nil && r.FirstError == "" {
			r.FirstError = w.firstErr.Error()
		}
	}
	if elapsed > 0 {
		r.OpsPerSec = float64(r.Ops) / elapsed.Seconds()
		r.MiBPerSec = r.OpsPerSec * float64(c.size) / (1 << 20)
	}
	r.P50ms = ms(h.Quantile(0.50))
	r.P99ms = ms(h.Quantile(0.99))
	return r
}

// keyPicker draws uniformly among the keys the PUT phase wrote, given how many each worker
// wrote.
type keyPicker struct {
	ends []int // ends[w] = keys written by workers 0..w
}

func newKeyPicker(counts []int) *keyPicker {
	p := &keyPicker{ends: make([]int, len(counts))}
	total := 0
	for i, n := range counts {
		total += n
		p.ends[i] = total
	}
	return p
}

func (p *keyPicker) pick(rng *rand.Rand) (w, i int) {
	r := rng.IntN(p.ends[len(p.ends)-1])
	w = sort.SearchInts(p.ends, r+1)
	start := 0
	if w > 0 {
		start = p.ends[w-1]
	}
	return w, r - start
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
