package metrics

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// Observer receives what the edge middleware saw of the responses to the distributions it
// wants, after each response; access logs are one (internal/accesslog via the app).
type Observer interface {
	// Wants reports whether responses of the distribution are observed; the middleware
	// then also records the details only observers use (header bytes, request bytes).
	Wants(distribution string) bool
	// Observe is called in the request's goroutine once the handler returned, and must not
	// block: it must not keep r or o after it returns.
	Observe(r *http.Request, o *Observation)
}

// EdgeOptions connect the edge middleware to the edge.
type EdgeOptions struct {
	// Distribution maps a Host header to the id of the distribution served there, "" for
	// none (edge.Handler.DistributionID). Required.
	Distribution func(host string) string
	// Observer, when set, receives the responses of the distributions it wants.
	Observer Observer
}

// cacheResults are the cache_result label values, from the x-cache header CloudFront
// sends ("Hit from cloudfront", ...); "none" is a response without one (health checks).
var cacheResults = [...]string{"none", "hit", "miss", "refresh_hit", "error", "redirect", "other"}

const nResults = len(cacheResults)

// cacheResultIndex maps an x-cache value to its cacheResults index.
func cacheResultIndex(xcache string) int {
	if xcache == "" {
		return 0
	}
	word, _, _ := strings.Cut(xcache, " ")
	switch word {
	case "Hit":
		return 1
	case "Miss":
		return 2
	case "RefreshHit":
		return 3
	case "Error":
		return 4
	case "Redirect":
		return 5
	}
	return 6
}

// CacheResult returns the cache_result label value for an x-cache header value.
func CacheResult(xcache string) string { return cacheResults[cacheResultIndex(xcache)] }

type edgeMetrics struct {
	requests  *prometheus.CounterVec
	bytes     *prometheus.CounterVec
	durations [nResults]prometheus.Observer

	// series caches each distribution's children so the request path neither hashes label
	// values nor allocates; it is copied on write (a new distribution is rare).
	mu     sync.Mutex
	series atomic.Pointer[map[string]*distSeries]
}

// distSeries are one distribution's counters, created on first use so that only the
// combinations that happened are exported.
type distSeries struct {
	id       string
	requests [len(statusClasses)][nResults]atomic.Pointer[prometheus.Counter]
	bytes    prometheus.Counter
}

// durationBuckets span cache hits served from memory (well under a millisecond) to large
// objects streamed from a slow origin.
var durationBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

func newEdgeMetrics(reg prometheus.Registerer) *edgeMetrics {
	e := &edgeMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "imgcdn_edge_requests_total",
			Help: "Viewer requests answered by the edge, by distribution id (empty for hosts that are not a distribution), status class and cache result (from x-cache).",
		}, []string{"distribution", "status_class", "cache_result"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "imgcdn_edge_response_bytes_total",
			Help: "Response body bytes sent to viewers, by distribution id.",
		}, []string{"distribution"}),
	}
	hist := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "imgcdn_edge_request_duration_seconds",
		Help:    "Time from receiving a viewer request to the end of its response, by cache result.",
		Buckets: durationBuckets,
	}, []string{"cache_result"})
	for i, r := range cacheResults {
		e.durations[i] = hist.WithLabelValues(r)
	}
	reg.MustRegister(e.requests, e.bytes, hist)
	e.series.Store(&map[string]*distSeries{})
	return e
}

func (e *edgeMetrics) forDistribution(id string) *distSeries {
	if s := (*e.series.Load())[id]; s != nil {
		return s
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	old := *e.series.Load()
	if s := old[id]; s != nil {
		return s
	}
	s := &distSeries{id: id, bytes: e.bytes.WithLabelValues(id)}
	next := make(map[string]*distSeries, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[id] = s
	e.series.Store(&next)
	return s
}

func (e *edgeMetrics) observe(o *Observation) {
	s := e.forDistribution(o.Distribution)
	ci, ri := classIndex(o.Status), cacheResultIndex(o.XCache)
	p := s.requests[ci][ri].Load()
	if p == nil {
		c := e.requests.WithLabelValues(s.id, statusClasses[ci], cacheResults[ri])
		p = &c
		s.requests[ci][ri].Store(p)
	}
	(*p).Inc()
	if o.BodyBytes > 0 {
		s.bytes.Add(float64(o.BodyBytes))
	}
	e.durations[ri].Observe(o.End.Sub(o.Start).Seconds())
}

// Edge wraps the edge's viewer handler: it answers GET /metrics on hosts that are not a
// distribution (like /healthz, so a distribution's own /metrics path is never shadowed),
// and counts every other response. When next also answers inline on an event loop
// (ServeInline, see internal/httpserver), so does the wrapper, counting only the requests
// next does not decline.
func (r *Registry) Edge(next http.Handler, opt EdgeOptions) http.Handler {
	m := &edgeMiddleware{r: r, next: next, opt: opt}
	if in, ok := next.(inlineHandler); ok {
		return &inlineEdgeMiddleware{edgeMiddleware: m, inline: in}
	}
	return m
}

// inlineHandler is httpserver.InlineHandler, declared here so that metrics needs no server.
type inlineHandler interface {
	http.Handler
	ServeInline(w http.ResponseWriter, r *http.Request) bool
}

type edgeMiddleware struct {
	r    *Registry
	next http.Handler
	opt  EdgeOptions
}

func (m *edgeMiddleware) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	m.serve(w, req, func(w http.ResponseWriter, req *http.Request) bool { m.next.ServeHTTP(w, req); return true })
}

type inlineEdgeMiddleware struct {
	*edgeMiddleware
	inline inlineHandler // next, which also answers inline
}

// ServeInline declines the metrics page (gathering is not a loop's work) and whatever next
// declines; those are counted when ServeHTTP answers them.
func (m *inlineEdgeMiddleware) ServeInline(w http.ResponseWriter, req *http.Request) bool {
	if IsMetricsRequest(req) && m.opt.Distribution(req.Host) == "" {
		return false
	}
	return m.serve(w, req, func(w http.ResponseWriter, req *http.Request) bool { return m.inline.ServeInline(w, req) })
}

// serve runs handle with a recorder and counts its answer unless handle declined it.
func (m *edgeMiddleware) serve(w http.ResponseWriter, req *http.Request, handle func(http.ResponseWriter, *http.Request) bool) (answered bool) {
	r, opt := m.r, m.opt
	dist := opt.Distribution(req.Host)
	if dist == "" && IsMetricsRequest(req) {
		r.ServeMetrics(w, req)
		return true
	}
	detail := dist != "" && opt.Observer != nil && opt.Observer.Wants(dist)
	rec := r.recorders.get(w, detail)
	rec.obs.Distribution, rec.obs.Start = dist, rec.now()
	if detail {
		rec.obs.RequestBytes = requestBytes(req)
		if req.Body != nil && req.Body != http.NoBody {
			req.Body = countingBody{ReadCloser: req.Body, n: &rec.body}
		}
	}
	defer func() {
		p := recover()
		if p == nil && !answered {
			r.recorders.put(rec) // declined: ServeHTTP counts it
			return
		}
		if p != nil {
			// The handler aborted the response (http.ErrAbortHandler or a bug): it is
			// counted as it stands, then the panic goes on to the server.
			rec.obs.Aborted = true
		}
		rec.finish(p == nil)
		o := &rec.obs
		o.RequestBytes += rec.body.Load()
		r.edge.observe(o)
		if detail {
			opt.Observer.Observe(req, o)
		}
		if p != nil {
			panic(p)
		}
		if !detail {
			// Nothing can reach rec any more: the handler returned (its writer is dead
			// by net/http's contract) and no counting body was handed out.
			r.recorders.put(rec)
		}
	}()
	return handle(rec, req)
}
