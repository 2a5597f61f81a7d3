package disk

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// HeadObject costs one metadata read (two when the bucket must be told apart from the key).
func (s *Store) HeadObject(ctx context.Context, bucket, key, versionID string) (objstore.ObjectInfo, error) {
	if err := s.begin(); err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer s.end()
	rec, err := s.lookup(bucket, key, versionID)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	return rec.info(bucket, key), nil
}

// lookup returns the record a read names. Unversioned buckets hold one version, "null".
func (s *Store) lookup(bucket, key, versionID string) (*objRecord, error) {
	if err := objstore.ValidateKey(key); err != nil {
		return nil, err
	}
	rec, found, err := s.current(objectKey(bucket, key))
	if err != nil {
		return nil, err
	}
	if !found || rec.deleteMarker {
		if _, err := s.bucket(bucket); err != nil {
			return nil, err
		}
		if versionID != "" {
			return nil, fmt.Errorf("%w: %q of %q", objstore.ErrNoSuchVersion, versionID, key)
		}
		return nil, fmt.Errorf("%w: %q", objstore.ErrNoSuchKey, key)
	}
	if versionID != "" && versionID != rec.versionID {
		return nil, fmt.Errorf("%w: %q of %q", objstore.ErrNoSuchVersion, versionID, key)
	}
	return rec, nil
}

// OpenObject returns a snapshot of the object: inline bodies are copied, blob files are pinned
// so that an overwrite or delete does not unlink them until the Object is closed.
func (s *Store) OpenObject(ctx context.Context, bucket, key, versionID string) (objstore.Object, error) {
	if err := s.begin(); err != nil {
		return nil, err
	}
	defer s.end()
	for {
		rec, err := s.lookup(bucket, key, versionID)
		if err != nil {
			return nil, err
		}
		o, ok, err := s.snapshot(rec, bucket, key)
		if err != nil || ok {
			return o, err
		}
		// A writer replaced the record between the two reads: read the new one.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

// snapshot pins rec's body. It reports false when rec stopped being current in the meantime.
func (s *Store) snapshot(rec *objRecord, bucket, key string) (*object, bool, error) {
	o := &object{s: s, info: rec.info(bucket, key)}
	if rec.inline {
		// The d/ value is deleted in the batch that replaces the record, so finding it means
		// it belongs to rec.
		data, found, err := s.get(dataKey(rec.dataID))
		if err != nil {
			return nil, false, err
		}
		if !found {
			// Replaced in the meantime, unless the record still names this body.
			again, ok, err := s.current(objectKey(bucket, key))
			if err == nil && ok && again.inline && again.dataID == rec.dataID {
				err = fmt.Errorf("%w: the inline body of %q is missing", errCorrupt, key)
			}
			return nil, false, err
		}
		if int64(len(data)) != rec.size {
			return nil, false, fmt.Errorf("%w: inline body of %q has %d bytes, want %d", errCorrupt, key, len(data), rec.size)
		}
		o.inline = data
		return o, true, nil
	}
	o.segs = rec.segs
	o.pinned = rec.blobs()
	s.pin(o.pinned)
	// Blobs are collected only after a commit that replaced their record; if the record is
	// still current now, that commit comes after the pin, and collect will see it.
	again, found, err := s.current(objectKey(bucket, key))
	if err != nil || !found || !sameBody(rec, again) {
		s.unpin(o.pinned)
		return nil, false, err
	}
	return o, true, nil
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
	s      *Store
	info   objstore.ObjectInfo
	inline []byte
	segs   []segment
	pinned []blobID
	once   sync.Once
}

func (o *object) Info() objstore.ObjectInfo { return o.info }

// NewReader returns a reader of [offset, offset+length); length -1 reads to the end. Readers
// of blob bodies implement io.WriterTo, handing net/http an *os.File section it can sendfile.
func (o *object) NewReader(offset, length int64) (io.ReadCloser, error) {
	size := o.info.Size
	if length == -1 && offset >= 0 {
		length = size - offset
	}
	if offset < 0 || length < 0 || offset > size || length > size-offset {
		return nil, fmt.Errorf("%w: offset %d length %d of a %d-byte object", objstore.ErrInvalidRange, offset, length, size)
	}
	if o.inline != nil || len(o.segs) == 0 {
		return newBytesReader(o.inline[offset : offset+length]), nil
	}
	return newSegReader(o.s.cfg.Dir, o.segs, offset, length), nil
}

// Close releases the pinned blobs. It is idempotent.
func (o *object) Close() error {
	o.once.Do(func() {
		if o.pinned != nil {
			o.s.unpin(o.pinned)
		}
	})
	return nil
}
