package distrib

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// stateVersionKey holds the Version of the last change edges must see (decimal). A database
// from before it existed has none: its Version is 0 until the first change.
const stateVersionKey = "state-version"

// ErrClosed is returned by WaitChange, EdgeState and InvalidationsSince once Close has
// started: long polls end instead of hanging on a store that is going away.
var ErrClosed = errors.New("distrib: the control plane is shutting down; retry against a running one")

// EdgeState is everything an edge node serves from, as one consistent snapshot (issue 4,
// "Identity and state": configs with versions, invalidations since a sequence number).
//
// An edge replaces its whole view with each EdgeState: a distribution missing from
// Distributions was deleted, and the edge drops it and its cache.
type EdgeState struct {
	// Version grows on every change to distributions, origin access identities and controls,
	// invalidations (and policies): an edge that has applied Version V waits for one > V.
	Version int64 `json:"version"`
	// AccountID is Config.AccountID: edges make distribution ARNs with it.
	AccountID string `json:"accountId,omitempty"`
	// Distributions are every distribution, enabled or not (an edge reports disabled ones as
	// applied too: deleting a distribution waits for that), in id order. Status is not set.
	Distributions []Distribution `json:"distributions"`
	// OriginAccessControls are the controls the distributions name, in id order: how the
	// edge signs its origin fetches (SigningBehavior).
	OriginAccessControls []OAC `json:"originAccessControls"`
	// CachePolicies, OriginRequestPolicies and ResponseHeadersPolicies are the policies the
	// distributions' cache behaviors name (managed ones included), each in id order.
	CachePolicies           []CachePolicy           `json:"cachePolicies"`
	OriginRequestPolicies   []OriginRequestPolicy   `json:"originRequestPolicies"`
	ResponseHeadersPolicies []ResponseHeadersPolicy `json:"responseHeadersPolicies"`
	// OriginEndpoints are the registered S3-compatible endpoints the distributions' S3
	// origins name, in domain order, with their secrets (origins.go): this document goes
	// to edges only over the authenticated sync channel.
	OriginEndpoints []OriginEndpoint `json:"originEndpoints"`
	// ImageSettings are the distributions' image optimizer abuse controls (images.go), in
	// distribution id order, with their signing secrets: like OriginEndpoints, for edges only.
	// A distribution without an entry has none (any transform, unsigned).
	ImageSettings []ImageSettings `json:"imageSettings"`
	// InvalidationSeq is the Seq of the last invalidation issued; InvalidationsSince returns
	// those after the Seq an edge has applied.
	InvalidationSeq int64 `json:"invalidationSeq"`
}

// EdgeState returns the current state for edges. It holds the Service's lock while it reads,
// so Version matches what is returned.
func (s *Service) EdgeState() (EdgeState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.feed.isClosed() {
		return EdgeState{}, ErrClosed
	}
	v, err := s.version()
	if err != nil {
		return EdgeState{}, err
	}
	st := EdgeState{Version: v, AccountID: s.cfg.AccountID, Distributions: []Distribution{}, OriginAccessControls: []OAC{}}
	if st.InvalidationSeq, err = s.invalidationSeq(); err != nil {
		return EdgeState{}, err
	}
	var decodeErr error
	err = s.store.Scan([]byte(distPrefix), nil, func(k, val []byte) bool {
		var d Distribution
		if d, decodeErr = decodeJSON[Distribution](val); decodeErr != nil {
			decodeErr = fmt.Errorf("%w (%q)", decodeErr, k)
			return false
		}
		st.Distributions = append(st.Distributions, d)
		return true
	})
	if err = errors.Join(err, decodeErr); err != nil {
		return EdgeState{}, err
	}
	if st.OriginAccessControls, err = s.referencedOACs(st.Distributions); err != nil {
		return EdgeState{}, err
	}
	if err := s.referencedPolicies(&st); err != nil {
		return EdgeState{}, err
	}
	if st.OriginEndpoints, err = s.referencedOriginEndpoints(st.Distributions); err != nil {
		return EdgeState{}, err
	}
	if st.ImageSettings, err = s.edgeImageSettings(st.Distributions); err != nil {
		return EdgeState{}, err
	}
	return st, nil
}

// StateVersions returns the current Version and the Seq of the last invalidation, without
// reading any record: what a long poll compares with what an edge has before it waits.
func (s *Service) StateVersions() (version, invalidationSeq int64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.feed.isClosed() {
		return 0, 0, ErrClosed
	}
	if version, err = s.version(); err != nil {
		return 0, 0, err
	}
	invalidationSeq, err = s.invalidationSeq()
	return version, invalidationSeq, err
}

// ValidNode reports whether n is a valid edge node name (RegisterEdge's rule: 1 to 128
// letters, digits, '-', '_' or '.'), for API layers that check a name before using it.
func ValidNode(n string) bool { return validNode(n) }

// referencedOACs returns the controls ds name, each once, in id order. Callers hold s.mu.
func (s *Service) referencedOACs(ds []Distribution) ([]OAC, error) {
	ids := map[string]bool{}
	for _, d := range ds {
		for _, o := range d.Config.Origins {
			if o.OriginAccessControlID != "" {
				ids[o.OriginAccessControlID] = true
			}
		}
	}
	out := []OAC{}
	var decodeErr error
	err := s.store.Scan([]byte(oacPrefix), nil, func(k, val []byte) bool {
		if !ids[strings.TrimPrefix(string(k), oacPrefix)] {
			return true
		}
		var o OAC
		if o, decodeErr = decodeJSON[OAC](val); decodeErr != nil {
			return false
		}
		out = append(out, o)
		return true
	})
	if err = errors.Join(err, decodeErr); err == nil && len(out) != len(ids) {
		// DeleteOAC refuses a control in use and both are written under s.mu: a missing one
		// means a damaged database, not a race.
		err = fmt.Errorf("distrib: a distribution names an origin access control that is not stored (%d of %d found)", len(out), len(ids))
	}
	return out, err
}

// WaitChange returns the current Version as soon as it differs from after: at once when it
// already does, else when the next change is committed, or when ctx ends (with ctx's error).
// Versions only grow; a Version below after means the database was restored from an older
// copy, and the caller must take the state as it is now. An after below 0 returns at once.
//
// Waiting costs no goroutine and no polling: a change closes the channel every waiter is
// blocked on (changeFeed).
func (s *Service) WaitChange(ctx context.Context, after int64) (int64, error) {
	for {
		// Take the channel before reading the Version: a change committed after the read
		// closes this very channel, and one in flight holds s.mu until it is committed.
		ch := s.feed.wait()
		v, err := s.lockedVersion()
		if err != nil || v != after {
			return v, err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return v, ctx.Err()
		}
	}
}

// lockedVersion reads the Version under s.mu, so that it never sees a version older than a
// change whose notification has already been sent.
func (s *Service) lockedVersion() (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.feed.isClosed() {
		return 0, ErrClosed
	}
	return s.version()
}

// version reads the stored Version. Callers hold s.mu.
func (s *Service) version() (int64, error) {
	v, ok, err := s.getString(stateVersionKey)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("distrib: corrupt record %q: %w", stateVersionKey, err)
	}
	return n, nil
}

// bumpVersion adds the next Version to w and wakes WaitChange's waiters, which then block on
// s.mu until the caller's batch is committed. Every mutation edges must see calls it (or
// applyChange) in the batch of the change itself, so that the Version and the change are
// durable together. Callers hold s.mu and apply w next; calling it twice for one batch is
// harmless.
func (s *Service) bumpVersion(w *Writes) error {
	v, err := s.version()
	if err != nil {
		return err
	}
	w.Set([]byte(stateVersionKey), []byte(strconv.FormatInt(v+1, 10)))
	s.feed.notify()
	return nil
}

// applyChange is s.store.Apply for a mutation edges must see: it bumps the Version in the
// same batch. Callers hold s.mu.
func (s *Service) applyChange(w *Writes) error {
	if err := s.bumpVersion(w); err != nil {
		return err
	}
	return s.store.Apply(w)
}
