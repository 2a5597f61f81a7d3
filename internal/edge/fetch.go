package edge

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// originAnswer is an origin response with the context that bounds reading it.
type originAnswer struct {
	resp   *http.Response
	cancel context.CancelFunc
	err    error
}

// discard closes an answer that will not be used.
func (a *originAnswer) discard() {
	if a.resp != nil {
		_ = a.resp.Body.Close()
	}
	if a.cancel != nil {
		a.cancel()
	}
}

// fetch asks the behaviour's origin, failing over to the next member of an origin group on a
// connection error or one of the group's status codes (only for GET, HEAD and OPTIONS, as
// CloudFront).
func (rq *request) fetch(ctx context.Context, method string, hdr http.Header, query string, body io.Reader) (*originAnswer, error) {
	b := rq.behavior
	var lastErr error
	for i, t := range b.targets {
		last := i == len(b.targets)-1
		var began time.Time
		if !rq.start.IsZero() {
			began = time.Now()
		}
		resp, err := rq.h.cfg.Fetcher.Fetch(ctx, t.ForViewer(rq.https), method, rq.path, query, hdr, body)
		if !began.IsZero() {
			rq.upstreamFBL = time.Since(began)
		}
		if err == nil && (last || !b.failoverOn[resp.StatusCode]) {
			return &originAnswer{resp: resp}, nil
		}
		if err == nil {
			_ = resp.Body.Close()
			lastErr = errors.New("edge: origin answered " + resp.Status)
		} else {
			lastErr = err
		}
		if body != nil || (method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions) {
			break
		}
	}
	return nil, lastErr
}

// copyBufferSize is the size of the pooled copy buffers: big enough to keep syscalls per
// megabyte low, small enough to keep thousands of concurrent copies cheap.
const copyBufferSize = 64 << 10

// copyBuffer returns a pooled copy buffer; put it back in h.bufs.
func (h *Handler) copyBuffer() *[]byte {
	if bp, _ := h.bufs.Get().(*[]byte); bp != nil {
		return bp
	}
	b := make([]byte, copyBufferSize)
	return &b
}

// copyBuffered copies with a pooled buffer.
func (h *Handler) copyBuffered(dst io.Writer, src io.Reader) (int64, error) {
	bp := h.copyBuffer()
	defer h.bufs.Put(bp)
	return io.CopyBuffer(dst, src, *bp)
}

// originFailure maps an origin error to the viewer's status: 504 for timeouts, 502 for
// everything else (CloudFront's "origin is unreachable" answers).
func originFailure(err error) (int, string) {
	var timeout interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &timeout) && timeout.Timeout()) {
		return http.StatusGatewayTimeout, "The origin did not answer in time."
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return http.StatusBadGateway, "The edge could not connect to the origin (" + msg + ")."
}
