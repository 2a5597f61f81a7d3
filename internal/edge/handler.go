package edge

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Handler is the edge's http.Handler for both viewer listeners.
type Handler struct {
	cfg    Config
	log    *slog.Logger
	via    string
	sites  atomic.Pointer[table]
	flight flights
	bufs   sync.Pool
	consts constHeaders

	// mu serialises Load and Invalidate, which change what is served.
	mu sync.Mutex
}

// table maps viewer hosts (lower case, no port) to sites; it is replaced whole on every Load,
// so a request sees one consistent configuration.
type table struct {
	hosts map[string]*site
	byID  map[string]*site
}

// New returns a Handler serving nothing until Load.
func New(cfg Config) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, log: cfg.Logger}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	sum := sha256.Sum256([]byte(cfg.Node))
	h.via = "1.1 " + hex.EncodeToString(sum[:16]) + "." + cfg.CDNDomain + " (imgcdn)"
	h.consts = newConstHeaders(h.via, cfg.POP)
	h.sites.Store(&table{hosts: map[string]*site{}, byID: map[string]*site{}})
	h.flight.m = map[string]*flight{}
	return h, nil
}

func (h *Handler) now() time.Time {
	if h.cfg.Now != nil {
		return h.cfg.Now()
	}
	return time.Now()
}

// KnowsHost reports whether host is a distribution domain or alias served here; the TLS
// listener issues certificates only for those.
func (h *Handler) KnowsHost(host string) bool {
	_, ok := h.sites.Load().hosts[strings.ToLower(host)]
	return ok
}

// ServeHTTP answers a viewer.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.serve(newRequest(h, w, r))
}

// ServeInline answers a viewer on the HTTP server's event loop when that takes no waiting:
// a cache hit from the memory tier, a redirect or an error page. It declines, having
// written nothing, whatever needs the disk, the origin or the image pipeline, which
// ServeHTTP then answers (httpserver.InlineHandler). Both run the same code: what a viewer
// gets does not depend on the path.
func (h *Handler) ServeInline(w http.ResponseWriter, r *http.Request) bool {
	rq := newRequest(h, w, r)
	rq.inline = true
	h.serve(rq)
	return !rq.declined
}

func (h *Handler) serve(rq *request) {
	w, r := rq.w, rq.r
	host := hostOnly(r.Host)
	s, ok := h.sites.Load().hosts[host]
	if !ok {
		if r.URL.Path == "/healthz" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			healthz(w, r)
			return
		}
		rq.page(http.StatusNotFound, "No distribution", "No distribution is served at "+host+". Distribution domains look like d1234567890abc."+h.cfg.CDNDomain+".")
		return
	}
	if !s.enabled {
		rq.page(http.StatusForbidden, "Distribution disabled", "The distribution for "+host+" is disabled.")
		return
	}
	rq.site = s
	rq.behavior = s.behaviorFor(r.URL.Path)
	img := rq.imageRequest()
	if img != nil {
		// A transform is served under its source's behaviour (image.go).
		rq.behavior = img.behavior
	}
	b := rq.behavior
	if b.respHeaders.timingEnabled() {
		rq.start = time.Now()
	}
	if !rq.https {
		switch b.viewerPolicy {
		case "redirect-to-https":
			h.redirectHTTPS(w, r, host)
			return
		case "https-only":
			rq.page(http.StatusForbidden, "HTTPS required", "This distribution is served over HTTPS only.")
			return
		}
	}
	if !b.allowed[r.Method] {
		rq.page(http.StatusForbidden, "Method not allowed", "This distribution does not allow "+r.Method+" requests on this path.")
		return
	}
	if img != nil {
		rq.image(img)
		return
	}
	rq.path = r.URL.Path
	if rq.path == "/" && s.rootObject != "" {
		rq.path = "/" + s.rootObject
	}
	if !b.cached[r.Method] {
		if !rq.decline() {
			rq.pass()
		}
		return
	}
	rq.cached()
}

// redirectHTTPS answers redirect-to-https: 301 for GET and HEAD, 307 otherwise so that the
// method and body are kept (CloudFront's documented behaviour).
func (h *Handler) redirectHTTPS(w http.ResponseWriter, r *http.Request, host string) {
	target := "https://" + host
	if h.cfg.HTTPSPort != 443 {
		target += ":" + itoa(int64(h.cfg.HTTPSPort))
	}
	target += r.URL.RequestURI()
	code := http.StatusMovedPermanently
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		code = http.StatusTemporaryRedirect
	}
	w.Header().Set("Location", target)
	w.Header().Set("x-cache", "Redirect from cloudfront")
	w.Header().Set("Via", h.via)
	w.Header().Set("x-amz-cf-pop", h.cfg.POP)
	w.Header().Set("x-amz-cf-id", newRequestID(new([requestIDLen]byte)))
	w.WriteHeader(code)
}

// hostOnly lower-cases a Host header and drops its port.
func hostOnly(hostport string) string {
	host := hostport
	if strings.IndexByte(hostport, ':') >= 0 { // SplitHostPort allocates its error otherwise
		if h, _, err := net.SplitHostPort(hostport); err == nil {
			host = h
		}
	}
	host = strings.TrimSuffix(host, ".")
	for i := 0; i < len(host); i++ {
		if c := host[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(host)
		}
	}
	return host
}

func healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte("ok\n"))
	}
}
