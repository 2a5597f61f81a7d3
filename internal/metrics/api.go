package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// APIs are the api label values: what the API port's router dispatches to.
var APIs = []string{"s3", "cloudfront", "edge-sync", "origins", "images", "health", "metrics"}

type apiMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newAPIMetrics(reg prometheus.Registerer) *apiMetrics {
	m := &apiMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "imgcdn_api_requests_total",
			Help: "Requests answered on the API port, by API (s3, cloudfront, edge-sync, origins, images, health, metrics) and status class.",
		}, []string{"api", "status_class"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "imgcdn_api_request_duration_seconds",
			Help:    "Time from receiving an API request to the end of its response, by API (edge-sync long polls last up to their wait).",
			Buckets: durationBuckets,
		}, []string{"api"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// API wraps the API port's handler; classify names the API a request goes to (one of
// APIs), the same decision the router makes.
func (r *Registry) API(next http.Handler, classify func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		api := classify(req)
		rec := &recorder{w: w, now: time.Now}
		rec.obs.Start = rec.now()
		defer func() {
			p := recover()
			rec.finish(p == nil)
			r.api.requests.WithLabelValues(api, statusClass(rec.obs.Status)).Inc()
			r.api.duration.WithLabelValues(api).Observe(rec.obs.End.Sub(rec.obs.Start).Seconds())
			if p != nil {
				panic(p)
			}
		}()
		next.ServeHTTP(rec, req)
	})
}
