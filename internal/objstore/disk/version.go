package disk

import (
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// The version bookkeeping every write shares. Callers hold the bucket's stripe shared and
// the key's stripe, and commit the batch. The rules are the S3 user guide's: "Working with
// objects in a versioning-enabled bucket", "Working with objects in a versioning-suspended
// bucket" and "Deleting object versions".

// addVersion adds to batch what makes rec (an object or a delete marker) the latest version
// of key, given the bucket's versioning state and the current o/ record (nil if none). With
// versioning enabled rec gets a new version id; otherwise it is the "null" version and
// replaces the previous null version, whose body it returns for collection.
func (s *Store) addVersion(batch *pebble.Batch, bucket, key string, state objstore.VersioningState, rec, cur *objRecord) ([]blobID, error) {
	var newest uint64
	if cur != nil {
		newest = cur.sortKey.seq()
	} else if state != objstore.VersioningUnversioned {
		// The latest may be a delete marker, which o/ does not show.
		latest, err := s.newestVersions(bucket, key, 1)
		if err != nil {
			return nil, err
		}
		if len(latest) > 0 {
			newest = latest[0].sk.seq()
		}
	}
	rec.sortKey = s.ids.version(newest)
	// Last-Modified is the commit time, millisecond precision as S3 returns it.
	rec.modified = time.Now().Truncate(time.Millisecond).UnixNano()
	var garbage []blobID
	if state == objstore.VersioningEnabled {
		rec.versionID = rec.sortKey.versionID()
	} else {
		rec.versionID = objstore.NullVersionID
		// An unversioned bucket's only version is current whenever it exists.
		if cur != nil || state != objstore.VersioningUnversioned {
			old, found, err := s.findVersion(bucket, key, objstore.NullVersionID, cur)
			if err != nil {
				return nil, err
			}
			if found {
				batch.Delete(versionKey(bucket, key, old.sortKey), nil)
				garbage = s.dropBody(batch, old)
			}
		}
		batch.Set(nullKey(bucket, key), rec.sortKey[:], nil)
	}
	v := rec.encode()
	batch.Set(versionKey(bucket, key, rec.sortKey), v, nil)
	switch {
	case !rec.deleteMarker:
		batch.Set(objectKey(bucket, key), v, nil)
	case cur != nil:
		batch.Delete(objectKey(bucket, key), nil)
	}
	return garbage, nil
}

// removeVersion adds to batch what removes version rec of key for good, and reports whether
// it was the latest. Then the next newest version becomes current: o/ is set to it, or
// removed when it is a delete marker or there is none.
func (s *Store) removeVersion(batch *pebble.Batch, bucket, key string, rec *objRecord) (latest bool, garbage []blobID, err error) {
	newest, err := s.newestVersions(bucket, key, 2)
	if err != nil {
		return false, nil, err
	}
	batch.Delete(versionKey(bucket, key, rec.sortKey), nil)
	if rec.versionID == objstore.NullVersionID {
		batch.Delete(nullKey(bucket, key), nil)
	}
	garbage = s.dropBody(batch, rec)
	if len(newest) == 0 || newest[0].sk != rec.sortKey {
		return false, garbage, nil
	}
	switch {
	case len(newest) > 1 && !newest[1].marker:
		batch.Set(objectKey(bucket, key), newest[1].raw, nil)
	case !rec.deleteMarker:
		batch.Delete(objectKey(bucket, key), nil)
	}
	return true, garbage, nil
}

// versionEntry is one v/ record as newestVersions reads it.
type versionEntry struct {
	sk     sortKey
	marker bool
	raw    []byte // the encoded record (a copy)
}

// newestVersions returns up to n of key's newest versions, newest first.
func (s *Store) newestVersions(bucket, key string, n int) ([]versionEntry, error) {
	all := versionKeyAll(bucket, key)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: all, UpperBound: prefixEnd(all)})
	if err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	var out []versionEntry
	for ok := it.First(); ok && len(out) < n; ok = it.Next() {
		k := it.Key()
		if len(k) != len(all)+len(sortKey{}) {
			it.Close()
			return nil, fmt.Errorf("%w: version key %q", errCorrupt, k)
		}
		rec, err := decodeObject(it.Value(), true)
		if err != nil {
			it.Close()
			return nil, fmt.Errorf("%w: version %q", err, k)
		}
		e := versionEntry{marker: rec.deleteMarker, raw: append([]byte(nil), it.Value()...)}
		copy(e.sk[:], k[len(all):])
		out = append(out, e)
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	return out, nil
}

// latestVersion returns key's newest version (an object or a delete marker).
func (s *Store) latestVersion(bucket, key string) (*objRecord, bool, error) {
	newest, err := s.newestVersions(bucket, key, 1)
	if err != nil || len(newest) == 0 {
		return nil, false, err
	}
	rec, err := decodeObject(newest[0].raw, false)
	if err != nil {
		return nil, false, fmt.Errorf("%w: latest version of %q", err, key)
	}
	return &rec, true, nil
}

// findVersion returns the version of key that versionID names, if it exists. cur, the
// current o/ record or nil, saves a read when it is the one named. A malformed id names
// nothing.
func (s *Store) findVersion(bucket, key, versionID string, cur *objRecord) (*objRecord, bool, error) {
	var sk sortKey
	if versionID == objstore.NullVersionID {
		if cur != nil && cur.versionID == objstore.NullVersionID {
			return cur, true, nil
		}
		v, found, err := s.get(nullKey(bucket, key))
		if err != nil || !found {
			return nil, false, err
		}
		if len(v) != len(sk) {
			return nil, false, fmt.Errorf("%w: null version index of %q", errCorrupt, key)
		}
		copy(sk[:], v)
	} else {
		var ok bool
		if sk, ok = parseVersionID(versionID); !ok {
			return nil, false, nil
		}
		if cur != nil && cur.sortKey == sk {
			return cur, true, nil
		}
	}
	rec, found, err := s.readRecord(versionKey(bucket, key, sk))
	if err != nil || !found || rec.versionID != versionID {
		// A null version's sort key spelled as an id does not name it.
		return nil, false, err
	}
	return rec, true, nil
}

// noSuchVersion is the error for a version id that names nothing.
func noSuchVersion(key, versionID string) error {
	if versionID != objstore.NullVersionID {
		if _, ok := parseVersionID(versionID); !ok {
			return fmt.Errorf("%w: %w: %q of %q", objstore.ErrNoSuchVersion, objstore.ErrInvalidVersionID, versionID, key)
		}
	}
	return fmt.Errorf("%w: %q of %q", objstore.ErrNoSuchVersion, versionID, key)
}
