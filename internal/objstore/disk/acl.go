package disk

import (
	"context"
	"fmt"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// SetObjectACL records acl on one version in place: its v/ record and, when it is the
// latest, the o/ copy, in one synced batch. Nothing else changes, not even Last-Modified
// (S3's PutObjectAcl does not create a version).
func (s *Store) SetObjectACL(ctx context.Context, bucket, key, versionID, acl string) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	if err := objstore.ValidateKey(key); err != nil {
		return err
	}
	bl := s.bucketLock(bucket)
	bl.RLock()
	defer bl.RUnlock()
	if _, err := s.bucket(bucket); err != nil {
		return err
	}
	kl := s.keyLock(bucket, key)
	kl.Lock()
	defer kl.Unlock()
	rec, latest, err := s.lookup(bucket, key, versionID)
	if err != nil {
		return err
	}
	if rec.sortKey == (sortKey{}) {
		return fmt.Errorf("%w: version %q of %q has no sort key", errCorrupt, rec.versionID, key)
	}
	rec.acl = acl
	v := rec.encode()
	batch := s.db.NewBatch()
	defer batch.Close()
	batch.Set(versionKey(bucket, key, rec.sortKey), v, nil)
	if latest {
		batch.Set(objectKey(bucket, key), v, nil)
	}
	return s.commit(batch)
}
