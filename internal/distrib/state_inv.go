package distrib

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Key layout of the Service-wide invalidation order. inv/<dist>/<rev> orders each
// distribution's invalidations for ListInvalidations; edges need them across distributions
// in Seq order, which inv-order/ gives without reading every record.
const (
	invOrderPrefix   = "inv-order/"      // inv-order/<Seq, 19 digits> -> <distribution id>/<rev>
	invOrderBuiltKey = "inv-order-built" // present once invalidations older than inv-order are indexed
)

// DefaultInvalidationsPage is how many invalidations InvalidationsSince returns when max is 0:
// a batch holds up to 3,000 paths, so a page stays at a few megabytes at most.
const DefaultInvalidationsPage = 100

func invOrderKey(seq int64) string { return fmt.Sprintf("%s%019d", invOrderPrefix, seq) }

// InvalidationsSince returns the invalidations with a Seq above seq, in Seq order, at most
// max of them (0 means DefaultInvalidationsPage); an edge applies them in that order and
// reports the last Seq with MarkInvalidationsApplied. Invalidations of deleted distributions
// are gone: the edge has dropped those distributions' caches anyway.
func (s *Service) InvalidationsSince(seq int64, max int) ([]Invalidation, error) {
	if max <= 0 {
		max = DefaultInvalidationsPage
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.feed.isClosed() {
		return nil, ErrClosed
	}
	if err := s.buildInvOrder(); err != nil {
		return nil, err
	}
	var after []byte
	if seq >= 0 {
		after = []byte(invOrderKey(seq))
	}
	var refs []string
	err := s.store.Scan([]byte(invOrderPrefix), after, func(_, v []byte) bool {
		refs = append(refs, string(v))
		return len(refs) < max
	})
	if err != nil {
		return nil, err
	}
	out := make([]Invalidation, 0, len(refs))
	for _, ref := range refs {
		var inv Invalidation
		if err := s.getJSON(invPrefix+ref, &inv, ErrNoSuchInvalidation); err != nil {
			return nil, fmt.Errorf("distrib: the invalidation order names a missing record %q: %w", ref, err)
		}
		out = append(out, inv)
	}
	return out, nil
}

// invalidationSeq returns the Seq of the last invalidation issued (0 for none).
func (s *Service) invalidationSeq() (int64, error) {
	v, ok, err := s.getString(invSeqKey)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("distrib: corrupt record %q: %w", invSeqKey, err)
	}
	return n, nil
}

// buildInvOrder indexes, once per database, the invalidations created before inv-order
// existed; CreateInvalidation indexes every later one in its own batch. Rewriting an entry
// that is already there is harmless. Callers hold s.mu.
func (s *Service) buildInvOrder() error {
	if _, done, err := s.getString(invOrderBuiltKey); err != nil || done {
		return err
	}
	var w Writes
	var decodeErr error
	err := s.store.Scan([]byte(invPrefix), nil, func(k, v []byte) bool {
		var inv Invalidation
		if inv, decodeErr = decodeJSON[Invalidation](v); decodeErr != nil {
			return false
		}
		w.Set([]byte(invOrderKey(inv.Seq)), []byte(strings.TrimPrefix(string(k), invPrefix)))
		return true
	})
	if err = errors.Join(err, decodeErr); err != nil {
		return err
	}
	w.Set([]byte(invOrderBuiltKey), []byte{})
	return s.store.Apply(&w)
}

// deleteInvOrder adds to w the removal of distribution distID's entries in the invalidation
// order; DeleteDistribution removes the records themselves.
func (s *Service) deleteInvOrder(w *Writes, distID string) error {
	prefix := invPrefix + distID + "/"
	var parseErr error
	err := s.store.Scan([]byte(prefix), nil, func(k, _ []byte) bool {
		rev, err := strconv.ParseInt(strings.TrimPrefix(string(k), prefix), 10, 64)
		if parseErr = err; err != nil {
			return false
		}
		w.Delete([]byte(invOrderKey(int64(1<<63-1) - rev)))
		return true
	})
	return errors.Join(err, parseErr)
}
