package disk

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// formatVersioned is the metadata layout with v/ and n/ records, recorded under x/format.
const formatVersioned = 2

// migrate brings a store written before versions existed (o/ records only, in record
// format 1) to formatVersioned: each object becomes the "null" version of its key, with a v/
// record, an n/ index entry and an o/ record carrying its sort key. Every batch is complete
// for the keys it covers and re-running skips migrated records, so a crash midway is
// harmless; x/format is written last.
func (s *Store) migrate() error {
	v, found, err := s.get([]byte(keyFormat))
	if err != nil {
		return err
	}
	if found {
		if len(v) != 1 || v[0] > formatVersioned {
			return fmt.Errorf("disk: the metadata layout %x was written by a newer imgcdn; upgrade it", v)
		}
		if v[0] == formatVersioned {
			return nil
		}
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte(nsObject), UpperBound: prefixEnd([]byte(nsObject))})
	if err != nil {
		return fmt.Errorf("disk: %w", err)
	}
	batch := s.db.NewBatch()
	defer func() { batch.Close() }()
	for ok := it.First(); ok; ok = it.Next() {
		if err := s.migrateRecord(batch, it.Key(), it.Value()); err != nil {
			it.Close()
			return err
		}
		if batch.Len() > 4<<20 {
			if err := s.commit(batch); err != nil {
				it.Close()
				return err
			}
			batch.Close()
			batch = s.db.NewBatch()
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return fmt.Errorf("disk: migrate: %w", err)
	}
	batch.Set([]byte(keyFormat), []byte{formatVersioned}, nil)
	return s.commit(batch)
}

func (s *Store) migrateRecord(batch *pebble.Batch, k, v []byte) error {
	rec, err := decodeObject(v, false)
	if err != nil {
		return fmt.Errorf("%w: object %q", err, k)
	}
	if rec.sortKey != (sortKey{}) {
		return nil
	}
	rest := k[len(nsObject):]
	slash := bytes.IndexByte(rest, '/')
	if slash < 0 || rec.versionID != objstore.NullVersionID || rec.deleteMarker {
		return fmt.Errorf("%w: unversioned object %q", errCorrupt, k)
	}
	bucket, key := string(rest[:slash]), string(rest[slash+1:])
	rec.sortKey = s.ids.version(0)
	enc := rec.encode()
	batch.Set(k, enc, nil)
	batch.Set(versionKey(bucket, key, rec.sortKey), enc, nil)
	batch.Set(nullKey(bucket, key), rec.sortKey[:], nil)
	return nil
}
