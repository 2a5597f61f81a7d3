package disk

import (
	"context"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// DeleteObject removes the current object. Deleting an absent key, or a version id that is
// not the current one, succeeds without writing (S3 answers 204 either way). It returns what
// was deleted, or just Bucket and Key when nothing was.
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
	if _, err := s.bucket(bucket); err != nil {
		return none, err
	}
	kl := s.keyLock(bucket, key)
	kl.Lock()
	ok := objectKey(bucket, key)
	cur, found, err := s.current(ok)
	if err != nil || !found || (versionID != "" && versionID != cur.versionID) {
		kl.Unlock()
		return none, err
	}
	batch := s.db.NewBatch()
	defer batch.Close()
	batch.Delete(ok, nil)
	garbage := s.dropBody(batch, cur, found)
	err = s.commit(batch)
	kl.Unlock()
	if err != nil {
		return none, err
	}
	s.collect(garbage)
	return cur.info(bucket, key), nil
}
