package metrics

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imgcdn/imgcdn/internal/origin"
	"github.com/prometheus/client_golang/prometheus"
)

// Fetcher makes origin requests. It has edge.Fetcher's method set, declared here so that
// metrics does not import the edge; *OriginFetcher satisfies both.
type Fetcher interface {
	Fetch(ctx context.Context, t origin.Target, method, path, rawQuery string, h http.Header, body io.Reader) (*http.Response, error)
}

type originMetrics struct {
	requests  *prometheus.CounterVec
	bytes     *prometheus.CounterVec
	firstByte *prometheus.HistogramVec
	duration  *prometheus.HistogramVec
}

func newOriginMetrics(reg prometheus.Registerer) *originMetrics {
	m := &originMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "imgcdn_edge_origin_requests_total",
			Help: "Requests the edge made to origins, by origin domain and status class (\"error\" when no response arrived: connection refused, timeout, DNS).",
		}, []string{"origin", "status_class"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "imgcdn_edge_origin_bytes_total",
			Help: "Response body bytes received from origins, by origin domain.",
		}, []string{"origin"}),
		firstByte: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "imgcdn_edge_origin_first_byte_seconds",
			Help:    "Time from sending an origin request to receiving its response headers, by origin domain.",
			Buckets: durationBuckets,
		}, []string{"origin"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "imgcdn_edge_origin_duration_seconds",
			Help:    "Time from sending an origin request to the end of its response body (read to the end or closed), by origin domain.",
			Buckets: durationBuckets,
		}, []string{"origin"}),
	}
	reg.MustRegister(m.requests, m.bytes, m.firstByte, m.duration)
	return m
}

// OriginFetcher counts the origin requests of the Fetcher it wraps.
type OriginFetcher struct {
	next Fetcher
	m    *originMetrics
	now  func() time.Time
}

var _ Fetcher = (*OriginFetcher)(nil)

// Fetcher wraps f so that its requests are counted and timed; the edge is configured with
// the wrapper.
func (r *Registry) Fetcher(f Fetcher) *OriginFetcher {
	return &OriginFetcher{next: f, m: r.origin, now: time.Now}
}

// Fetch implements Fetcher. The origin label is the target's domain (the configured origin,
// so the label's values are bounded by the configuration).
func (f *OriginFetcher) Fetch(ctx context.Context, t origin.Target, method, path, rawQuery string, h http.Header, body io.Reader) (*http.Response, error) {
	start := f.now()
	resp, err := f.next.Fetch(ctx, t, method, path, rawQuery, h, body)
	name := t.Domain
	if err != nil {
		f.m.requests.WithLabelValues(name, "error").Inc()
		return resp, err
	}
	f.m.requests.WithLabelValues(name, statusClass(resp.StatusCode)).Inc()
	f.m.firstByte.WithLabelValues(name).Observe(f.now().Sub(start).Seconds())
	resp.Body = &originBody{ReadCloser: resp.Body, start: start, now: f.now,
		bytes: f.m.bytes.WithLabelValues(name), duration: f.m.duration.WithLabelValues(name)}
	return resp, nil
}

// originBody counts the bytes read and observes the duration once, at the end of the body
// or at Close, whichever comes first.
type originBody struct {
	io.ReadCloser
	start    time.Time
	now      func() time.Time
	bytes    prometheus.Counter
	duration prometheus.Observer
	n        atomic.Int64
	once     sync.Once
}

func (b *originBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.n.Add(int64(n))
		b.bytes.Add(float64(n))
	}
	if err != nil {
		b.done()
	}
	return n, err
}

func (b *originBody) Close() error {
	b.done()
	return b.ReadCloser.Close()
}

func (b *originBody) done() {
	b.once.Do(func() { b.duration.Observe(b.now().Sub(b.start).Seconds()) })
}
