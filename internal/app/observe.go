package app

import (
	"net/http"
	"path/filepath"

	"github.com/imgcdn/imgcdn/internal/accesslog"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/edge"
	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/follow"
	"github.com/imgcdn/imgcdn/internal/imagesapi"
	"github.com/imgcdn/imgcdn/internal/metrics"
	"github.com/imgcdn/imgcdn/internal/originsapi"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Observability (issue 6): every process has one metrics.Registry, served on GET /metrics
// by the API port and by the edge listeners (on hosts that are not a distribution); the edge
// writes CloudFront access logs under <data>/logs for the distributions whose Logging is
// enabled. Both observe the edge from outside: a middleware around its handler and a
// wrapper around its origin fetcher.

// observeEdge registers the edge's cache with reg, opens its access logs and returns the
// viewer handler: h wrapped by the metrics middleware, which also feeds the access logs.
func observeEdge(reg *metrics.Registry, h *edge.Handler, cache *edgecache.Cache, p edgeParams) (http.Handler, *accesslog.Logger, error) {
	cfg := accesslog.NewDefaultConfig()
	cfg.Dir, cfg.Location, cfg.Logger = filepath.Join(p.dataDir, "logs"), p.cfg.POP, p.log
	logs, err := accesslog.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	reg.WatchCache(cache)
	reg.CounterFunc("imgcdn_edge_access_log_records_total", "Access log records written.",
		func() float64 { return float64(logs.Written()) })
	reg.CounterFunc("imgcdn_edge_access_log_dropped_total", "Access log records dropped because the log writer was behind (the queue was full).",
		func() float64 { return float64(logs.Dropped()) })
	reg.CounterFunc("imgcdn_edge_access_log_errors_total", "Access log files that could not be created, written or closed.",
		func() float64 { return float64(logs.Failed()) })
	viewer := reg.Edge(h, metrics.EdgeOptions{Distribution: h.DistributionID, Observer: logObserver{logs: logs, h: h}})
	return viewer, logs, nil
}

// logObserver hands the edge's responses to the access logs.
type logObserver struct {
	logs *accesslog.Logger
	h    *edge.Handler
}

func (o logObserver) Wants(dist string) bool { return o.logs.Enabled(dist) }

func (o logObserver) Observe(r *http.Request, ob *metrics.Observation) {
	o.logs.LogRequest(r, ob.Distribution, o.h.DistributionDomain(r.Host), accesslog.Response{
		Start: ob.Start, FirstByte: ob.FirstByte, End: ob.End, Status: ob.Status,
		XCache: ob.XCache, RequestID: ob.RequestID, ContentType: ob.ContentType,
		ContentLength: ob.ContentLength, ContentRange: ob.ContentRange,
		HeaderBytes: ob.HeaderBytes, BodyBytes: ob.BodyBytes, RequestBytes: ob.RequestBytes,
		WriteFailed: ob.WriteFailed, Aborted: ob.Aborted,
	})
}

// logSettings are the access log settings of the distributions in a state.
func logSettings(ds []distrib.Distribution) map[string]accesslog.Settings {
	m := make(map[string]accesslog.Settings, len(ds))
	for _, d := range ds {
		l := d.Config.Logging
		m[d.ID] = accesslog.Settings{Enabled: l.Enabled, IncludeCookies: l.IncludeCookies, Prefix: l.Prefix}
	}
	return m
}

// apiName names the API a request on the API port goes to, as apiHandler routes it.
func apiName(r *http.Request) string {
	switch service := sigv4.Service(r); {
	case service == "" && isHealthz(r):
		return "health"
	case service == "" && metrics.IsMetricsRequest(r):
		return "metrics"
	case service == "cloudfront":
		return "cloudfront"
	case service == follow.SigningService:
		return "edge-sync"
	case service == originsapi.SigningService:
		return "origins"
	case service == imagesapi.SigningService:
		return "images"
	}
	return "s3"
}

func isHealthz(r *http.Request) bool {
	return r.URL.Path == "/healthz" && (r.Method == http.MethodGet || r.Method == http.MethodHead)
}
