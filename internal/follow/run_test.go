package follow

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

func TestBackoff(t *testing.T) {
	l := &Loop{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	for _, tc := range []struct {
		n      int
		lo, hi time.Duration
	}{
		{1, 50 * time.Millisecond, 100 * time.Millisecond},
		{2, 100 * time.Millisecond, 200 * time.Millisecond},
		{4, 400 * time.Millisecond, 800 * time.Millisecond},
		{5, 500 * time.Millisecond, time.Second},
		{50, 500 * time.Millisecond, time.Second},
	} {
		for range 100 {
			if d := l.backoff(tc.n); d < tc.lo || d > tc.hi {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", tc.n, d, tc.lo, tc.hi)
			}
		}
	}
	var zero Loop
	if d := zero.backoff(1000); d < DefaultMaxBackoff/2 || d > DefaultMaxBackoff {
		t.Errorf("default backoff after many failures: %s", d)
	}
}

// scripted is a Source that answers from a script and records the calls it gets.
type scripted struct {
	calls  []string
	waits  []error // error of each Wait in turn; nil answers with version len(calls)
	report []error
	done   context.CancelFunc
	stopAt int
}

func (s *scripted) step(call string) {
	s.calls = append(s.calls, call)
	if len(s.calls) == s.stopAt {
		s.done()
	}
}

func (s *scripted) Wait(_ context.Context, after, since int64) (Update, error) {
	s.step("wait")
	if len(s.waits) > 0 {
		err := s.waits[0]
		s.waits = s.waits[1:]
		if err != nil {
			return Update{}, err
		}
	}
	return Update{EdgeState: distrib.EdgeState{Version: int64(len(s.calls))}}, nil
}

func (s *scripted) Report(context.Context, Applied) error {
	s.step("report")
	if len(s.report) > 0 {
		err := s.report[0]
		s.report = s.report[1:]
		return err
	}
	return nil
}

// TestLoopRetriesReportFirst: a report that fails is sent again before the next Wait, and a
// failed Wait does not reach the Applier.
func TestLoopRetriesReportFirst(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	down := errors.New("connection refused")
	src := &scripted{waits: []error{nil, down, nil}, report: []error{down, down}, done: cancel, stopAt: 7}
	var applied []int64
	l := &Loop{Source: src, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond,
		Applier: ApplierFunc(func(u Update) Applied { applied = append(applied, u.Version); return Applied{} })}
	if err := l.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if want := []string{"wait", "report", "report", "report", "wait", "wait", "report"}; !slices.Equal(src.calls, want) {
		t.Errorf("calls %v, want %v", src.calls, want)
	}
	if want := []int64{1, 6}; !slices.Equal(applied, want) {
		t.Errorf("applied versions %v, want %v (never the failed Wait)", applied, want)
	}
}

func TestFirstBytes(t *testing.T) {
	inv := func(n int) distrib.Invalidation {
		return distrib.Invalidation{Paths: []string{strings.Repeat("p", n)}}
	}
	for _, tc := range []struct {
		sizes  []int
		budget int
		want   int
	}{
		{nil, 10, 0},
		{[]int{3, 3, 3}, 10, 3},
		{[]int{3, 3, 5}, 10, 2},
		{[]int{20, 1}, 10, 1}, // one is always sent
		{[]int{10}, 10, 1},
	} {
		var invs []distrib.Invalidation
		for _, n := range tc.sizes {
			invs = append(invs, inv(n))
		}
		if got := firstBytes(invs, tc.budget); len(got) != tc.want {
			t.Errorf("firstBytes(%v, %d) keeps %d, want %d", tc.sizes, tc.budget, len(got), tc.want)
		}
	}
}
