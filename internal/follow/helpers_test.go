package follow_test

import (
	"context"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/follow"
	"github.com/imgcdn/imgcdn/internal/sigv4"
	"github.com/imgcdn/imgcdn/internal/syncapi"
)

const (
	edgeKey = "AKIAEDGEEDGEEDGE0001"
	rootKey = "AKIAROOTROOTROOT0001"
	secret  = "edge/Secret+Key"
)

func openService(t *testing.T) *distrib.Service {
	t.Helper()
	cfg := distrib.NewDefaultConfig()
	cfg.Dir = t.TempDir()
	svc, err := distrib.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc
}

type principalsFunc func(string) (auth.Principal, bool)

func (f principalsFunc) Principal(k string) (auth.Principal, bool) { return f(k) }

// controlPlane is syncapi over svc on a real loopback server, as `imgcdn serve` runs it.
type controlPlane struct {
	h   *syncapi.Handler
	srv *httptest.Server
}

// startControlPlane serves syncapi for svc on addr ("" for any free port).
func startControlPlane(t *testing.T, svc *distrib.Service, addr string) *controlPlane {
	t.Helper()
	h, err := syncapi.New(syncapi.Config{
		Service: svc,
		Verifier: &sigv4.Verifier{Secret: func(k string) (string, bool) {
			return secret, k == edgeKey || k == rootKey
		}, MaxHashedBody: syncapi.MaxBodySize},
		Principals: principalsFunc(func(k string) (auth.Principal, bool) {
			return auth.Principal{AccessKeyID: k, Edge: k == edgeKey, Root: k == rootKey}, k == edgeKey || k == rootKey
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	if addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		srv.Listener.Close()
		srv.Listener = l
	}
	srv.Start()
	cp := &controlPlane{h: h, srv: srv}
	t.Cleanup(cp.stop)
	return cp
}

// stop ends the polls in flight, then the server: the control plane going away.
func (cp *controlPlane) stop() {
	cp.h.Close()
	cp.srv.Close()
}

func remote(t *testing.T, cp *controlPlane, node, key string) *follow.Remote {
	t.Helper()
	r, err := follow.NewRemote(follow.RemoteConfig{URL: cp.srv.URL, AccessKey: key, Secret: secret, Node: node,
		Client: &http.Client{Transport: &http.Transport{}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// applier is an edge as far as the loop can tell. It applies invalidations above the Seq it
// is at (an empty cache starts at the state's InvalidationSeq), publishes each Update on
// updates, and when gated waits for a token on release before answering.
type applier struct {
	updates chan follow.Update
	release chan struct{} // nil: answer at once

	mu      sync.Mutex
	seq     int64
	dists   map[string]int64
	applied []string // paths invalidated, in order
}

func newApplier(gated bool) *applier {
	a := &applier{updates: make(chan follow.Update, 64), seq: -1, dists: map[string]int64{}}
	if gated {
		a.release = make(chan struct{})
	}
	return a
}

func (a *applier) Apply(u follow.Update) follow.Applied {
	a.mu.Lock()
	for _, inv := range u.Invalidations {
		if inv.Seq > a.seq {
			a.applied = append(a.applied, inv.Paths...)
			a.seq = inv.Seq
		}
	}
	if a.seq < 0 {
		a.seq = u.InvalidationSeq
	}
	a.dists = map[string]int64{}
	for _, d := range u.Distributions {
		a.dists[d.ID] = d.Version
	}
	out := follow.Applied{Distributions: maps.Clone(a.dists), InvalidationSeq: a.seq}
	a.mu.Unlock()
	a.updates <- u
	if a.release != nil {
		<-a.release
	}
	return out
}

func (a *applier) state() (map[string]int64, []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return maps.Clone(a.dists), append([]string(nil), a.applied...)
}

// observed wraps a Source and tells the test about each report delivered and each failure.
type observed struct {
	follow.Source
	reports chan follow.Applied
	errs    chan error
}

func observe(s follow.Source) *observed {
	return &observed{Source: s, reports: make(chan follow.Applied, 64), errs: make(chan error, 1024)}
}

func (o *observed) Wait(ctx context.Context, after, since int64) (follow.Update, error) {
	u, err := o.Source.Wait(ctx, after, since)
	if err != nil && ctx.Err() == nil {
		select {
		case o.errs <- err:
		default:
		}
	}
	return u, err
}

func (o *observed) Report(ctx context.Context, a follow.Applied) error {
	err := o.Source.Report(ctx, a)
	if err == nil {
		o.reports <- a
	} else if ctx.Err() == nil {
		select {
		case o.errs <- err:
		default:
		}
	}
	return err
}

// runLoop runs a Loop until the test ends, and checks that it returns ctx's error. A gated
// applier is opened for good first, so that the loop is not stuck in Apply.
func runLoop(t *testing.T, src follow.Source, a *applier) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	l := &follow.Loop{Source: src, Applier: a, MinBackoff: 2e6, MaxBackoff: 20e6}
	go func() { done <- l.Run(ctx) }()
	t.Cleanup(func() {
		if a.release != nil {
			close(a.release)
		}
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Run returned %v, want context.Canceled", err)
		}
	})
}

// sources builds the two kinds of Source for node over svc.
func sources(t *testing.T, svc *distrib.Service) map[string]func(node string) follow.Source {
	return map[string]func(string) follow.Source{
		"local": func(node string) follow.Source {
			l, err := follow.NewLocal(svc, node)
			if err != nil {
				t.Fatal(err)
			}
			return l
		},
		"remote": func(node string) follow.Source {
			return remote(t, startControlPlane(t, svc, ""), node, edgeKey)
		},
	}
}

func seedConfig(ref string) distrib.DistributionConfig {
	return distrib.DistributionConfig{
		CallerReference: ref,
		Origins:         []distrib.Origin{{ID: "o", DomainName: "bucket.s3.amazonaws.com", S3: &distrib.S3Origin{}}},
		DefaultCacheBehavior: distrib.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: "allow-all",
			ForwardedValues: &distrib.ForwardedValues{CookiesForward: "none"}},
		Enabled: true,
	}
}
