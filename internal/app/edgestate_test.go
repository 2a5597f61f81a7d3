package app

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/follow"
	"github.com/imgcdn/imgcdn/internal/origin"
)

// TestEdgeNodeServesSavedStateAfterRestart: a node that applied a state knows its
// distributions again as soon as it is reopened, before any control plane answers, and a
// corrupt file is ignored rather than fatal.
func TestEdgeNodeServesSavedStateAfterRestart(t *testing.T) {
	data := t.TempDir()
	open := func() *edgeNode { return openTestEdge(t, data, true) }
	d := testDistribution()

	n := open()
	if n.handler.KnowsHost(testHost) {
		t.Fatal("a fresh node knows a distribution")
	}
	got := n.Apply(follow.Update{EdgeState: distrib.EdgeState{Version: 9, Distributions: []distrib.Distribution{d}, InvalidationSeq: 3}, Since: -1})
	if got.Distributions["E1"] != 4 || got.InvalidationSeq != 3 {
		t.Fatalf("Apply = %+v, want E1 at 4 and invalidation seq 3", got)
	}
	if err := n.close(); err != nil {
		t.Fatal(err)
	}

	n = open()
	if !n.handler.KnowsHost(testHost) {
		t.Error("after a restart the node does not serve the distribution it had loaded")
	}
	if n.since() != 3 {
		t.Errorf("after a restart the invalidation watermark is %d, want 3", n.since())
	}
	// A later state without the distribution replaces the saved one.
	n.Apply(follow.Update{EdgeState: distrib.EdgeState{Version: 10, InvalidationSeq: 3}, Since: 3})
	if err := n.close(); err != nil {
		t.Fatal(err)
	}
	n = open()
	if n.handler.KnowsHost(testHost) {
		t.Error("after a restart the node serves a distribution the last state had deleted")
	}
	if err := n.close(); err != nil {
		t.Fatal(err)
	}

	if err := os.WriteFile(filepath.Join(data, "edge-cache.state.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	n = open()
	defer n.close()
	if n.handler.KnowsHost(testHost) {
		t.Error("a corrupt saved state was served")
	}
}

// TestEmbeddedEdgeSavesNoState: the embedded edge of `imgcdn serve` reads its control plane
// in process, so it saves no state, and removes one left by an earlier version: the file
// would hold in clear the origin secrets the control plane keeps sealed.
func TestEmbeddedEdgeSavesNoState(t *testing.T) {
	data := t.TempDir()
	saved := filepath.Join(data, "edge-cache.state.json")
	if err := os.WriteFile(saved, []byte(`{"version":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	n := openTestEdge(t, data, false)
	defer n.close()
	if _, err := os.Stat(saved); !os.IsNotExist(err) {
		t.Fatalf("the embedded edge left %s (%v)", saved, err)
	}
	n.Apply(follow.Update{EdgeState: distrib.EdgeState{Version: 2, Distributions: []distrib.Distribution{testDistribution()}}, Since: -1})
	if !n.handler.KnowsHost(testHost) {
		t.Fatal("the distribution was not loaded")
	}
	if _, err := os.Stat(saved); !os.IsNotExist(err) {
		t.Errorf("the embedded edge saved its state in %s (%v)", saved, err)
	}
}

func openTestEdge(t *testing.T, data string, save bool) *edgeNode {
	t.Helper()
	n, err := newEdgeNode(edgeParams{cfg: defaultEdgeConfig(), dataDir: data, cdnDomain: "cdn.localhost", httpsAddr: "127.0.0.1:8443",
		fetch: origin.NewDefaultConfig(), log: slog.New(slog.NewTextHandler(io.Discard, nil)), saveState: save})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const testHost = "d111111abcdef8.cdn.localhost"

// testDistribution is a minimal distribution E1 at testHost, version 4.
func testDistribution() distrib.Distribution {
	return distrib.Distribution{ID: "E1", DomainLabel: "d111111abcdef8", Version: 4, Config: distrib.DistributionConfig{
		Enabled: true,
		Origins: []distrib.Origin{{ID: "o", DomainName: "127.0.0.1", ConnectionAttempts: 1, ConnectionTimeout: 5,
			Custom: &distrib.CustomOrigin{HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only", OriginReadTimeout: 30, OriginKeepaliveTimeout: 5}}},
		DefaultCacheBehavior: distrib.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: "allow-all",
			AllowedMethods: []string{"GET", "HEAD"}, CachedMethods: []string{"GET", "HEAD"},
			ForwardedValues: &distrib.ForwardedValues{CookiesForward: "none"}},
	}}
}
