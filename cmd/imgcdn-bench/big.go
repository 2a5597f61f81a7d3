package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// bigUpload uploads one large object with CreateMultipartUpload, UploadPart and
// CompleteMultipartUpload, streaming every part from a generator rather than from memory, while
// the server's RSS is sampled every 100 ms. (The SDK's feature/s3/manager uploader is not a
// dependency of this module; these are the calls it makes.)
type bigUpload struct {
	cli      *s3.Client
	bucket   string
	key      string
	size     int64
	partSize int64
	conc     int
	pid      int
	checksum string
	pattern  []byte
}

func (b *bigUpload) run(ctx context.Context) *BigResult {
	r := &BigResult{Size: b.size, PartSize: b.partSize, Parts: int((b.size + b.partSize - 1) / b.partSize)}
	var sampler *rssSampler
	stopSampling := func() {}
	if b.pid > 0 {
		if m, err := readStatus(b.pid); err == nil {
			r.RSSBefore = m.RSS
		}
		sampler = &rssSampler{pid: b.pid, interval: 100 * time.Millisecond}
		sctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { sampler.Run(sctx); close(done) }()
		stopSampling = func() { cancel(); <-done }
	}
	start := time.Now()
	etag, err := b.upload(ctx, r.Parts)
	elapsed := time.Since(start)
	stopSampling()
	r.Seconds = elapsed.Seconds()
	if err != nil {
		r.Error = err.Error()
	} else {
		r.ETag = etag
		r.MiBPerSec = float64(b.size) / (1 << 20) / elapsed.Seconds()
	}
	if sampler != nil {
		peak, n, serr := sampler.Peak()
		r.RSSPeak, r.RSSSamples = peak, n
		r.RSSGrowth = max(peak-r.RSSBefore, 0)
		if serr != nil && r.Error == "" {
			r.Error = "RSS sampling: " + serr.Error()
		}
	}
	return r
}

func (b *bigUpload) upload(ctx context.Context, parts int) (string, error) {
	create := &s3.CreateMultipartUploadInput{Bucket: aws.String(b.bucket), Key: aws.String(b.key)}
	if b.checksum == checksumWhenSupported {
		// What the SDK's multipart uploader declares when checksums are on.
		create.ChecksumAlgorithm = types.ChecksumAlgorithmCrc32
	}
	mu, err := b.cli.CreateMultipartUpload(ctx, create)
	if err != nil {
		return "", fmt.Errorf("CreateMultipartUpload: %w", err)
	}
	completed, err := b.uploadParts(ctx, mu.UploadId, parts)
	if err != nil {
		// Leave nothing behind on the server; the upload error is what matters.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), requestTimeout)
		_, _ = b.cli.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{
			Bucket: aws.String(b.bucket), Key: aws.String(b.key), UploadId: mu.UploadId,
		})
		cancel()
		return "", err
	}
	out, err := b.cli.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(b.bucket), Key: aws.String(b.key), UploadId: mu.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: completed},
	})
	if err != nil {
		return "", fmt.Errorf("CompleteMultipartUpload: %w", err)
	}
	head, err := b.cli.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(b.key)})
	if err != nil {
		return "", fmt.Errorf("HeadObject after upload: %w", err)
	}
	if got := aws.ToInt64(head.ContentLength); got != b.size {
		return "", fmt.Errorf("uploaded object has %d bytes, want %d", got, b.size)
	}
	return aws.ToString(out.ETag), nil
}

// uploadParts sends parts 1..n with b.conc in flight and returns them in part order.
func (b *bigUpload) uploadParts(ctx context.Context, uploadID *string, n int) ([]types.CompletedPart, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	completed := make([]types.CompletedPart, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range b.conc {
		wg.Go(func() {
			for i := range next {
				off := int64(i) * b.partSize
				size := min(b.partSize, b.size-off)
				rctx, rcancel := context.WithTimeout(ctx, requestTimeout)
				out, err := b.cli.UploadPart(rctx, &s3.UploadPartInput{
					Bucket: aws.String(b.bucket), Key: aws.String(b.key), UploadId: uploadID,
					PartNumber:    aws.Int32(int32(i + 1)),
					Body:          newGenReader(b.pattern, off, size),
					ContentLength: aws.Int64(size),
				})
				rcancel()
				if err != nil {
					cancel(fmt.Errorf("UploadPart %d: %w", i+1, err))
					continue
				}
				completed[i] = types.CompletedPart{
					PartNumber:    aws.Int32(int32(i + 1)),
					ETag:          out.ETag,
					ChecksumCRC32: out.ChecksumCRC32,
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	// The first failed part's error, or the parent's cancellation (Ctrl-C).
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return completed, nil
}
