package disk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/cockroachdb/pebble"
)

// pinSet counts open Objects per blob. A blob that a commit stops referencing while it is
// pinned is "doomed": its gc marker stays and the last unpin unlinks it. This lets an Object
// open its segment files lazily (a 10,000-part object does not hold 10,000 descriptors) and
// still read a consistent snapshot after an overwrite or delete.
type pinSet struct {
	mu     sync.Mutex
	n      map[blobID]int
	doomed map[blobID]struct{}
}

func (p *pinSet) init() {
	p.n = make(map[blobID]int)
	p.doomed = make(map[blobID]struct{})
}

func (s *Store) pin(ids []blobID) {
	s.pins.mu.Lock()
	for _, id := range ids {
		s.pins.n[id]++
	}
	s.pins.mu.Unlock()
}

// unpin releases ids and unlinks those that were doomed and are now unused.
func (s *Store) unpin(ids []blobID) {
	var free []blobID
	s.pins.mu.Lock()
	for _, id := range ids {
		if s.pins.n[id]--; s.pins.n[id] > 0 {
			continue
		}
		delete(s.pins.n, id)
		if _, ok := s.pins.doomed[id]; ok {
			delete(s.pins.doomed, id)
			free = append(free, id)
		}
	}
	s.pins.mu.Unlock()
	if len(free) == 0 || s.begin() != nil {
		return // closed: the gc markers remain and the next Open unlinks the files
	}
	defer s.end()
	s.unlink(free)
}

// collect unlinks blobs whose gc markers a commit just wrote, except pinned ones, which the
// last unpin collects.
func (s *Store) collect(ids []blobID) {
	if len(ids) == 0 {
		return
	}
	free := ids[:0:0]
	s.pins.mu.Lock()
	for _, id := range ids {
		if s.pins.n[id] > 0 {
			s.pins.doomed[id] = struct{}{}
		} else {
			free = append(free, id)
		}
	}
	s.pins.mu.Unlock()
	s.unlink(free)
}

// unlink removes blob files and then their gc markers. Neither needs to be durable: a marker
// that survives a crash makes Open try the unlink again.
func (s *Store) unlink(ids []blobID) {
	if len(ids) == 0 {
		return
	}
	b := s.db.NewBatch()
	defer b.Close()
	for _, id := range ids {
		if err := os.Remove(blobPath(s.cfg.Dir, id)); err != nil && !errors.Is(err, os.ErrNotExist) {
			continue // keep the marker; Open retries
		}
		b.Delete(gcKey(id), nil)
	}
	b.Commit(pebble.NoSync)
}

// cleanOrphans runs at Open, before any operation: it wipes tmp/ and removes the blobs of pending
// and gc markers.
func (s *Store) cleanOrphans() error {
	tmp := filepath.Join(s.cfg.Dir, "tmp")
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return fmt.Errorf("disk: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(tmp, e.Name())); err != nil {
			return fmt.Errorf("disk: clean tmp: %w", err)
		}
	}
	b := s.db.NewBatch()
	defer b.Close()
	for _, ns := range []string{nsPending, nsGC} {
		it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte(ns), UpperBound: prefixEnd([]byte(ns))})
		if err != nil {
			return fmt.Errorf("disk: %w", err)
		}
		for ok := it.First(); ok; ok = it.Next() {
			var id blobID
			if len(it.Key()) != len(ns)+len(id) {
				it.Close()
				return fmt.Errorf("disk: corrupt marker key %q", it.Key())
			}
			copy(id[:], it.Key()[len(ns):])
			if err := os.Remove(blobPath(s.cfg.Dir, id)); err != nil && !errors.Is(err, os.ErrNotExist) {
				it.Close()
				return fmt.Errorf("disk: remove orphaned blob: %w", err)
			}
			b.Delete(it.Key(), nil)
		}
		if err := errors.Join(it.Error(), it.Close()); err != nil {
			return fmt.Errorf("disk: %w", err)
		}
	}
	if b.Empty() {
		return nil
	}
	return s.commit(b)
}
