// Package metrics exposes imgcdn's Prometheus metrics (issue 6): per-request counters and
// histograms for the edge's viewer listeners and the API port, origin fetch metrics, and
// collectors over the edge cache's own counters.
//
// Every process builds one Registry and serves it on GET /metrics; nothing is registered with
// client_golang's global default registry, so two servers in one test process keep separate
// counts (STYLE.md: no global mutable state). Names follow the Prometheus naming conventions
// (https://prometheus.io/docs/practices/naming/): an imgcdn_ prefix, base units (seconds,
// bytes) in the name, and _total on counters.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds one process's metrics.
type Registry struct {
	reg    *prometheus.Registry
	edge   *edgeMetrics
	api    *apiMetrics
	origin *originMetrics
	// invalidations counts invalidation batches applied by this process's edge.
	invalidations prometheus.Counter
	handler       http.Handler
	recorders     recorderPool
}

// New returns a Registry with the edge, origin and API metrics and the Go runtime and
// process collectors registered.
func New() *Registry {
	r := &Registry{reg: prometheus.NewRegistry()}
	r.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	r.edge = newEdgeMetrics(r.reg)
	r.api = newAPIMetrics(r.reg)
	r.origin = newOriginMetrics(r.reg)
	r.invalidations = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "imgcdn_edge_invalidations_applied_total",
		Help: "Invalidation batches (CreateInvalidation calls) this edge node has applied to its cache.",
	})
	r.reg.MustRegister(r.invalidations)
	r.handler = promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{})
	return r
}

// Handler serves the metrics in the Prometheus text (or negotiated) exposition format.
func (r *Registry) Handler() http.Handler { return r.handler }

// Gatherer is the underlying registry, for tests and for embedding in another exporter.
func (r *Registry) Gatherer() prometheus.Gatherer { return r.reg }

// InvalidationApplied counts one invalidation batch applied by the edge (the app calls it
// from its follow.Applier).
func (r *Registry) InvalidationApplied() { r.invalidations.Inc() }

// CounterFunc registers a counter whose value f reports at each scrape (for example the
// access log's records dropped); name must follow the conventions and end in _total.
func (r *Registry) CounterFunc(name, help string, f func() float64) {
	r.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f))
}

// ServeMetrics answers GET and HEAD /metrics; the routes that call it decide which hosts and
// requests reach it.
func (r *Registry) ServeMetrics(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.handler.ServeHTTP(w, req)
}

// IsMetricsRequest reports an unsigned-looking GET or HEAD of /metrics; callers add their
// own conditions (no distribution at that host, no SigV4 signature).
func IsMetricsRequest(req *http.Request) bool {
	return req.URL.Path == "/metrics" && (req.Method == http.MethodGet || req.Method == http.MethodHead)
}

// statusClasses are the status_class label values, indexed by status/100.
var statusClasses = [...]string{"other", "1xx", "2xx", "3xx", "4xx", "5xx"}

// statusClass returns "2xx" for 200..299 and so on; anything outside 100..599 is "other".
func statusClass(code int) string {
	return statusClasses[classIndex(code)]
}

func classIndex(code int) int {
	if code < 100 || code > 599 {
		return 0
	}
	return code / 100
}
