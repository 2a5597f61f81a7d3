package follow

import (
	"context"
	"time"

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

// The protocol between follow.Remote and internal/syncapi.
const (
	// SigningService is the SigV4 service name of sync requests; the API port routes on it.
	SigningService = "imgcdn-edge"
	// StatePath is the long-poll GET, AppliedPath the POST of reports.
	StatePath   = "/imgcdn/edge/v1/state"
	AppliedPath = "/imgcdn/edge/v1/applied"
	// LeavePath is the POST by which a node leaves the fleet for good (JSON {"node": ...}):
	// it no longer holds deployments and invalidations InProgress.
	LeavePath = "/imgcdn/edge/v1/leave"
	// MaxWait is the longest a GET state waits for a change. Shorter than the idle timeouts
	// of common proxies and load balancers (60 s and up), so a quiet poll is not cut.
	MaxWait = 60 * time.Second
)

// Limits of one Update: at most MaxInvalidations invalidations, and no more once their paths
// add up to MaxInvalidationBytes (one is always sent, however long: a batch may hold 3,000
// paths of up to 4,096 bytes). The rest follow in the next Updates, at once.
const (
	MaxInvalidations     = distrib.DefaultInvalidationsPage
	MaxInvalidationBytes = 4 << 20
)

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
