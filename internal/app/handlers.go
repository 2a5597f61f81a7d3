package app

import (
	"fmt"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/follow"
	"github.com/imgcdn/imgcdn/internal/imagesapi"
	"github.com/imgcdn/imgcdn/internal/metrics"
	"github.com/imgcdn/imgcdn/internal/originsapi"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// apiHandler routes the API port: unsigned GET /healthz is the health check and unsigned
// GET /metrics the Prometheus metrics; requests whose SigV4 credential scope names the
// cloudfront service go to the CloudFront API, imgcdn-edge to the edge sync endpoint,
// imgcdn-origins to the origin endpoints API, imgcdn-images to the image settings API;
// everything else (including unsigned requests) is S3, as on AWS where they are different
// hosts. apiName (observe.go) mirrors this.
func apiHandler(s3, cloudFront, edgeSync, origins, images http.Handler, reg *metrics.Registry) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		service := sigv4.Service(r)
		switch {
		case service == "" && isHealthz(r):
			healthz(w, r)
		case service == "" && metrics.IsMetricsRequest(r):
			reg.ServeMetrics(w, r)
		case service == "cloudfront":
			cloudFront.ServeHTTP(w, r)
		case service == follow.SigningService:
			edgeSync.ServeHTTP(w, r)
		case service == originsapi.SigningService:
			origins.ServeHTTP(w, r)
		case service == imagesapi.SigningService:
			images.ServeHTTP(w, r)
		default:
			s3.ServeHTTP(w, r)
		}
	})
}

func healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		fmt.Fprintln(w, "ok")
	}
}
