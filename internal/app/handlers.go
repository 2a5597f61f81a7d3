package app

import (
	"fmt"
	"html"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// apiHandler routes the API port: unsigned GET /healthz is the health check; requests whose
// SigV4 credential scope names the cloudfront service go to the CloudFront API; everything
// else (including unsigned requests) is S3, as on AWS where they are different hosts.
func apiHandler(s3, cloudFront http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		service := sigv4.Service(r)
		switch {
		case service == "" && r.URL.Path == "/healthz" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			healthz(w, r)
		case service == "cloudfront":
			cloudFront.ServeHTTP(w, r)
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

// edgeHandler serves the viewer-facing listeners. Until distributions are served, every host
// is unknown: viewers get a clear 404 rather than someone else's content.
func edgeHandler(cdnDomain string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			healthz(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("x-cache", "Error from cloudfront")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "<!doctype html><title>404 No distribution</title><h1>No distribution for %s</h1><p>Distribution domains look like d1234567890abc.%s.</p>\n",
			html.EscapeString(r.Host), html.EscapeString(cdnDomain))
	})
}
