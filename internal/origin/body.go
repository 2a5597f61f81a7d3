package origin

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// idleBody enforces the read timeout on a response body: each Read must get bytes from the
// origin within d ("how long CloudFront waits after receiving a packet of a response before
// receiving the next packet", OriginReadTimeout in DownloadDistValuesOrigin.html). Time the
// caller spends between Reads (a slow viewer) does not count. On expiry the request's
// context is cancelled, which unblocks the Read, and the error wraps ErrTimeout.
type idleBody struct {
	rc       io.ReadCloser
	d        time.Duration
	timer    *time.Timer
	cancel   context.CancelFunc
	timedOut atomic.Bool
	closed   atomic.Bool
}

func newIdleBody(rc io.ReadCloser, d time.Duration, cancel context.CancelFunc) *idleBody {
	b := &idleBody{rc: rc, d: d, cancel: cancel}
	b.timer = time.AfterFunc(d, func() {
		b.timedOut.Store(true)
		cancel()
	})
	b.timer.Stop()
	return b
}

func (b *idleBody) Read(p []byte) (int, error) {
	b.timer.Reset(b.d)
	n, err := b.rc.Read(p)
	b.timer.Stop()
	if err != nil && err != io.EOF && b.timedOut.Load() {
		err = fmt.Errorf("%w: no bytes for %v: %w", ErrTimeout, b.d, err)
	}
	return n, err
}

// Close closes the body and releases the request's context (once).
func (b *idleBody) Close() error {
	if !b.closed.CompareAndSwap(false, true) {
		return nil
	}
	b.timer.Stop()
	err := b.rc.Close()
	b.cancel()
	return err
}
