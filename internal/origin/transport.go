package origin

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"time"
)

// transportKey is what makes two targets share connections: the same origin address over the
// same scheme with the same timeouts and TLS floor. CloudFront keeps connections per origin
// ("persistent connections", RequestAndResponseBehaviorCustomOrigin.html); one http.Transport
// per key gives each origin its own pool, sized by Config.MaxIdleConnsPerHost.
type transportKey struct {
	scheme, host             string
	connect, read, keepAlive time.Duration
	minTLS                   uint16
}

// roundTripper is what sends a request of method, with or without a body, to k: the lean
// client for bodiless GETs and HEADs over plain HTTP, net/http's Transport for the rest.
func (f *Fetcher) roundTripper(k transportKey, method string, body io.Reader) http.RoundTripper {
	if k.scheme != SchemeHTTP || body != nil || (method != http.MethodGet && method != http.MethodHead) {
		return f.transport(k)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.h1[k]
	if !ok {
		t = newH1Transport(k, f.cfg.MaxIdleConnsPerHost, f.cfg.MaxResponseHeaderBytes)
		f.h1[k] = t
	}
	return t
}

// transport returns the cached Transport for k, creating it on first use.
func (f *Fetcher) transport(k transportKey) *http.Transport {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.transports[k]; ok {
		return t
	}
	dialer := &net.Dialer{Timeout: k.connect, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		// Never the environment's proxy: an edge talks to its origins directly.
		Proxy:       nil,
		DialContext: dialer.DialContext,
		TLSClientConfig: &tls.Config{
			RootCAs: f.cfg.RootCAs, MinVersion: k.minTLS,
		},
		TLSHandshakeTimeout:    k.connect,
		ResponseHeaderTimeout:  k.read,
		IdleConnTimeout:        k.keepAlive,
		MaxIdleConnsPerHost:    f.cfg.MaxIdleConnsPerHost,
		MaxResponseHeaderBytes: f.cfg.MaxResponseHeaderBytes,
		// The edge decides about encodings: bodies pass through exactly as the origin sent
		// them, never transparently gunzipped.
		DisableCompression: true,
		// CloudFront speaks HTTP/1.1 to origins.
		ForceAttemptHTTP2: false,
		TLSNextProto:      map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	f.transports[k] = t
	return t
}

// Close drops every pooled idle connection. Fetches still running finish normally.
func (f *Fetcher) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.transports {
		t.CloseIdleConnections()
	}
	for _, t := range f.h1 {
		t.CloseIdleConnections()
	}
	return nil
}
