package app

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/imgcdn/imgcdn/internal/follow"
)

// reportLog tells the operator when a node's first report reached the control plane: from
// then on the node is registered there, and every new distribution stays InProgress (every
// invalidation too) until this node has applied it. Starting a fleet, or restarting a node,
// can wait for that line. Later reports are logged at debug level only.
type reportLog struct {
	follow.Source
	log  *slog.Logger
	node string
	done atomic.Bool
}

var _ follow.Source = (*reportLog)(nil)

// Report implements follow.Source.
func (r *reportLog) Report(ctx context.Context, a follow.Applied) error {
	err := r.Source.Report(ctx, a)
	switch {
	case err != nil:
	case r.done.CompareAndSwap(false, true):
		r.log.Info("edge: registered with the control plane; distributions now deploy to this node too",
			"node", r.node, "distributions", len(a.Distributions), "invalidation_seq", a.InvalidationSeq)
	default:
		r.log.Debug("edge: reported to the control plane", "node", r.node,
			"distributions", len(a.Distributions), "invalidation_seq", a.InvalidationSeq)
	}
	return err
}
