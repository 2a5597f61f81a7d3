package distrib

import (
	"errors"
	"strconv"
	"strings"
)

// Key layout of edge nodes. A distribution is Deployed when every registered node has
// applied its current Version (issue 4: "InProgress until every registered edge node has
// loaded its current config"). With no node registered, a stored config counts as deployed:
// there is nobody left to load it. The edge issue registers the embedded edge of
// `imgcdn serve`, and every remote edge, with RegisterEdge.
const (
	edgePrefix    = "edge/"    // edge/<node> -> ""
	appliedPrefix = "applied/" // applied/<node>/<distribution id> -> decimal version
)

// RegisterEdge adds an edge node; from then on distributions are InProgress until it has
// reported their current version with MarkApplied. Registering twice is harmless.
func (s *Service) RegisterEdge(node string) error {
	if !validNode(node) {
		return InvalidArgument("node", "must be 1 to 128 letters, digits, '-', '_' or '.'")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok, err := s.getString(edgePrefix + node); err != nil || ok {
		return err
	}
	// A new node starts with an empty cache: every invalidation issued so far is applied.
	seq, _, err := s.getString(invSeqKey)
	if err != nil {
		return err
	}
	if seq == "" {
		seq = "0"
	}
	var w Writes
	w.Set([]byte(edgePrefix+node), []byte{})
	w.Set([]byte(edgeInvPrefix+node), []byte(seq))
	return s.store.Apply(&w)
}

// UnregisterEdge removes an edge node and what it reported, so that it no longer holds
// distributions InProgress.
func (s *Service) UnregisterEdge(node string) error {
	if !validNode(node) {
		return ErrNoSuchEdge
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var w Writes
	w.Delete([]byte(edgePrefix + node))
	w.Delete([]byte(edgeInvPrefix + node))
	err := s.store.Scan([]byte(appliedPrefix+node+"/"), nil, func(k, _ []byte) bool {
		w.Delete(append([]byte(nil), k...))
		return true
	})
	if err != nil {
		return err
	}
	return s.store.Apply(&w)
}

// MarkApplied records that node serves version of distribution id. Versions only grow: an
// older report after a newer one is ignored.
func (s *Service) MarkApplied(node, id string, version int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireEdge(node); err != nil {
		return err
	}
	if _, err := s.getDistribution(id); err != nil {
		return err
	}
	return s.raiseWatermark(appliedPrefix+node+"/"+id, version)
}

// withStatus sets d.Status from what the registered edges have applied.
func (s *Service) withStatus(d Distribution) (Distribution, error) {
	done, err := s.allEdgesReached(func(node string) string { return appliedPrefix + node + "/" + d.ID }, d.Version)
	if err != nil {
		return Distribution{}, err
	}
	d.Status = StatusInProgress
	if done {
		d.Status = StatusDeployed
	}
	return d, nil
}

// requireEdge returns ErrNoSuchEdge unless node is registered. Callers hold s.mu.
func (s *Service) requireEdge(node string) error {
	_, ok, err := s.getString(edgePrefix + node)
	if err == nil && !ok {
		err = ErrNoSuchEdge
	}
	return err
}

// raiseWatermark stores v under key unless a value at least as high is there already: edge
// reports may arrive out of order, and a late one must not move a watermark back. Callers hold
// s.mu.
func (s *Service) raiseWatermark(key string, v int64) error {
	cur, ok, err := s.getString(key)
	if err != nil {
		return err
	}
	if n, _ := strconv.ParseInt(cur, 10, 64); ok && n >= v {
		return nil
	}
	var w Writes
	w.Set([]byte(key), []byte(strconv.FormatInt(v, 10)))
	return s.store.Apply(&w)
}

// allEdgesReached reports whether every registered edge's watermark (stored under
// keyFor(node)) is at least want. With no edge registered it is true at once: the rule that
// makes distributions Deployed and invalidations Completed.
func (s *Service) allEdgesReached(keyFor func(node string) string, want int64) (bool, error) {
	var nodes []string
	err := s.store.Scan([]byte(edgePrefix), nil, func(k, _ []byte) bool {
		nodes = append(nodes, strings.TrimPrefix(string(k), edgePrefix))
		return true
	})
	if err != nil {
		return false, err
	}
	for _, n := range nodes {
		v, ok, err := s.getString(keyFor(n))
		if err != nil {
			return false, err
		}
		if applied, perr := strconv.ParseInt(v, 10, 64); !ok || perr != nil || applied < want {
			return false, nil
		}
	}
	return true, nil
}

// deleteApplied adds to w the removal of every node's report about distribution id, and of
// the distribution's invalidations.
func (s *Service) deleteApplied(w *Writes, id string) error {
	err := s.store.Scan([]byte(edgePrefix), nil, func(k, _ []byte) bool {
		w.Delete([]byte(appliedPrefix + strings.TrimPrefix(string(k), edgePrefix) + "/" + id))
		return true
	})
	for _, prefix := range []string{invPrefix, invIDPrefix, invRefPrefix} {
		err = errors.Join(err, s.store.Scan([]byte(prefix+id+"/"), nil, func(k, _ []byte) bool {
			w.Delete(append([]byte(nil), k...))
			return true
		}))
	}
	return errors.Join(err, s.deleteInvOrder(w, id))
}

func validNode(n string) bool {
	if n == "" || len(n) > 128 {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.", c) >= 0) {
			return false
		}
	}
	return true
}
