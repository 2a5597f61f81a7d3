package follow

import (
	"context"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// Source is where a follower gets states from and reports to.
type Source interface {
	// Wait blocks until the control plane's state differs from Version after, or has
	// invalidations after Seq since, and returns it (invalidations only when since >= 0). It
	// returns ctx's error when ctx ends first.
	Wait(ctx context.Context, after, since int64) (Update, error)
	// Report tells the control plane what the edge has applied.
	Report(ctx context.Context, a Applied) error
}

// Update is one state of the control plane for edges, the JSON body of syncapi's GET state.
type Update struct {
	distrib.EdgeState
	// Since is the Seq the invalidations follow (the since of the Wait); -1 when the Wait
	// asked for none.
	Since int64 `json:"since"`
	// Invalidations are those with a Seq above Since, in Seq order: a page of at most
	// MaxInvalidations. When the last one's Seq is below InvalidationSeq more are waiting,
	// and the next Wait returns them at once.
	Invalidations []distrib.Invalidation `json:"invalidations"`
}

// MaxInvalidations is how many invalidations one Update carries at most.
const MaxInvalidations = distrib.DefaultInvalidationsPage

// Applied is what an edge has applied, in answer to an Update.
type Applied struct {
	// Distributions maps the id of every distribution the edge serves to the Version it
	// serves; one it could not load is left out, and stays InProgress.
	Distributions map[string]int64 `json:"distributions"`
	// InvalidationSeq is the Seq of the last invalidation applied to the edge's cache: with
	// an empty cache, the Update's InvalidationSeq (nothing cached, nothing to remove).
	InvalidationSeq int64 `json:"invalidationSeq"`
}

// Report is the JSON body of syncapi's POST applied: who applied what.
type Report struct {
	Node string `json:"node"`
	Applied
}

// Applier is the edge: it replaces what it serves with the Update's state, removes the
// invalidated paths from its cache, and says what it applied. Apply must not block for long
// (the loop reports only after it returns) and must keep serving its last state when an
// Update cannot be applied in full.
type Applier interface {
	Apply(Update) Applied
}

// ApplierFunc adapts a function to Applier.
type ApplierFunc func(Update) Applied

// Apply calls f(u).
func (f ApplierFunc) Apply(u Update) Applied { return f(u) }
