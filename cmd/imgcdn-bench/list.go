package main

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// listBench fills a bucket with many empty or one-byte objects, then walks it with
// ListObjectsV2 pages of 1,000 keys, the S3 maximum and what the aws CLI uses: with the SDK,
// and, when raw is set, with raw signed GETs too, one walk of each in turn so that both see the
// same machine.
type listBench struct {
	cli      *s3.Client
	raw      *rawLister
	bucket   string
	keys     int
	fillConc int
	passes   int
	pid      int // server, for its CPU use
}

func listKey(i int) string { return fmt.Sprintf("list/%07d", i) }

func (b *listBench) run(ctx context.Context) *ListResult {
	r := &ListResult{Keys: b.keys}
	written, fill := b.fill(ctx, r)
	r.FillSeconds = fill.Seconds()
	if fill > 0 {
		r.FillOpsPerSec = float64(written) / fill.Seconds()
	}
	if ctx.Err() != nil {
		r.Error = ctx.Err().Error()
		return r
	}
	sdk := walkTally{w: &r.ListWalk}
	var raw walkTally
	if b.raw != nil {
		r.Raw = &ListWalk{}
		raw.w = r.Raw
	}
	for p := 0; p < b.passes; p++ {
		sdk.pass(ctx, b.pid, written, func(w *ListWalk) (int, error) { return b.listAll(ctx, &sdk.pages, w) })
		if raw.w != nil {
			raw.pass(ctx, b.pid, written, func(w *ListWalk) (int, error) { return b.raw.walk(ctx, b.bucket, &raw.pages, w) })
		}
	}
	sdk.finish()
	if raw.w != nil {
		raw.finish()
	}
	return r
}

// walkTally accumulates the walks of one client kind.
type walkTally struct {
	w       *ListWalk
	pages   histogram
	elapsed time.Duration
}

// pass runs one complete walk unless an earlier one failed, and checks it saw every key.
func (t *walkTally) pass(ctx context.Context, pid, written int, walk func(*ListWalk) (int, error)) {
	if t.w.Error != "" || ctx.Err() != nil {
		return
	}
	cpu := startCPU(pid)
	start := time.Now()
	n, err := walk(t.w)
	t.elapsed += time.Since(start)
	server, client := cpu.stop()
	t.w.ClientCPUms += client
	if server != nil {
		if t.w.ServerCPUms == nil {
			t.w.ServerCPUms = new(float64)
		}
		*t.w.ServerCPUms += *server
	}
	t.w.Passes++
	switch {
	case err != nil:
		t.w.Error = err.Error()
	case n != written:
		t.w.Error = fmt.Sprintf("pass %d listed %d keys, %d were written", t.w.Passes, n, written)
	}
}

func (t *walkTally) finish() {
	t.w.ListSeconds = t.elapsed.Seconds()
	if t.elapsed > 0 {
		t.w.PagesPerSec = float64(t.w.Pages) / t.elapsed.Seconds()
		t.w.KeysPerSec = float64(t.w.KeysListed) / t.elapsed.Seconds()
	}
	t.w.PageP50ms = ms(t.pages.Quantile(0.50))
	t.w.PageP99ms = ms(t.pages.Quantile(0.99))
}

// fill PUTs b.keys objects with b.fillConc goroutines and returns how many succeeded and how
// long it took. Object i has i%2 bytes: a mix of empty and one-byte bodies.
func (b *listBench) fill(ctx context.Context, r *ListResult) (int, time.Duration) {
	var next, ok, errs atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range b.fillConc {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= b.keys {
					return
				}
				body := bytes.NewReader([]byte("x")[:i%2])
				rctx, cancel := context.WithTimeout(ctx, requestTimeout)
				_, err := b.cli.PutObject(rctx, &s3.PutObjectInput{
					Bucket: aws.String(b.bucket), Key: aws.String(listKey(i)),
					Body: body, ContentLength: aws.Int64(int64(i % 2)),
				})
				cancel()
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	r.FillErrors = uint64(errs.Load())
	if s, _ := firstErr.Load().(string); s != "" {
		r.Error = "fill: " + s
	}
	return int(ok.Load()), elapsed
}

// listAll walks the whole bucket once and returns the number of keys seen.
func (b *listBench) listAll(ctx context.Context, pages *histogram, r *ListWalk) (int, error) {
	n := 0
	in := &s3.ListObjectsV2Input{Bucket: aws.String(b.bucket), MaxKeys: aws.Int32(1000)}
	for {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		t0 := time.Now()
		out, err := b.cli.ListObjectsV2(rctx, in)
		cancel()
		if err != nil {
			return n, fmt.Errorf("ListObjectsV2 after %d keys: %w", n, err)
		}
		pages.Record(time.Since(t0))
		r.Pages++
		r.KeysListed += len(out.Contents)
		n += len(out.Contents)
		if !aws.ToBool(out.IsTruncated) {
			return n, nil
		}
		if aws.ToString(out.NextContinuationToken) == "" {
			return n, fmt.Errorf("truncated page without NextContinuationToken after %d keys", n)
		}
		in.ContinuationToken = out.NextContinuationToken
	}
}
