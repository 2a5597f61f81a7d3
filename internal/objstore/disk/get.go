package disk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// HeadObject costs one metadata read for the latest version (more when the key is missing
// and must be told apart from a missing bucket or a delete marker).
func (s *Store) HeadObject(ctx context.Context, bucket, key, versionID string) (objstore.ObjectInfo, error) {
	if err := s.begin(); err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer s.end()
	rec, latest, err := s.lookup(bucket, key, versionID)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	info := rec.info(bucket, key)
	info.IsLatest = latest
	return info, nil
}

// lookup returns the object version a read names and whether it is the latest; see
// objstore.Objects.HeadObject for the errors.
func (s *Store) lookup(bucket, key, versionID string) (*objRecord, bool, error) {
	if err := objstore.ValidateKey(key); err != nil {
		return nil, false, err
	}
	cur, err := s.currentRecord(bucket, key)
	if err != nil {
		return nil, false, err
	}
	if versionID == "" {
		if cur != nil {
			return cur, true, nil
		}
		return nil, false, s.missing(bucket, key)
	}
	rec, found, err := s.findVersion(bucket, key, versionID, cur)
	if err != nil {
		return nil, false, err
	}
	if !found {
		if _, err := s.bucket(bucket); err != nil {
			return nil, false, err
		}
		return nil, false, noSuchVersion(key, versionID)
	}
	latest := cur != nil && cur.sortKey == rec.sortKey
	if rec.deleteMarker {
		if cur == nil {
			newest, err := s.newestVersions(bucket, key, 1)
			if err != nil {
				return nil, false, err
			}
			latest = len(newest) > 0 && newest[0].sk == rec.sortKey
		}
		info := rec.info(bucket, key)
		info.IsLatest = latest
		return nil, false, &objstore.DeleteMarkerError{Marker: info, Err: objstore.ErrDeleteMarker}
	}
	return rec, latest, nil
}

// missing explains why a key has no current object: no bucket, a delete marker on top
// (only possible once the bucket was versioned), or no version at all.
func (s *Store) missing(bucket, key string) error {
	b, ok := s.bucketRec(bucket)
	if !ok {
		return fmt.Errorf("%w: %q", objstore.ErrNoSuchBucket, bucket)
	}
	if b.versioning != objstore.VersioningUnversioned {
		latest, found, err := s.latestVersion(bucket, key)
		if err != nil {
			return err
		}
		if found && latest.deleteMarker {
			return &objstore.DeleteMarkerError{Marker: latest.info(bucket, key), Err: objstore.ErrNoSuchKey}
		}
	}
	return fmt.Errorf("%w: %q", objstore.ErrNoSuchKey, key)
}

// OpenObject returns a snapshot of the object version: inline bodies are copied into a pooled
// buffer (and decrypted, which authenticates them), blob files are pinned so that removing the version
// does not unlink them until the Object is closed.
func (s *Store) OpenObject(ctx context.Context, bucket, key, versionID string) (objstore.Object, error) {
	if err := s.begin(); err != nil {
		return nil, err
	}
	defer s.end()
	for {
		rec, latest, err := s.lookup(bucket, key, versionID)
		if err != nil {
			return nil, err
		}
		o, ok, err := s.snapshot(rec, bucket, key)
		if err != nil || ok {
			if o != nil {
				o.info.IsLatest = latest
			}
			return o, err
		}
		// A writer removed the version between the two reads: look again.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

// snapshot pins rec's body. It reports false when the version was removed in the meantime.
func (s *Store) snapshot(rec *objRecord, bucket, key string) (*object, bool, error) {
	o := &object{s: s, info: rec.info(bucket, key), encrypted: rec.encrypted}
	if rec.inline {
		// The d/ value is deleted in the batch that removes the version, so finding it means
		// it belongs to rec.
		data, err := s.inlineBody(rec)
		if errors.Is(err, pebble.ErrNotFound) {
			// Removed in the meantime, unless the version still names this body.
			still, err := s.stillThere(bucket, key, rec)
			if err == nil && still {
				err = fmt.Errorf("%w: the inline body of %q is missing", errCorrupt, key)
			}
			return nil, false, err
		}
		if err != nil {
			return nil, false, fmt.Errorf("%q: %w", key, err)
		}
		if got := data.size(); got != rec.size {
			data.release()
			return nil, false, fmt.Errorf("%w: inline body of %q has %d bytes, want %d", errCorrupt, key, got, rec.size)
		}
		o.inline = data
		return o, true, nil
	}
	o.segs = rec.segs
	o.pinned = rec.blobs()
	s.pin(o.pinned)
	// Blobs are collected only after a commit that removed their version; if the version is
	// still there now, that commit comes after the pin, and collect will see it.
	still, err := s.stillThere(bucket, key, rec)
	if err != nil || !still {
		s.unpin(o.pinned)
		return nil, false, err
	}
	return o, true, nil
}

// inlineBody returns a copy of rec's inline body in a pooled buffer, decrypted when rec is
// encrypted (nil for an empty body), or an error wrapping pebble.ErrNotFound when the d/ value
// is gone. The copy is cheaper than pinning pebble's value for as long as a slow client takes
// to read it, which would hold a memtable or cache block in memory.
func (s *Store) inlineBody(rec *objRecord) (*inlineData, error) {
	v, closer, err := s.db.Get(dataKey(rec.dataID))
	if err != nil {
		if errors.Is(err, pebble.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("disk: read metadata: %w", err)
	}
	defer closer.Close()
	want := len(v)
	if rec.encrypted {
		want = int(rec.size)
	}
	if want <= 0 || want > MaxInlineMax {
		// Nothing to pool: an empty body, or a corrupt record that snapshot reports.
		if !rec.encrypted {
			return plainInline(append([]byte(nil), v...)), nil
		}
		data, err := s.open(nil, &rec.dataWK, rec.dataID, v)
		return plainInline(data), err
	}
	buf := s.inlineBufs.get(want)
	if !rec.encrypted {
		*buf = append(*buf, v...)
		return newInlineData(&s.inlineBufs, buf, *buf, false), nil
	}
	data, err := s.open(*buf, &rec.dataWK, rec.dataID, v)
	if err != nil {
		s.inlineBufs.put(buf, true)
		return nil, err
	}
	if cap(data) != cap(*buf) {
		// The plaintext outgrew the buffer (a record whose size lies): keep it off the pool.
		s.inlineBufs.put(buf, true)
		return plainInline(data), nil
	}
	*buf = data
	return newInlineData(&s.inlineBufs, buf, data, true), nil
}

// stillThere reports whether the version rec was read from still exists with the same body.
func (s *Store) stillThere(bucket, key string, rec *objRecord) (bool, error) {
	again, found, err := s.readRecord(versionKey(bucket, key, rec.sortKey))
	return err == nil && found && sameBody(rec, again), err
}

func sameBody(a, b *objRecord) bool {
	if a.inline != b.inline || a.dataID != b.dataID || len(a.segs) != len(b.segs) {
		return false
	}
	for i := range a.segs {
		if a.segs[i] != b.segs[i] {
			return false
		}
	}
	return true
}

// object implements objstore.Object.
type object struct {
	s         *Store
	info      objstore.ObjectInfo
	encrypted bool
	inline    *inlineData // plaintext; nil for blob bodies
	segs      []segment
	pinned    []blobID
	once      sync.Once
	closed    atomic.Bool
}

func (o *object) Info() objstore.ObjectInfo { return o.info }

// NewReader returns a reader of [offset, offset+length); length -1 reads to the end. Readers
// of plain blob bodies implement io.WriterTo, handing net/http an *os.File section it can
// sendfile; readers of encrypted ones decrypt only the chunks the range overlaps and write
// each decrypted chunk straight from its buffer.
func (o *object) NewReader(offset, length int64) (io.ReadCloser, error) {
	size := o.info.Size
	if length == -1 && offset >= 0 {
		length = size - offset
	}
	if offset < 0 || length < 0 || offset > size || length > size-offset {
		return nil, fmt.Errorf("%w: offset %d length %d of a %d-byte object", objstore.ErrInvalidRange, offset, length, size)
	}
	if o.closed.Load() {
		// Close may have let go of the inline buffer or the pinned blobs.
		return nil, errObjectClosed
	}
	if o.inline != nil {
		if !o.inline.acquire() {
			return nil, errObjectClosed
		}
		return newInlineReader(o.inline, offset, length), nil
	}
	if len(o.segs) == 0 {
		return newBytesReader(nil), nil
	}
	if o.encrypted {
		r := newCryptReader(o.s, o.segs, offset, length)
		if err := r.start(); err != nil {
			return nil, err
		}
		return r, nil
	}
	return newSegReader(o.s.cfg.Dir, o.segs, offset, length), nil
}

// Close releases the pinned blobs, or the Object's hold on its inline buffer (readers still
// open keep theirs). It is idempotent.
func (o *object) Close() error {
	o.once.Do(func() {
		o.closed.Store(true)
		if o.inline != nil {
			o.inline.release()
		}
		if o.pinned != nil {
			o.s.unpin(o.pinned)
		}
	})
	return nil
}
