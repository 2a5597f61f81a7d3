package distrib

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cockroachdb/pebble"
)

// errNotFound is a Store's answer for a missing key.
var errNotFound = errors.New("distrib: key not found")

// Store is the durable key-value space the Service keeps its records in. Later resources
// (distributions, invalidations) add key prefixes, not methods. Apply must be atomic and
// durable (synced) before it returns: an acknowledged CloudFront call survives a crash.
type Store interface {
	// Get returns the value of key, or an error wrapping errNotFound.
	Get(key []byte) ([]byte, error)
	// Apply writes every change of w atomically and durably.
	Apply(w *Writes) error
	// Scan calls fn for every key with prefix, in key order, starting after the key `after`
	// (all of them when after is nil), until fn returns false.
	Scan(prefix, after []byte, fn func(key, value []byte) bool) error
	Close() error
}

// Writes is an ordered set of changes for Store.Apply. A nil value deletes the key.
type Writes struct {
	keys, values [][]byte
}

// Set records key = value.
func (w *Writes) Set(key, value []byte) {
	w.keys, w.values = append(w.keys, key), append(w.values, value)
}

// Delete records the removal of key.
func (w *Writes) Delete(key []byte) { w.keys, w.values = append(w.keys, key), append(w.values, nil) }

// pebbleStore is the Store on a pebble database of its own.
type pebbleStore struct {
	db *pebble.DB
}

var _ Store = (*pebbleStore)(nil)

// openPebble opens (creating if needed) the database in dir.
func openPebble(dir string, log *slog.Logger) (*pebbleStore, error) {
	db, err := pebble.Open(dir, &pebble.Options{
		FormatMajorVersion: pebble.FormatNewest,
		Logger:             pebbleLogger{log},
	})
	if err != nil {
		return nil, fmt.Errorf("distrib: open %s: %w", dir, err)
	}
	return &pebbleStore{db: db}, nil
}

func (s *pebbleStore) Get(key []byte) ([]byte, error) {
	v, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, fmt.Errorf("%w: %q", errNotFound, key)
	}
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	return bytes.Clone(v), nil
}

func (s *pebbleStore) Apply(w *Writes) error {
	b := s.db.NewBatch()
	defer b.Close()
	for i, k := range w.keys {
		var err error
		if w.values[i] == nil {
			err = b.Delete(k, nil)
		} else {
			err = b.Set(k, w.values[i], nil)
		}
		if err != nil {
			return err
		}
	}
	return b.Commit(pebble.Sync)
}

func (s *pebbleStore) Scan(prefix, after []byte, fn func(key, value []byte) bool) error {
	lower := prefix
	if after != nil {
		// The smallest key greater than after.
		lower = append(bytes.Clone(after), 0)
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		if !fn(it.Key(), it.Value()) {
			break
		}
	}
	return errors.Join(it.Error(), it.Close())
}

func (s *pebbleStore) Close() error { return s.db.Close() }

// prefixEnd is the exclusive upper bound of the keys starting with prefix.
func prefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// pebbleLogger sends pebble's informational chatter to slog at debug level and its errors at
// error level; a nil logger discards both.
type pebbleLogger struct{ l *slog.Logger }

func (p pebbleLogger) Infof(format string, args ...any) {
	if p.l != nil {
		p.l.Debug(fmt.Sprintf("control store: "+format, args...))
	}
}

func (p pebbleLogger) Errorf(format string, args ...any) {
	if p.l != nil {
		p.l.Error(fmt.Sprintf("control store: "+format, args...))
	}
}

func (p pebbleLogger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf("control store: "+format, args...))
}

func isNotFound(err error) bool { return errors.Is(err, errNotFound) }
