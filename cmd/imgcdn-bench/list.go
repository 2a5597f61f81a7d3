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
// ListObjectsV2 pages of 1,000 keys, the S3 maximum and what the aws CLI uses.
type listBench struct {
	cli      *s3.Client
	bucket   string
	keys     int
	fillConc int
	passes   int
}

func listKey(i int) string { return fmt.Sprintf("list/%07d", i) }

func (b *listBench) run(ctx context.Context) *ListResult {
	r := &ListResult{Keys: b.keys, Passes: b.passes}
	written, fill := b.fill(ctx, r)
	r.FillSeconds = fill.Seconds()
	if fill > 0 {
		r.FillOpsPerSec = float64(written) / fill.Seconds()
	}
	if ctx.Err() != nil {
		r.Error = ctx.Err().Error()
		return r
	}
	var pages histogram
	start := time.Now()
	for p := 0; p < b.passes; p++ {
		n, err := b.listAll(ctx, &pages, r)
		if err != nil {
			r.Error = err.Error()
			break
		}
		if n != written {
			r.Error = fmt.Sprintf("pass %d listed %d keys, %d were written", p+1, n, written)
			break
		}
	}
	elapsed := time.Since(start)
	r.ListSeconds = elapsed.Seconds()
	if elapsed > 0 {
		r.PagesPerSec = float64(r.Pages) / elapsed.Seconds()
		r.KeysPerSec = float64(r.KeysListed) / elapsed.Seconds()
	}
	r.PageP50ms = ms(pages.Quantile(0.50))
	r.PageP99ms = ms(pages.Quantile(0.99))
	return r
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
func (b *listBench) listAll(ctx context.Context, pages *histogram, r *ListResult) (int, error) {
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
