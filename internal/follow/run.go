package follow

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"
)

// Default backoff after a failed Wait or Report.
const (
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
)

// Loop follows a Source. Its zero value plus Source and Applier is ready to use.
type Loop struct {
	// Source is where states come from and reports go. Required.
	Source Source
	// Applier is the edge. Required.
	Applier Applier
	// Logger receives the loop's troubles (the control plane unreachable, and back); nil
	// discards them.
	Logger *slog.Logger
	// MinBackoff is the pause after a first failure; it doubles on each failure in a row up
	// to MaxBackoff, and each pause is drawn at random between half and all of it, so that
	// a fleet of edges does not come back to a restarted control plane in step. 0 means
	// DefaultMinBackoff and DefaultMaxBackoff.
	MinBackoff, MaxBackoff time.Duration
}

// Run follows src into a until ctx ends; see Loop.Run.
func Run(ctx context.Context, src Source, a Applier, log *slog.Logger) error {
	return (&Loop{Source: src, Applier: a, Logger: log}).Run(ctx)
}

// Run waits for a state newer than the last one applied, applies it, reports what was
// applied, and again, until ctx ends; it returns ctx's error then, and never before.
//
// It starts from scratch (after = -1, since = -1): the first Update is the whole state
// without invalidations, and the Applier's answer says which invalidation Seq its cache is
// at, which the next Wait continues from. When the control plane cannot be reached, the
// Applier keeps its last state (Apply is not called), a report not yet delivered is retried
// before anything else, and the loop retries with capped exponential backoff and jitter.
func (l *Loop) Run(ctx context.Context) error {
	log := l.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	after, since := int64(-1), int64(-1)
	var pending *Applied
	failures := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		if pending != nil {
			if err = l.Source.Report(ctx, *pending); err == nil {
				pending = nil
			}
		} else {
			var u Update
			if u, err = l.Source.Wait(ctx, after, since); err == nil {
				a := l.Applier.Apply(u)
				after, since, pending = u.Version, a.InvalidationSeq, &a
			}
		}
		if err == nil {
			if failures > 0 {
				log.Info("edge follow: control plane reachable again", "failures", failures)
				failures = 0
			}
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		failures++
		pause := l.backoff(failures)
		log.Warn("edge follow: control plane unreachable; serving the last state", "err", err, "failures", failures, "retry_in", pause)
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// backoff is the pause after the n-th failure in a row: MinBackoff doubled n-1 times, capped
// at MaxBackoff, then drawn between half and all of it ("equal jitter").
func (l *Loop) backoff(n int) time.Duration {
	lo, hi := l.MinBackoff, l.MaxBackoff
	if lo <= 0 {
		lo = DefaultMinBackoff
	}
	if hi <= 0 {
		hi = DefaultMaxBackoff
	}
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + rand.N(d/2+1)
}
