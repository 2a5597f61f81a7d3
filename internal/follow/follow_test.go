package follow_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/follow"
)

// TestDistributionDeployedAfterReport: a new distribution reaches the Applier, and is
// Deployed only once the Applier has answered and the loop has reported.
func TestDistributionDeployedAfterReport(t *testing.T) {
	for name := range sources(t, nil) {
		t.Run(name, func(t *testing.T) {
			svc := openService(t)
			src := observe(sources(t, svc)[name]("edge-1"))
			a := newApplier(true)
			runLoop(t, src, a)

			// First contact: the empty state, then the report that registers the node.
			if u := <-a.updates; u.Version != 0 || len(u.Distributions) != 0 || u.Since != -1 {
				t.Fatalf("first update %+v, want the empty state at Version 0", u)
			}
			a.release <- struct{}{}
			<-src.reports

			d, _, err := svc.CreateDistribution(seedConfig("a"), nil)
			if err != nil {
				t.Fatal(err)
			}
			u := <-a.updates
			if len(u.Distributions) != 1 || u.Distributions[0].ID != d.ID || u.Distributions[0].Version != d.Version {
				t.Fatalf("update %+v, want distribution %s", u, d.ID)
			}
			if got, _ := svc.GetDistribution(d.ID); got.Status != distrib.StatusInProgress {
				t.Errorf("while the edge applies: %s, want InProgress", got.Status)
			}
			a.release <- struct{}{}
			if rep := <-src.reports; rep.Distributions[d.ID] != d.Version {
				t.Errorf("report %+v, want %s at %d", rep, d.ID, d.Version)
			}
			if got, _ := svc.GetDistribution(d.ID); got.Status != distrib.StatusDeployed {
				t.Errorf("after the report: %s, want Deployed", got.Status)
			}
		})
	}
}

// TestInvalidationCompletedAfterBothReport: an invalidation reaches two followers and is
// Completed only once both have reported it.
func TestInvalidationCompletedAfterBothReport(t *testing.T) {
	for name := range sources(t, nil) {
		t.Run(name, func(t *testing.T) {
			svc := openService(t)
			d, _, err := svc.CreateDistribution(seedConfig("a"), nil)
			if err != nil {
				t.Fatal(err)
			}
			var srcs []*observed
			var appliers []*applier
			for _, node := range []string{"edge-1", "edge-2"} {
				src, a := observe(sources(t, svc)[name](node)), newApplier(true)
				runLoop(t, src, a)
				if u := <-a.updates; len(u.Distributions) != 1 {
					t.Fatalf("%s: first update %+v", node, u)
				}
				a.release <- struct{}{}
				<-src.reports
				srcs, appliers = append(srcs, src), append(appliers, a)
			}

			inv, _, err := svc.CreateInvalidation(d.ID, "ref", []string{"/images/*", "/a.png"})
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range appliers {
				u := <-a.updates
				if len(u.Invalidations) != 1 || u.Invalidations[0].ID != inv.ID || u.Since != 0 {
					t.Fatalf("follower %d: update %+v, want invalidation %s after Seq 0", i, u, inv.ID)
				}
			}
			status := func() string {
				got, err := svc.GetInvalidation(d.ID, inv.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got.Status
			}
			if s := status(); s != distrib.InvalidationStatusInProgress {
				t.Errorf("before any report: %s", s)
			}
			appliers[0].release <- struct{}{}
			<-srcs[0].reports
			if s := status(); s != distrib.InvalidationStatusInProgress {
				t.Errorf("after one of two reports: %s, want InProgress", s)
			}
			appliers[1].release <- struct{}{}
			<-srcs[1].reports
			if s := status(); s != distrib.InvalidationStatusCompleted {
				t.Errorf("after both reports: %s, want Completed", s)
			}
			for i, a := range appliers {
				if _, paths := a.state(); !slices.Equal(paths, inv.Paths) {
					t.Errorf("follower %d invalidated %v, want %v", i, paths, inv.Paths)
				}
			}
		})
	}
}

// TestControlPlaneAway: with the control plane gone the edge keeps its last state (Apply is
// not called), and the loop catches up when it comes back on the same address.
func TestControlPlaneAway(t *testing.T) {
	svc := openService(t)
	cp := startControlPlane(t, svc, "")
	addr := cp.srv.Listener.Addr().String()
	src := observe(remote(t, cp, "edge-1", edgeKey))
	a := newApplier(false)
	runLoop(t, src, a)
	<-a.updates
	<-src.reports
	d1, _, err := svc.CreateDistribution(seedConfig("one"), nil)
	if err != nil {
		t.Fatal(err)
	}
	<-a.updates
	<-src.reports

	cp.stop()
	<-src.errs // the poll in flight ends, and the next ones cannot connect
	<-src.errs
	d2, _, err := svc.CreateDistribution(seedConfig("two"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.updates) != 0 {
		t.Fatalf("Apply called while the control plane was away: %+v", <-a.updates)
	}
	if dists, _ := a.state(); len(dists) != 1 || dists[d1.ID] != d1.Version {
		t.Fatalf("edge state while away: %v, want the last one (%s)", dists, d1.ID)
	}

	startControlPlane(t, svc, addr)
	u := <-a.updates
	if len(u.Distributions) != 2 {
		t.Fatalf("after the control plane came back: %+v, want both distributions", u)
	}
	<-src.reports
	if got, _ := svc.GetDistribution(d2.ID); got.Status != distrib.StatusDeployed {
		t.Errorf("%s after the edge caught up: %s, want Deployed", d2.ID, got.Status)
	}
}

// TestRestartReappliesInvalidations: an edge that restarts with a cache at Seq 1 gets the
// invalidations after it, though it asks from scratch.
func TestRestartReappliesInvalidations(t *testing.T) {
	svc := openService(t)
	d, _, err := svc.CreateDistribution(seedConfig("a"), nil)
	if err != nil {
		t.Fatal(err)
	}
	src, err := follow.NewLocal(svc, "edge-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Report(context.Background(), follow.Applied{}); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"1", "2", "3"} {
		if _, _, err := svc.CreateInvalidation(d.ID, ref, []string{"/" + ref}); err != nil {
			t.Fatal(err)
		}
	}
	a := newApplier(false)
	a.seq = 1 // persisted by the edge before it stopped
	obs := observe(src)
	runLoop(t, obs, a)
	if u := <-a.updates; len(u.Invalidations) != 0 || u.InvalidationSeq != 3 {
		t.Fatalf("first update %+v: want the state without invalidations", u)
	}
	if rep := <-obs.reports; rep.InvalidationSeq != 1 {
		t.Errorf("first report at Seq %d, want the edge's own 1", rep.InvalidationSeq)
	}
	if u := <-a.updates; u.Since != 1 || len(u.Invalidations) != 2 {
		t.Fatalf("second update %+v, want Seq 2 and 3", u)
	}
	if rep := <-obs.reports; rep.InvalidationSeq != 3 {
		t.Errorf("second report at Seq %d, want 3", rep.InvalidationSeq)
	}
	if _, paths := a.state(); !slices.Equal(paths, []string{"/2", "/3"}) {
		t.Errorf("invalidated %v, want /2 and /3", paths)
	}
}

// TestRemoteErrors: the control plane's refusals come back as *RemoteError with its code.
func TestRemoteErrors(t *testing.T) {
	svc := openService(t)
	cp := startControlPlane(t, svc, "")
	for _, tc := range []struct {
		key, secret string
		status      int
		code        string
	}{
		{rootKey, secret, 403, "AccessDenied"},
		{edgeKey, "wrong", 403, "SignatureDoesNotMatch"},
		{"AKIANOSUCHKEY0000001", secret, 403, "InvalidClientTokenId"},
	} {
		r, err := follow.NewRemote(follow.RemoteConfig{URL: cp.srv.URL, AccessKey: tc.key, Secret: tc.secret, Node: "e"})
		if err != nil {
			t.Fatal(err)
		}
		_, werr := r.Wait(context.Background(), -1, -1)
		rerr := r.Report(context.Background(), follow.Applied{})
		for _, err := range []error{werr, rerr} {
			var re *follow.RemoteError
			if !errors.As(err, &re) || re.Status != tc.status || re.Code != tc.code || re.Message == "" {
				t.Errorf("key %s secret %s: %v, want %d %s", tc.key, tc.secret, err, tc.status, tc.code)
			}
		}
	}
}

func TestRemoteConfigValidate(t *testing.T) {
	ok := follow.RemoteConfig{URL: "http://127.0.0.1:9000", AccessKey: "AK", Secret: "s", Node: "edge-1"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*follow.RemoteConfig){
		"no URL":    func(c *follow.RemoteConfig) { c.URL = "" },
		"not http":  func(c *follow.RemoteConfig) { c.URL = "ftp://x" },
		"no host":   func(c *follow.RemoteConfig) { c.URL = "http://" },
		"no key":    func(c *follow.RemoteConfig) { c.AccessKey = "" },
		"no secret": func(c *follow.RemoteConfig) { c.Secret = "" },
		"bad node":  func(c *follow.RemoteConfig) { c.Node = "a b" },
		"long wait": func(c *follow.RemoteConfig) { c.Wait = follow.MaxWait + 1 },
		"negative":  func(c *follow.RemoteConfig) { c.Wait = -1 },
	} {
		c := ok
		mod(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, c)
		}
	}
}

// TestRemoteLeave: a node that leaves no longer holds distributions InProgress, while a
// registered node that is down does.
func TestRemoteLeave(t *testing.T) {
	svc := openService(t)
	cp := startControlPlane(t, svc, "127.0.0.1:0")
	gone := remote(t, cp, "edge-gone", edgeKey)
	if err := gone.Report(context.Background(), follow.Applied{Distributions: map[string]int64{}}); err != nil {
		t.Fatal(err)
	}
	d, _, err := svc.CreateDistribution(seedConfig("leave"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.GetDistribution(d.ID); got.Status != distrib.StatusInProgress {
		t.Fatalf("with a registered node that has not applied it: %s, want InProgress", got.Status)
	}
	if err := gone.Leave(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.GetDistribution(d.ID); got.Status != distrib.StatusDeployed {
		t.Errorf("after the only node left: %s, want Deployed", got.Status)
	}
}
