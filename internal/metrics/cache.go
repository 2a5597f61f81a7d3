package metrics

import (
	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/prometheus/client_golang/prometheus"
)

// CacheStats is what the cache collector reads; *edgecache.Cache is one.
type CacheStats interface {
	Stats() edgecache.Stats
}

var _ CacheStats = (*edgecache.Cache)(nil)

// WatchCache exports the edge cache's gauges and counters, read from c.Stats() at each
// scrape (one snapshot per scrape, so the figures are consistent with each other).
func (r *Registry) WatchCache(c CacheStats) {
	r.reg.MustRegister(&cacheCollector{c: c})
}

type cacheCollector struct{ c CacheStats }

var (
	descCacheBytes = prometheus.NewDesc("imgcdn_edge_cache_bytes",
		"Bytes held by the edge cache, by tier: memory (bodies resident in memory) and disk (committed entry files).", []string{"tier"}, nil)
	descCacheObjects = prometheus.NewDesc("imgcdn_edge_cache_objects",
		"Entries held by the edge cache, by tier.", []string{"tier"}, nil)
	descFillBytes = prometheus.NewDesc("imgcdn_edge_cache_fill_reserved_bytes",
		"Disk space reserved by cache fills in progress.", nil, nil)
	descFilling = prometheus.NewDesc("imgcdn_edge_cache_fills_in_progress",
		"Cache fills (origin responses being stored) in progress.", nil, nil)
	descHits = prometheus.NewDesc("imgcdn_edge_cache_hits_total",
		"Cache lookups that found an entry, by tier: memory, disk, or fill (joined a fill in progress).", []string{"tier"}, nil)
	descMisses = prometheus.NewDesc("imgcdn_edge_cache_misses_total",
		"Cache lookups that found nothing.", nil, nil)
	descFills = prometheus.NewDesc("imgcdn_edge_cache_fills_total",
		"Cache fills started (one origin fetch stored for everyone who asks meanwhile).", nil, nil)
	descCollapsed = prometheus.NewDesc("imgcdn_edge_cache_collapsed_requests_total",
		"Requests that joined a fill in progress instead of starting their own origin request (request collapsing).", nil, nil)
	descCommits = prometheus.NewDesc("imgcdn_edge_cache_commits_total",
		"Fills committed to the cache.", nil, nil)
	descAborts = prometheus.NewDesc("imgcdn_edge_cache_aborts_total",
		"Fills abandoned before their commit (origin error, viewer gone, response not storable after all).", nil, nil)
	descRefused = prometheus.NewDesc("imgcdn_edge_cache_refused_commits_total",
		"Fills not committed because an invalidation of their path arrived while they were in progress.", nil, nil)
	descEvictions = prometheus.NewDesc("imgcdn_edge_cache_evictions_total",
		"Entries evicted to stay within the tier's size bound, by tier.", []string{"tier"}, nil)
	descInvalidated = prometheus.NewDesc("imgcdn_edge_cache_invalidated_objects_total",
		"Entries removed by invalidations and deletions.", nil, nil)
	descExpired = prometheus.NewDesc("imgcdn_edge_cache_expired_objects_total",
		"Entries dropped after their TTL and stale period.", nil, nil)
)

func (cc *cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descCacheBytes, descCacheObjects, descFillBytes, descFilling, descHits,
		descMisses, descFills, descCollapsed, descCommits, descAborts, descRefused, descEvictions, descInvalidated, descExpired} {
		ch <- d
	}
}

func (cc *cacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := cc.c.Stats()
	gauge := func(d *prometheus.Desc, v int64, lv ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v), lv...)
	}
	counter := func(d *prometheus.Desc, v int64, lv ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), lv...)
	}
	gauge(descCacheBytes, s.MemBytes, "memory")
	gauge(descCacheBytes, s.DiskBytes, "disk")
	gauge(descCacheObjects, s.MemObjects, "memory")
	gauge(descCacheObjects, s.DiskObjects, "disk")
	gauge(descFillBytes, s.FillBytes)
	gauge(descFilling, s.Filling)
	counter(descHits, s.MemHits, "memory")
	counter(descHits, s.DiskHits, "disk")
	counter(descHits, s.FillHits, "fill")
	counter(descMisses, s.Misses)
	counter(descFills, s.FillsStarted)
	counter(descCollapsed, s.Collapsed)
	counter(descCommits, s.Commits)
	counter(descAborts, s.Aborts)
	counter(descRefused, s.Refused)
	counter(descEvictions, s.MemEvictions, "memory")
	counter(descEvictions, s.DiskEvictions, "disk")
	counter(descInvalidated, s.Invalidated)
	counter(descExpired, s.Expired)
}
