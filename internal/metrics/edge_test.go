package metrics_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/edge"
	"github.com/imgcdn/imgcdn/internal/metrics"
	dto "github.com/prometheus/client_model/go"
)

var _ edge.Fetcher = (*metrics.OriginFetcher)(nil)

// scrape GETs /metrics on the edge listener with a Host that is no distribution.
func (r *rig) scrape() map[string]*dto.MetricFamily {
	r.t.Helper()
	status, _, body := r.get("127.0.0.1", "/metrics")
	if status != http.StatusOK {
		r.t.Fatalf("GET /metrics: %d %s", status, body)
	}
	return families(r.t, body)
}

// eventually polls cond: background work (a fill reading its origin body to the end) may
// finish just after the viewer has its last byte. It bounds the wait, it does not time it.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("never: %s", what)
}

func TestEdgeRequestsAfterMissAndHit(t *testing.T) {
	const body = "\x89PNG fake image bytes"
	r := newRig(t, body, nil)
	var sent int
	for i, c := range []struct {
		host, path   string
		status       int
		xcache, body string
	}{
		{domain, "/a.png", 200, "Miss from cloudfront", body},
		{domain, "/a.png", 200, "Hit from cloudfront", body},
		{"IMG.example.com:8080", "/a.png", 200, "Hit from cloudfront", body},
		// A distribution's own /metrics path is the origin's object, never the exporter.
		{domain, "/metrics", 200, "Miss from cloudfront", body},
	} {
		status, xcache, got := r.get(c.host, c.path)
		if status != c.status || xcache != c.xcache || got != c.body {
			t.Fatalf("request %d: got %d %q %q, want %d %q %q", i, status, xcache, got, c.status, c.xcache, c.body)
		}
		sent += len(got)
	}
	status, xcache, notFound := r.get(domain, "/missing")
	if status != http.StatusNotFound || xcache != "Error from cloudfront" {
		t.Fatalf("/missing: %d %q", status, xcache)
	}
	sent += len(notFound)
	if status, xcache, _ := r.get("nobody.example", "/a.png"); status != http.StatusNotFound || xcache != "Error from cloudfront" {
		t.Fatalf("unknown host: %d %q", status, xcache)
	}
	if n := r.fetches.Load(); n != 3 {
		t.Fatalf("origin saw %d requests, want 3 (a.png, metrics, missing)", n)
	}

	eventually(t, "every origin body ended", func() bool {
		v, _ := value(r.scrape(), "imgcdn_edge_origin_duration_seconds", labels("origin", "127.0.0.1"))
		return v == 3
	})
	fams := r.scrape()
	for _, c := range []struct {
		name string
		kv   []string
		want float64
	}{
		{"imgcdn_edge_requests_total", []string{"distribution", "E1", "status_class", "2xx", "cache_result", "miss"}, 2},
		{"imgcdn_edge_requests_total", []string{"distribution", "E1", "status_class", "2xx", "cache_result", "hit"}, 2},
		{"imgcdn_edge_requests_total", []string{"distribution", "E1", "status_class", "4xx", "cache_result", "error"}, 1},
		{"imgcdn_edge_requests_total", []string{"distribution", "", "status_class", "4xx", "cache_result", "error"}, 1},
		{"imgcdn_edge_response_bytes_total", []string{"distribution", "E1"}, float64(sent)},
		{"imgcdn_edge_request_duration_seconds", []string{"cache_result", "hit"}, 2},
		{"imgcdn_edge_request_duration_seconds", []string{"cache_result", "miss"}, 2},
		{"imgcdn_edge_request_duration_seconds", []string{"cache_result", "error"}, 2},
		{"imgcdn_edge_origin_requests_total", []string{"origin", "127.0.0.1", "status_class", "2xx"}, 2},
		{"imgcdn_edge_origin_requests_total", []string{"origin", "127.0.0.1", "status_class", "4xx"}, 1},
		{"imgcdn_edge_origin_bytes_total", []string{"origin", "127.0.0.1"}, float64(2*len(body) + len("no such object\n"))},
		{"imgcdn_edge_origin_first_byte_seconds", []string{"origin", "127.0.0.1"}, 3},
		{"imgcdn_edge_invalidations_applied_total", nil, 0},
	} {
		if got := must(t, fams, c.name, labels(c.kv...)); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.kv, got, c.want)
		}
	}
	// Every viewer request is counted once, whichever path answered it (hits inline on the
	// event loop; misses declined there and answered on a goroutine).
	total := 0.0
	for _, m := range fams["imgcdn_edge_requests_total"].GetMetric() {
		total += m.GetCounter().GetValue()
	}
	if total != 6 {
		t.Errorf("imgcdn_edge_requests_total sums to %v, want the 6 viewer requests", total)
	}
	// Scrapes are not requests to count.
	if _, ok := value(fams, "imgcdn_edge_requests_total", labels("status_class", "2xx", "distribution", "")); ok {
		t.Errorf("a /metrics scrape was counted as a viewer request")
	}
	for _, f := range fams {
		if strings.HasPrefix(f.GetName(), "imgcdn_") && f.GetType() == dto.MetricType_COUNTER && !strings.HasSuffix(f.GetName(), "_total") {
			t.Errorf("counter %s does not end in _total", f.GetName())
		}
	}
}

func TestCacheCollectorExportsStats(t *testing.T) {
	r := newRig(t, strings.Repeat("x", 5000), nil)
	for _, p := range []string{"/a", "/b", "/a", "/a"} {
		r.get(domain, p)
	}
	eventually(t, "fills done", func() bool { s := r.cache.Stats(); return s.Filling == 0 && s.Commits == 2 })
	s := r.cache.Stats()
	fams := r.scrape()
	for _, c := range []struct {
		name string
		kv   []string
		want int64
	}{
		{"imgcdn_edge_cache_bytes", []string{"tier", "memory"}, s.MemBytes},
		{"imgcdn_edge_cache_bytes", []string{"tier", "disk"}, s.DiskBytes},
		{"imgcdn_edge_cache_objects", []string{"tier", "memory"}, s.MemObjects},
		{"imgcdn_edge_cache_objects", []string{"tier", "disk"}, s.DiskObjects},
		{"imgcdn_edge_cache_fill_reserved_bytes", nil, s.FillBytes},
		{"imgcdn_edge_cache_fills_in_progress", nil, s.Filling},
		{"imgcdn_edge_cache_hits_total", []string{"tier", "memory"}, s.MemHits},
		{"imgcdn_edge_cache_hits_total", []string{"tier", "disk"}, s.DiskHits},
		{"imgcdn_edge_cache_hits_total", []string{"tier", "fill"}, s.FillHits},
		{"imgcdn_edge_cache_misses_total", nil, s.Misses},
		{"imgcdn_edge_cache_fills_total", nil, s.FillsStarted},
		{"imgcdn_edge_cache_collapsed_requests_total", nil, s.Collapsed},
		{"imgcdn_edge_cache_commits_total", nil, s.Commits},
		{"imgcdn_edge_cache_aborts_total", nil, s.Aborts},
		{"imgcdn_edge_cache_refused_commits_total", nil, s.Refused},
		{"imgcdn_edge_cache_evictions_total", []string{"tier", "memory"}, s.MemEvictions},
		{"imgcdn_edge_cache_evictions_total", []string{"tier", "disk"}, s.DiskEvictions},
		{"imgcdn_edge_cache_invalidated_objects_total", nil, s.Invalidated},
		{"imgcdn_edge_cache_expired_objects_total", nil, s.Expired},
	} {
		if got := must(t, fams, c.name, labels(c.kv...)); got != float64(c.want) {
			t.Errorf("%s%v = %v, want %d", c.name, c.kv, got, c.want)
		}
	}
	if s.DiskObjects != 2 || s.MemHits+s.DiskHits+s.FillHits == 0 {
		t.Errorf("the requests left %d disk objects and no hits: %+v", s.DiskObjects, s)
	}
	removed := r.h.Invalidate("E1", []string{"/a"})
	r.reg.InvalidationApplied()
	fams = r.scrape()
	if got := must(t, fams, "imgcdn_edge_invalidations_applied_total", nil); got != 1 {
		t.Errorf("invalidations applied = %v, want 1", got)
	}
	if got := must(t, fams, "imgcdn_edge_cache_invalidated_objects_total", nil); got != float64(removed) || removed == 0 {
		t.Errorf("invalidated objects = %v, want %d (> 0)", got, removed)
	}
}

func TestRegistriesAreSeparate(t *testing.T) {
	a, b := newRig(t, "a", nil), newRig(t, "b", nil)
	a.get(domain, "/x")
	a.get(domain, "/x")
	if got := must(t, a.scrape(), "imgcdn_edge_requests_total", labels("distribution", "E1")); got != 1 {
		t.Errorf("a: first series = %v, want 1", got)
	}
	if _, ok := value(b.scrape(), "imgcdn_edge_requests_total", labels("distribution", "E1")); ok {
		t.Errorf("b counts a's requests")
	}
}

func TestAPIRequests(t *testing.T) {
	reg := metrics.New()
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			reg.ServeMetrics(w, r)
			return
		}
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.WriteHeader(code)
	})
	classify := func(r *http.Request) string {
		if r.URL.Path == "/metrics" {
			return "metrics"
		}
		return r.Header.Get("X-Api")
	}
	srv := httptest.NewServer(reg.API(api, classify))
	defer srv.Close()
	for _, c := range []struct {
		api  string
		code int
	}{{"s3", 200}, {"s3", 404}, {"s3", 403}, {"cloudfront", 201}, {"edge-sync", 200}, {"origins", 500}} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/"+strconv.Itoa(c.code), nil)
		req.Header.Set("X-Api", c.api)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fams := families(t, string(text))
	for _, c := range []struct {
		api, class string
		want       float64
	}{{"s3", "2xx", 1}, {"s3", "4xx", 2}, {"cloudfront", "2xx", 1}, {"edge-sync", "2xx", 1}, {"origins", "5xx", 1}} {
		if got := must(t, fams, "imgcdn_api_requests_total", labels("api", c.api, "status_class", c.class)); got != c.want {
			t.Errorf("api %s %s = %v, want %v", c.api, c.class, got, c.want)
		}
	}
	if got := must(t, fams, "imgcdn_api_request_duration_seconds", labels("api", "s3")); got != 3 {
		t.Errorf("s3 durations observed = %v, want 3", got)
	}
}
