package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/certstore"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/follow"
	"github.com/imgcdn/imgcdn/internal/localca"
	"github.com/imgcdn/imgcdn/internal/metrics"
	"github.com/imgcdn/imgcdn/internal/origin"
)

// EdgeNodeConfig configures a separate edge node (`imgcdn edge`): it follows a control plane
// over HTTP and fetches that installation's buckets through its API.
type EdgeNodeConfig struct {
	// Control is the control plane's API URL (http://host:9000).
	Control string
	// AccessKey and Secret are an edge key of that installation (`imgcdn keys create --edge`).
	AccessKey, Secret string
	// Region is the control plane's region (the SigV4 scope of its API).
	Region string
	// DataDir holds the node's cache and, unless CADir is set, its own local CA.
	DataDir string
	// CADir is the directory of the local CA that issues the node's HTTPS certificates; point
	// it at <serve data>/ca on the same machine so viewers trust one CA for every node.
	CADir string
	// HTTPAddr and HTTPSAddr are the viewer listeners.
	HTTPAddr, HTTPSAddr string
	// CDNDomain is the parent of distribution domain names, the control plane's --cdn-domain.
	CDNDomain string
	// Edge holds the node name (empty means <host name>-<HTTPS port>), POP and cache sizes.
	Edge EdgeConfig
	// ShutdownTimeout bounds the drain of in-flight requests.
	ShutdownTimeout time.Duration
	// Logger receives operational logs; nil means text logs on stderr.
	Logger *slog.Logger
}

// NewDefaultEdgeNodeConfig returns the documented defaults of `imgcdn edge`.
func NewDefaultEdgeNodeConfig() EdgeNodeConfig {
	ec := defaultEdgeConfig()
	ec.Node = "" // <host name>-<HTTPS port>, see NewEdgeNode
	return EdgeNodeConfig{Control: "http://127.0.0.1:9000", Region: "us-east-1", DataDir: "./edge-data",
		HTTPAddr: "127.0.0.1:8081", HTTPSAddr: "127.0.0.1:8444", CDNDomain: "cdn.localhost", Edge: ec,
		ShutdownTimeout: 30 * time.Second}
}

// EdgeNode is a running `imgcdn edge`.
type EdgeNode struct {
	cfg     EdgeNodeConfig
	log     *slog.Logger
	node    *edgeNode
	ca      *localca.CA
	servers []*server
	once    sync.Once
	err     error
}

// NewEdgeNode binds the node's listeners and opens its cache; Run serves.
func NewEdgeNode(cfg EdgeNodeConfig) (_ *EdgeNode, err error) {
	if cfg.AccessKey == "" || cfg.Secret == "" {
		return nil, errors.New("an edge node needs --key and --secret: create them with `imgcdn keys create --edge` on the control plane")
	}
	control, err := url.Parse(cfg.Control)
	if err != nil || (control.Scheme != "http" && control.Scheme != "https") || control.Host == "" {
		return nil, fmt.Errorf("--control %q must be the control plane's http(s)://host:port", cfg.Control)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	n := &EdgeNode{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			n.Close()
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	caDir := cfg.CADir
	if caDir == "" {
		caDir = filepath.Join(cfg.DataDir, "ca")
	}
	if n.ca, err = localca.LoadOrCreate(caDir); err != nil {
		return nil, err
	}
	fetch := origin.NewDefaultConfig()
	fetch.EdgeKey = auth.Key{AccessKeyID: cfg.AccessKey, SecretAccessKey: cfg.Secret, Edge: true}
	fetch.Region, fetch.LocalS3, fetch.Logger = cfg.Region, control, log
	for _, l := range []struct {
		name, addr string
		tls        bool
	}{{"http", cfg.HTTPAddr, false}, {"https", cfg.HTTPSAddr, true}} {
		s, err := bindServer(l.name, l.addr, l.tls, cfg.Edge.Server, viewerCertificates(certstore.New(filepath.Join(cfg.DataDir, "certs")), n.ca), log)
		if err != nil {
			return nil, err
		}
		n.servers = append(n.servers, s)
	}
	if cfg.Edge.Node == "" {
		cfg.Edge.Node = defaultNodeName(n.servers[1].ln.Addr().String())
		n.cfg.Edge.Node = cfg.Edge.Node
	}
	src, err := follow.NewRemote(follow.RemoteConfig{URL: cfg.Control, AccessKey: cfg.AccessKey, Secret: cfg.Secret,
		Node: cfg.Edge.Node, Region: cfg.Region})
	if err != nil {
		return nil, err
	}
	if n.node, err = newEdgeNode(edgeParams{cfg: cfg.Edge, dataDir: cfg.DataDir, cdnDomain: cfg.CDNDomain,
		httpsAddr: n.servers[1].ln.Addr().String(), fetch: fetch, src: &reportLog{Source: src, log: log, node: cfg.Edge.Node}, log: log, saveState: true,
		metrics: metrics.New()}); err != nil {
		return nil, err
	}
	edgeTLS(n.ca, n.node.handler)
	for _, s := range n.servers {
		s.setHandler(n.node.viewer)
	}
	return n, nil
}

// Addr returns the bound address of "http" or "https".
func (n *EdgeNode) Addr(name string) string {
	for _, s := range n.servers {
		if s.name == name {
			return s.ln.Addr().String()
		}
	}
	return ""
}

// Run serves and follows the control plane until ctx ends, then drains.
func (n *EdgeNode) Run(ctx context.Context) error {
	errc := make(chan error, len(n.servers))
	for _, s := range n.servers {
		go func() {
			if err := s.serve(); err != nil {
				errc <- fmt.Errorf("%s listener: %w", s.name, err)
			}
		}()
	}
	fctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.node.run(fctx)
	}()
	fmt.Fprintf(os.Stdout, "imgcdn edge node %s (pop %s) following %s\n  edge  http://%s  https://%s   (CA certificate: %s)\n",
		n.cfg.Edge.Node, n.cfg.Edge.POP, n.cfg.Control, n.Addr("http"), n.Addr("https"), n.ca.CertPath())
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), n.cfg.ShutdownTimeout)
	defer cancel()
	for _, s := range n.servers {
		_ = s.shutdown(sctx)
	}
	stop()
	<-done
	return errors.Join(runErr, n.Close())
}

// Close releases the listeners and the cache; safe after a partial NewEdgeNode.
func (n *EdgeNode) Close() error {
	n.once.Do(func() {
		for _, s := range n.servers {
			s.close()
		}
		if n.node != nil {
			n.err = n.node.close()
		}
	})
	return n.err
}

// defaultNodeName names a node after its host and HTTPS port: unique among the nodes of one
// machine (they cannot share a port) and stable across restarts. Node names must differ: the
// control plane counts a distribution Deployed once every name has reported it, so two
// processes under one name would let the first one's report stand for both.
func defaultNodeName(httpsAddr string) string {
	host, err := os.Hostname()
	if err != nil || !distrib.ValidNode(host) {
		host = "edge"
	}
	_, port, _ := net.SplitHostPort(httpsAddr)
	return host + "-" + port
}
