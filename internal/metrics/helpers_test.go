package metrics_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/edge"
	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/httpserver"
	"github.com/imgcdn/imgcdn/internal/metrics"
	"github.com/imgcdn/imgcdn/internal/origin"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// The tests run a real edge.Handler (real edgecache in t.TempDir(), real origin.Fetcher)
// behind the metrics middleware on an httptest listener, in front of an httptest origin,
// and read /metrics back with Prometheus's own text parser.

const domain = "d111111abcdef8.cdn.localhost"

// rig is one edge node with its metrics.
type rig struct {
	t       *testing.T
	reg     *metrics.Registry
	h       *edge.Handler
	cache   *edgecache.Cache
	url     string // the edge, served by event loops (httpserver.ServeLoop) as imgcdn does
	origin  *httptest.Server
	fetches atomic.Int64
}

// newRig starts an origin answering body for every path, and an edge whose distribution E1
// at domain fetches from it; obs, when set, observes the responses.
func newRig(t *testing.T, body string, obs metrics.Observer) *rig {
	t.Helper()
	r := &rig{t: t, reg: metrics.New()}
	r.origin = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.fetches.Add(1)
		if req.URL.Path == "/missing" {
			http.Error(w, "no such object", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, body)
	}))
	t.Cleanup(r.origin.Close)
	c, err := edgecache.Open(edgecache.Config{Dir: t.TempDir(), MaxDiskBytes: 1 << 30, MaxMemBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	r.cache = c
	f, err := origin.New(origin.NewDefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	cfg := edge.NewDefaultConfig()
	cfg.Cache, cfg.Fetcher, cfg.POP = c, r.reg.Fetcher(f), "TST1-C1"
	if r.h, err = edge.New(cfg); err != nil {
		t.Fatal(err)
	}
	r.reg.WatchCache(c)
	u, _ := url.Parse(r.origin.URL)
	_, port, _ := net.SplitHostPort(u.Host)
	p, _ := strconv.Atoi(port)
	o := distrib.Origin{ID: "o1", DomainName: "127.0.0.1", ConnectionAttempts: 1, ConnectionTimeout: 5,
		Custom: &distrib.CustomOrigin{HTTPPort: p, HTTPSPort: 443, OriginProtocolPolicy: "http-only",
			OriginReadTimeout: 30, OriginKeepaliveTimeout: 5}}
	d := distrib.Distribution{ID: "E1", DomainLabel: strings.TrimSuffix(domain, ".cdn.localhost"), Version: 1,
		Config: distrib.DistributionConfig{Enabled: true, Origins: []distrib.Origin{o}, Aliases: []string{"img.example.com"},
			DefaultCacheBehavior: distrib.CacheBehavior{TargetOriginID: "o1", ViewerProtocolPolicy: "allow-all",
				AllowedMethods: []string{"GET", "HEAD"}, CachedMethods: []string{"GET", "HEAD"},
				ForwardedValues: &distrib.ForwardedValues{CookiesForward: "none"}}}}
	if _, failed := r.h.Load(edge.State{Distributions: []distrib.Distribution{d}, AccountID: "123456789012"}); len(failed) > 0 {
		t.Fatalf("Load: %v", failed)
	}
	// Hits are answered inline and counted there; misses and scrapes are declined and
	// counted once, by ServeHTTP on a goroutine.
	srv := &httpserver.Server{Handler: r.reg.Edge(r.h, metrics.EdgeOptions{Distribution: r.h.DistributionID, Observer: obs})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.ServeLoop(ln, 1)
	t.Cleanup(func() { srv.Close() })
	r.url = "http://" + ln.Addr().String()
	return r
}

// get sends GET host+target to the edge and returns the status, x-cache and body.
func (r *rig) get(host, target string) (int, string, string) {
	r.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.url+target, nil)
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("X-Cache"), string(b)
}

// families parses a Prometheus text exposition.
func families(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parsing /metrics: %v\n%s", err, text)
	}
	return fams
}

// value returns the value of the series of family name whose labels include want (a
// counter's, gauge's or untyped value, or a histogram's sample count), and whether it exists.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f, ok := fams[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		case m.Untyped != nil:
			return m.Untyped.GetValue(), true
		}
	}
	return 0, false
}

// must is value for a series that must exist.
func must(t *testing.T, fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	v, ok := value(fams, name, want)
	if !ok {
		t.Fatalf("no series %s%v", name, want)
	}
	return v
}

// labels builds a label map from name, value pairs.
func labels(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}
