package app

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/imgcdn/imgcdn/internal/accesslog"
	"github.com/imgcdn/imgcdn/internal/certstore"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/edge"
	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/follow"
	"github.com/imgcdn/imgcdn/internal/imaging"
	"github.com/imgcdn/imgcdn/internal/localca"
	"github.com/imgcdn/imgcdn/internal/metrics"
	"github.com/imgcdn/imgcdn/internal/origin"
)

// EdgeConfig configures the edge part of a process: the embedded edge of `imgcdn serve` or a
// separate `imgcdn edge` node.
type EdgeConfig struct {
	// Node names this edge node to the control plane (letters, digits, '-', '_', '.'); a
	// distribution is Deployed when every node has loaded it.
	Node string
	// POP is the x-amz-cf-pop value the node answers with.
	POP string
	// CacheDir holds the node's disk cache; empty means <data>/edge-cache.
	CacheDir string
	// CacheDiskBytes and CacheMemBytes bound the disk and memory tiers.
	CacheDiskBytes int64
	CacheMemBytes  int64
	// Images are the limits and worker pool of image optimization (issue 7), for behaviours
	// that associate the imgcdn-image-optimizer function; the zero value means
	// imaging.NewDefaultConfig().
	Images imaging.Config
	// Server is the HTTP server of the viewer listeners: EdgeServerLoop (the default),
	// EdgeServerFast (no event loops) or EdgeServerStdlib (net/http for everything, as
	// before issue 6).
	Server string
}

// defaultEdgeConfig is what `imgcdn serve` and `imgcdn edge` start with.
func defaultEdgeConfig() EdgeConfig {
	return EdgeConfig{Node: "embedded", POP: "LOC1-C1", CacheDiskBytes: 10 << 30, CacheMemBytes: 256 << 20,
		Images: imaging.NewDefaultConfig(), Server: EdgeServerLoop}
}

// edgeNode is one edge: its cache, its origin fetcher, the viewer handler and what it has
// applied from the control plane.
type edgeNode struct {
	cache   *edgecache.Cache
	handler *edge.Handler
	// viewer is handler as the listeners serve it: with metrics and access logs around it.
	viewer  http.Handler
	metrics *metrics.Registry
	logs    *accesslog.Logger
	src     follow.Source
	log     *slog.Logger
	// statePath keeps the last invalidation applied, so that a restarted node (whose disk
	// cache survives) applies the invalidations it missed while down.
	statePath string
	// lastStatePath keeps the last state loaded (edgestate.go; "" for the embedded edge),
	// lastVersion its Version.
	lastStatePath string
	mu            sync.Mutex
	applied       int64
	lastVersion   int64
	account       string
	// releaseImages gives back the node's share of libvips (images.go).
	releaseImages func()
}

// edgeParams are the parts of an edge node that differ between serve and edge.
type edgeParams struct {
	cfg       EdgeConfig
	dataDir   string
	cdnDomain string
	httpsAddr string
	fetch     origin.Config
	src       follow.Source
	account   string
	log       *slog.Logger
	// saveState keeps the last state loaded for the next start (edgestate.go): separate
	// nodes only, the embedded edge has its control plane in process.
	saveState bool
	// metrics is the process's registry (observe.go); nil makes one.
	metrics *metrics.Registry
}

func newEdgeNode(p edgeParams) (_ *edgeNode, err error) {
	dir := p.cfg.CacheDir
	if dir == "" {
		dir = filepath.Join(p.dataDir, "edge-cache")
	}
	cache, err := edgecache.Open(edgecache.Config{Dir: dir, MaxDiskBytes: p.cfg.CacheDiskBytes, MaxMemBytes: p.cfg.CacheMemBytes, Logger: p.log})
	if err != nil {
		return nil, fmt.Errorf("edge cache: %w", err)
	}
	defer func() {
		if err != nil {
			cache.Close()
		}
	}()
	fetcher, err := origin.New(p.fetch)
	if err != nil {
		return nil, err
	}
	limits := p.cfg.Images
	if limits == (imaging.Config{}) {
		limits = imaging.NewDefaultConfig()
	}
	images, releaseImages, err := startImages(limits, p.log)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			releaseImages()
		}
	}()
	if p.metrics == nil {
		p.metrics = metrics.New()
	}
	ecfg := edge.NewDefaultConfig()
	ecfg.Cache, ecfg.Fetcher, ecfg.Logger, ecfg.Images = cache, p.metrics.Fetcher(fetcher), p.log, images
	ecfg.Node, ecfg.POP, ecfg.CDNDomain = p.cfg.Node, p.cfg.POP, p.cdnDomain
	if ecfg.HTTPSPort, err = portOf(p.httpsAddr); err != nil {
		return nil, err
	}
	h, err := edge.New(ecfg)
	if err != nil {
		return nil, err
	}
	viewer, logs, err := observeEdge(p.metrics, h, cache, p)
	if err != nil {
		return nil, err
	}
	n := &edgeNode{cache: cache, handler: h, viewer: viewer, metrics: p.metrics, logs: logs, src: p.src, log: p.log, account: p.account, releaseImages: releaseImages,
		statePath: filepath.Join(filepath.Dir(dir), filepath.Base(dir)+".applied.json"),
		applied:   -1, lastVersion: -1}
	n.loadApplied()
	n.openLastState(filepath.Join(filepath.Dir(dir), filepath.Base(dir)+".state.json"), p.saveState)
	return n, nil
}

// run follows the control plane until ctx ends.
func (n *edgeNode) run(ctx context.Context) {
	_ = follow.Run(ctx, n.src, n, n.log)
}

// Apply implements follow.Applier.
func (n *edgeNode) Apply(u follow.Update) follow.Applied {
	applied, _ := n.handler.Load(n.stateOf(&u.EdgeState))
	n.logs.Configure(logSettings(u.EdgeState.Distributions))
	n.mu.Lock()
	defer n.mu.Unlock()
	n.saveLastState(&u.EdgeState)
	seq := n.applied
	if u.Since < 0 && seq < 0 {
		// First contact with an empty state file: nothing cached can predate the invalidations
		// already issued, so there is nothing to remove.
		seq = u.InvalidationSeq
	}
	for _, inv := range u.Invalidations {
		if inv.Seq <= seq {
			continue
		}
		removed := n.handler.Invalidate(inv.DistributionID, inv.Paths)
		n.metrics.InvalidationApplied()
		n.log.Debug("edge: invalidation applied", "id", inv.ID, "distribution", inv.DistributionID, "removed", removed)
		seq = inv.Seq
	}
	if seq != n.applied {
		n.applied = seq
		n.saveApplied()
	}
	return follow.Applied{Distributions: applied, InvalidationSeq: seq}
}

func (n *edgeNode) since() int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.applied
}

func (n *edgeNode) loadApplied() {
	b, err := os.ReadFile(n.statePath)
	if err != nil {
		return
	}
	var st struct{ InvalidationSeq int64 }
	if json.Unmarshal(b, &st) == nil && st.InvalidationSeq >= 0 {
		n.applied = st.InvalidationSeq
	}
}

// saveApplied writes the watermark atomically (temp file, rename); losing it costs only
// re-applying invalidations, so it is not fsynced.
func (n *edgeNode) saveApplied() {
	b, _ := json.Marshal(struct{ InvalidationSeq int64 }{n.applied})
	tmp := n.statePath + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		n.log.Warn("edge: saving applied invalidations", "err", err)
		return
	}
	if err := os.Rename(tmp, n.statePath); err != nil {
		n.log.Warn("edge: saving applied invalidations", "err", err)
	}
}

// close releases the cache and the node's share of libvips; in-flight requests have drained
// (Run shuts the listeners down first).
func (n *edgeNode) close() error {
	n.releaseImages()
	return errors.Join(n.logs.Close(), n.cache.Close())
}

// edgeTLS issues certificates only for hosts the edge serves (and loopback names for health
// checks), so the CA never signs arbitrary names a client asks for.
func edgeTLS(ca *localca.CA, h *edge.Handler) {
	ca.Allow = func(name string) bool {
		return h.KnowsHost(name) || name == "localhost" || net.ParseIP(name) != nil
	}
}

// viewerCertificates answers a TLS hello with the certificate installed for its SNI name
// (`imgcdn certs add`, for an alias with the owner's own certificate), or one for the
// wildcard above it, and otherwise with one the local CA issues.
func viewerCertificates(user *certstore.Store, ca *localca.CA) func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		name := strings.ToLower(strings.TrimSuffix(hello.ServerName, "."))
		if c, err := user.Get(name); err == nil {
			return c, nil
		}
		if _, parent, ok := strings.Cut(name, "."); ok {
			if c, err := user.Get("*." + parent); err == nil {
				return c, nil
			}
		}
		return ca.GetCertificate(hello)
	}
}

func portOf(addr string) (int, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, fmt.Errorf("address %q: %w", addr, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("address %q: no port", addr)
	}
	return n, nil
}

// loopbackURL is the http URL of a bound listener address, with unspecified hosts (":9000",
// "0.0.0.0:9000") replaced by the loopback address a same-host client can reach.
func loopbackURL(addr string) (*url.URL, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return &url.URL{Scheme: "http", Host: net.JoinHostPort(host, port)}, nil
}

// policyMaps indexes the policies the state's behaviours refer to.
func policyMaps(st *distrib.EdgeState) (map[string]distrib.CachePolicyConfig, map[string]distrib.OriginRequestPolicyConfig, map[string]distrib.ResponseHeadersPolicyConfig) {
	cps, orps, rhps := map[string]distrib.CachePolicyConfig{}, map[string]distrib.OriginRequestPolicyConfig{}, map[string]distrib.ResponseHeadersPolicyConfig{}
	for _, p := range st.ResponseHeadersPolicies {
		rhps[p.ID] = p.Config
	}
	for _, p := range st.CachePolicies {
		cps[p.ID] = p.Config
	}
	for _, p := range st.OriginRequestPolicies {
		orps[p.ID] = p.Config
	}
	return cps, orps, rhps
}
