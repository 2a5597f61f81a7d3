package follow

import (
	"context"
	"errors"
	"fmt"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// Local is a Source over a *distrib.Service in the same process: the embedded edge of
// `imgcdn serve` follows it, and syncapi answers remote edges with it.
type Local struct {
	svc  *distrib.Service
	node string
}

var _ Source = (*Local)(nil)

// NewLocal returns a Source reading svc for edge node (letters, digits, '-', '_' and '.').
func NewLocal(svc *distrib.Service, node string) (*Local, error) {
	if svc == nil {
		return nil, errors.New("follow: NewLocal needs a *distrib.Service")
	}
	if !distrib.ValidNode(node) {
		return nil, fmt.Errorf("follow: %w", distrib.InvalidArgument("node", "must be 1 to 128 letters, digits, '-', '_' or '.'"))
	}
	return &Local{svc: svc, node: node}, nil
}

// Wait implements Source: it waits on the Service's change feed, without polling.
func (l *Local) Wait(ctx context.Context, after, since int64) (Update, error) {
	version, seq, err := l.svc.StateVersions()
	if err != nil {
		return Update{}, err
	}
	if version == after && (since < 0 || seq <= since) {
		if _, err := l.svc.WaitChange(ctx, after); err != nil {
			return Update{}, err
		}
	}
	st, err := l.svc.EdgeState()
	if err != nil {
		return Update{}, err
	}
	u := Update{EdgeState: st, Since: -1, Invalidations: []distrib.Invalidation{}}
	if since >= 0 {
		u.Since = since
		invs, err := l.svc.InvalidationsSince(since, MaxInvalidations)
		if err != nil {
			return Update{}, err
		}
		u.Invalidations = firstBytes(invs, MaxInvalidationBytes)
	}
	return u, nil
}

// Report implements Source: it registers the node on first contact (from then on it holds
// distributions InProgress until it has applied them), then records its watermarks. A
// distribution deleted since the Update was sent is skipped: there is nothing left to deploy.
func (l *Local) Report(_ context.Context, a Applied) error {
	if err := l.svc.RegisterEdge(l.node); err != nil {
		return err
	}
	for id, v := range a.Distributions {
		if err := l.svc.MarkApplied(l.node, id, v); err != nil && !errors.Is(err, distrib.ErrNoSuchDistribution) {
			return err
		}
	}
	return l.svc.MarkInvalidationsApplied(l.node, a.InvalidationSeq)
}

// firstBytes returns the longest prefix of invs whose paths add up to at most budget bytes,
// and at least the first one.
func firstBytes(invs []distrib.Invalidation, budget int) []distrib.Invalidation {
	n := 0
	for i, inv := range invs {
		for _, p := range inv.Paths {
			n += len(p)
		}
		if n > budget && i > 0 {
			return invs[:i]
		}
	}
	return invs
}
