package disk

import (
	"context"
	"fmt"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// DeleteObject removes a version or adds a delete marker; see objstore.Objects. Deleting an
// absent key in an unversioned bucket, or an absent version, succeeds without writing (S3
// answers 204 either way) and returns just Bucket and Key.
func (s *Store) DeleteObject(ctx context.Context, bucket, key, versionID string) (objstore.ObjectInfo, error) {
	if err := s.begin(); err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer s.end()
	none := objstore.ObjectInfo{Bucket: bucket, Key: key}
	if err := objstore.ValidateKey(key); err != nil {
		return none, err
	}
	bl := s.bucketLock(bucket)
	bl.RLock()
	defer bl.RUnlock()
	b, ok := s.bucketRec(bucket)
	if !ok {
		return none, fmt.Errorf("%w: %q", objstore.ErrNoSuchBucket, bucket)
	}
	kl := s.keyLock(bucket, key)
	kl.Lock()
	info, garbage, err := s.deleteLocked(bucket, key, versionID, b.versioning)
	kl.Unlock()
	if err != nil || info == nil {
		return none, err
	}
	s.collect(garbage)
	return *info, nil
}

// deleteLocked runs under the key's stripe; a nil info means nothing was deleted.
func (s *Store) deleteLocked(bucket, key, versionID string, state objstore.VersioningState) (*objstore.ObjectInfo, []blobID, error) {
	cur, err := s.currentRecord(bucket, key)
	if err != nil {
		return nil, nil, err
	}
	batch := s.db.NewBatch()
	defer batch.Close()
	var (
		info    objstore.ObjectInfo
		garbage []blobID
	)
	switch {
	case versionID == "" && state == objstore.VersioningUnversioned:
		if cur == nil {
			return nil, nil, nil
		}
		if _, garbage, err = s.removeVersion(batch, bucket, key, cur); err != nil {
			return nil, nil, err
		}
		info = cur.info(bucket, key)
	case versionID == "":
		// Enabled: a marker with a new version id on top; Suspended: a null marker that
		// replaces the null version. Either way, even when the key has no version at all.
		marker := &objRecord{deleteMarker: true}
		if garbage, err = s.addVersion(batch, bucket, key, state, marker, cur); err != nil {
			return nil, nil, err
		}
		info = marker.info(bucket, key)
	default:
		rec, found, err := s.findVersion(bucket, key, versionID, cur)
		if err != nil || !found {
			return nil, nil, err
		}
		latest, g, err := s.removeVersion(batch, bucket, key, rec)
		if err != nil {
			return nil, nil, err
		}
		garbage = g
		info = rec.info(bucket, key)
		info.IsLatest = latest
	}
	if err := s.commit(batch); err != nil {
		return nil, nil, err
	}
	return &info, garbage, nil
}
