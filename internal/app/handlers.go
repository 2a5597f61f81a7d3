package app

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// apiHandler routes the API port: unsigned GET /healthz is the health check; requests whose
// SigV4 credential scope names the cloudfront service go to the CloudFront API; everything
// else (including unsigned requests) is S3, as on AWS where they are different hosts.
func apiHandler(s3 http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		service := sigv4.Service(r)
		switch {
		case service == "" && r.URL.Path == "/healthz" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			healthz(w, r)
		case service == "cloudfront":
			cloudFrontUnavailable(w, r)
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

// cloudFrontUnavailable answers CloudFront API calls in CloudFront's error shape until the
// control API is wired in, so clients see a typed error rather than an S3 answer.
func cloudFrontUnavailable(w http.ResponseWriter, r *http.Request) {
	id := make([]byte, 16)
	rand.Read(id)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amz-request-id", hex.EncodeToString(id))
	w.WriteHeader(http.StatusNotImplemented)
	fmt.Fprintf(w, `<?xml version="1.0"?>`+"\n"+`<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>NotImplemented</Code><Message>The CloudFront API is not available on this imgcdn build.</Message></Error><RequestId>%x</RequestId></ErrorResponse>`, id)
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
