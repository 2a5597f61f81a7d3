package distrib

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

func mustVersion(t *testing.T, s *Service) int64 {
	t.Helper()
	st, err := s.EdgeState()
	if err != nil {
		t.Fatal(err)
	}
	return st.Version
}

// TestVersionGrowsOnEveryChange runs every mutation edges must see, and the edge reports that
// must not count as one (a report bumping the Version would wake every edge again, forever).
func TestVersionGrowsOnEveryChange(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	var (
		oai  OAI
		oac  OAC
		dist Distribution
	)
	steps := []struct {
		name   string
		run    func() error
		change bool
	}{
		{"CreateOAI", func() (err error) { oai, _, err = s.CreateOAI(OAIConfig{CallerReference: "r"}); return }, true},
		{"CreateOAI again (idempotent)", func() (err error) { _, _, err = s.CreateOAI(OAIConfig{CallerReference: "r"}); return }, false},
		{"UpdateOAI", func() (err error) {
			oai, err = s.UpdateOAI(oai.ID, oai.ETag, OAIConfig{CallerReference: "r", Comment: "c"})
			return
		}, true},
		{"CreateOAC", func() (err error) {
			oac, err = s.CreateOAC(OACConfig{Name: "n", SigningProtocol: "sigv4", SigningBehavior: "always", OriginType: "s3"})
			return
		}, true},
		{"UpdateOAC", func() (err error) {
			oac, err = s.UpdateOAC(oac.ID, oac.ETag, OACConfig{Name: "m", SigningProtocol: "sigv4", SigningBehavior: "never", OriginType: "s3"})
			return
		}, true},
		{"CreateDistribution", func() (err error) { dist, _, err = s.CreateDistribution(seedConfig(OAIPathPrefix+oai.ID), nil); return }, true},
		{"RegisterEdge", func() error { return s.RegisterEdge("edge-1") }, false},
		{"MarkApplied", func() error { return s.MarkApplied("edge-1", dist.ID, dist.Version) }, false},
		{"CreateInvalidation", func() (err error) { _, _, err = s.CreateInvalidation(dist.ID, "i", []string{"/a"}); return }, true},
		{"MarkInvalidationsApplied", func() error { return s.MarkInvalidationsApplied("edge-1", 1) }, false},
		{"UpdateDistribution (disable)", func() (err error) {
			cfg := dist.Config
			cfg.Enabled = false
			dist, err = s.UpdateDistribution(dist.ID, dist.ETag, cfg)
			return
		}, true},
		{"UnregisterEdge", func() error { return s.UnregisterEdge("edge-1") }, false},
		{"DeleteDistribution", func() error { return s.DeleteDistribution(dist.ID, dist.ETag) }, true},
		{"DeleteOAI", func() error { return s.DeleteOAI(oai.ID, oai.ETag) }, true},
		{"DeleteOAC", func() error { return s.DeleteOAC(oac.ID, oac.ETag) }, true},
		{"DeleteOAC again (fails)", func() error {
			if err := s.DeleteOAC(oac.ID, oac.ETag); !errors.Is(err, ErrNoSuchOAC) {
				return err
			}
			return nil
		}, false},
	}
	for _, st := range steps {
		before := mustVersion(t, s)
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		after := mustVersion(t, s)
		if want := before + map[bool]int64{true: 1}[st.change]; after != want {
			t.Errorf("%s: Version %d -> %d, want %d", st.name, before, after, want)
		}
	}
}

func TestEdgeState(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	st, err := s.EdgeState()
	if err != nil || st.Version != 0 || st.InvalidationSeq != 0 || st.Distributions == nil || len(st.Distributions) != 0 {
		t.Fatalf("empty database: %+v, %v; want Version 0 and empty, non-nil lists", st, err)
	}
	used, err := s.CreateOAC(OACConfig{Name: "used", SigningProtocol: "sigv4", SigningBehavior: "always", OriginType: "s3"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateOAC(OACConfig{Name: "unused", SigningProtocol: "sigv4", SigningBehavior: "never", OriginType: "s3"}); err != nil {
		t.Fatal(err)
	}
	withOAC := seedConfig("")
	withOAC.Origins[0].OriginAccessControlID = used.ID
	a, _, err := s.CreateDistribution(withOAC, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := seedConfig("")
	other.CallerReference, other.Enabled = "other", false
	b, _, err := s.CreateDistribution(other, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateInvalidation(b.ID, "i1", []string{"/x"}); err != nil {
		t.Fatal(err)
	}

	st, err = s.EdgeState()
	if err != nil {
		t.Fatal(err)
	}
	ids := func(st EdgeState) []string {
		var out []string
		for _, d := range st.Distributions {
			out = append(out, d.ID)
		}
		return out
	}
	want := []string{a.ID, b.ID}
	slices.Sort(want)
	if !slices.Equal(ids(st), want) {
		t.Errorf("Distributions %v, want both (disabled ones too) in id order %v", ids(st), want)
	}
	if len(st.OriginAccessControls) != 1 || st.OriginAccessControls[0] != used {
		t.Errorf("OriginAccessControls = %+v, want only the one a distribution names", st.OriginAccessControls)
	}
	if st.Version != 5 || st.InvalidationSeq != 1 {
		t.Errorf("Version %d InvalidationSeq %d, want 5 and 1", st.Version, st.InvalidationSeq)
	}

	// Deleted distributions disappear, with their invalidations.
	if err := s.DeleteDistribution(b.ID, b.ETag); err != nil {
		t.Fatal(err)
	}
	st, err = s.EdgeState()
	if err != nil || !slices.Equal(ids(st), []string{a.ID}) || st.Version != 6 {
		t.Errorf("after delete: %v Version %d, %v; want only %s at Version 6", ids(st), st.Version, err, a.ID)
	}
	if invs, err := s.InvalidationsSince(0, 0); err != nil || len(invs) != 0 {
		t.Errorf("invalidations of a deleted distribution: %+v, %v", invs, err)
	}

	// The Version survives a restart.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, nil)
	if got := mustVersion(t, s); got != 6 {
		t.Errorf("Version after restart = %d, want 6", got)
	}
}

func TestInvalidationsSince(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	a, _, err := s.CreateDistribution(seedConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := seedConfig("")
	cfg.CallerReference = "b"
	b, _, err := s.CreateDistribution(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Alternate distributions, so that Seq order differs from key order.
	for i, d := range []string{a.ID, b.ID, a.ID, b.ID, a.ID} {
		if _, _, err := s.CreateInvalidation(d, string(rune('a'+i)), []string{"/" + string(rune('a'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	seqs := func(invs []Invalidation) []int64 {
		var out []int64
		for _, inv := range invs {
			out = append(out, inv.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		since int64
		max   int
		want  []int64
	}{
		{0, 0, []int64{1, 2, 3, 4, 5}},
		{-1, 0, []int64{1, 2, 3, 4, 5}},
		{2, 0, []int64{3, 4, 5}},
		{0, 2, []int64{1, 2}},
		{3, 1, []int64{4}},
		{5, 0, nil},
		{99, 0, nil},
	} {
		got, err := s.InvalidationsSince(tc.since, tc.max)
		if err != nil || !slices.Equal(seqs(got), tc.want) {
			t.Errorf("InvalidationsSince(%d, %d) = %v, %v; want %v", tc.since, tc.max, seqs(got), err, tc.want)
		}
	}
	got, _ := s.InvalidationsSince(1, 1)
	if len(got) != 1 || got[0].DistributionID != b.ID || !slices.Equal(got[0].Paths, []string{"/b"}) {
		t.Errorf("Seq 2 = %+v, want b's /b", got)
	}
}

// TestInvalidationOrderBackfill opens a database written before the invalidation order
// existed: the first InvalidationsSince indexes what is there.
func TestInvalidationOrderBackfill(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	d, _, err := s.CreateDistribution(seedConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"r1", "r2", "r3"} {
		if _, _, err := s.CreateInvalidation(d.ID, ref, []string{"/" + ref}); err != nil {
			t.Fatal(err)
		}
	}
	var w Writes
	for seq := int64(1); seq <= 3; seq++ {
		w.Delete([]byte(invOrderKey(seq)))
	}
	w.Delete([]byte(invOrderBuiltKey))
	if err := s.store.Apply(&w); err != nil {
		t.Fatal(err)
	}
	got, err := s.InvalidationsSince(1, 0)
	if err != nil || len(got) != 2 || got[0].Seq != 2 || got[1].Seq != 3 {
		t.Errorf("after backfill: %+v, %v; want Seq 2 and 3", got, err)
	}
}

func TestWaitChange(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	ctx := context.Background()
	if v, err := s.WaitChange(ctx, -1); err != nil || v != 0 {
		t.Errorf("WaitChange(-1) = %d, %v; want 0 at once", v, err)
	}
	if v, err := s.WaitChange(ctx, 7); err != nil || v != 0 {
		t.Errorf("WaitChange(7) on Version 0 = %d, %v; want 0 at once (restored database)", v, err)
	}

	// Waiters on the current Version return the next one, whether they block before or
	// after the change lands.
	const waiters = 8
	results := make(chan int64, waiters)
	var started sync.WaitGroup
	for range waiters {
		started.Add(1)
		go func() {
			started.Done()
			v, err := s.WaitChange(ctx, 0)
			if err != nil {
				t.Error(err)
			}
			results <- v
		}()
	}
	started.Wait()
	if _, _, err := s.CreateOAI(OAIConfig{CallerReference: "wake"}); err != nil {
		t.Fatal(err)
	}
	for range waiters {
		if v := <-results; v != 1 {
			t.Errorf("waiter woke with %d, want 1", v)
		}
	}

	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { _, err := s.WaitChange(cctx, 1); done <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v, want context.Canceled", err)
	}

	go func() { _, err := s.WaitChange(ctx, 1); done <- err }()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Errorf("wait across Close: %v, want ErrClosed", err)
	}
	if _, err := s.EdgeState(); !errors.Is(err, ErrClosed) {
		t.Errorf("EdgeState after Close: %v, want ErrClosed", err)
	}
	if _, err := s.InvalidationsSince(0, 0); !errors.Is(err, ErrClosed) {
		t.Errorf("InvalidationsSince after Close: %v, want ErrClosed", err)
	}
}

// TestWaitChangeMissesNothing races writers against a follower that always waits on the
// last Version it saw: a lost wake-up would leave it blocked forever (the test's deadline).
func TestWaitChangeMissesNothing(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	const writers, each = 4, 10
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				if _, _, err := s.CreateOAI(OAIConfig{CallerReference: string(rune('a'+i)) + string(rune('a'+j))}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	var seen int64
	for seen < writers*each {
		v, err := s.WaitChange(context.Background(), seen)
		if err != nil {
			t.Fatal(err)
		}
		if v <= seen {
			t.Fatalf("WaitChange(%d) = %d, want a newer Version", seen, v)
		}
		seen = v
	}
	wg.Wait()
}

func TestStateVersions(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	d, _, err := s.CreateDistribution(seedConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"r1", "r2"} {
		if _, _, err := s.CreateInvalidation(d.ID, ref, []string{"/x"}); err != nil {
			t.Fatal(err)
		}
	}
	v, seq, err := s.StateVersions()
	if err != nil || v != 3 || seq != 2 {
		t.Errorf("StateVersions = %d, %d, %v; want 3, 2", v, seq, err)
	}
	for n, want := range map[string]bool{"edge-1.pop_A": true, "": false, "a/b": false, "é": false} {
		if ValidNode(n) != want {
			t.Errorf("ValidNode(%q) = %v", n, !want)
		}
	}
}

// TestEdgeStatePolicies: the state carries the policies cache behaviors name, managed ones
// included, and no other.
func TestEdgeStatePolicies(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	orp, err := s.CreateOriginRequestPolicy(testOriginRequestPolicy("cors"))
	if err != nil {
		t.Fatal(err)
	}
	rhp, err := s.CreateResponseHeadersPolicy(testResponseHeadersPolicy("headers"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateCachePolicy(testCachePolicy("unused")); err != nil {
		t.Fatal(err)
	}
	cfg := seedConfig("")
	b := &cfg.DefaultCacheBehavior
	b.ForwardedValues, b.MinTTL, b.DefaultTTL, b.MaxTTL = nil, nil, nil, nil
	b.CachePolicyID = CachingOptimizedID
	thumbs := *b
	thumbs.PathPattern, thumbs.OriginRequestPolicyID, thumbs.ResponseHeadersPolicyID = "/thumbs/*", orp.ID, rhp.ID
	other := thumbs
	other.PathPattern = "/other/*"
	cfg.CacheBehaviors = []CacheBehavior{thumbs, other}
	if _, _, err := s.CreateDistribution(cfg, nil); err != nil {
		t.Fatal(err)
	}
	st, err := s.EdgeState()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.CachePolicies) != 1 || st.CachePolicies[0].ID != CachingOptimizedID || !st.CachePolicies[0].Managed {
		t.Errorf("CachePolicies = %+v, want only the managed CachingOptimized", st.CachePolicies)
	}
	if len(st.OriginRequestPolicies) != 1 || st.OriginRequestPolicies[0].ID != orp.ID {
		t.Errorf("OriginRequestPolicies = %+v, want %s once", st.OriginRequestPolicies, orp.ID)
	}
	if len(st.ResponseHeadersPolicies) != 1 || st.ResponseHeadersPolicies[0].Config.Name != "headers" {
		t.Errorf("ResponseHeadersPolicies = %+v, want %s once", st.ResponseHeadersPolicies, rhp.ID)
	}

	// A policy update is a change edges must see.
	before := st.Version
	if _, err := s.UpdateOriginRequestPolicy(orp.ID, orp.ETag, testOriginRequestPolicy("cors2")); err != nil {
		t.Fatal(err)
	}
	if st, _ = s.EdgeState(); st.Version != before+1 || st.OriginRequestPolicies[0].Config.Name != "cors2" {
		t.Errorf("after a policy update: Version %d (want %d), %+v", st.Version, before+1, st.OriginRequestPolicies)
	}
}
