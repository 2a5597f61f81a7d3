package disk

import (
	"context"
	"fmt"
	"slices"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// SetBucketVersioning changes the bucket's versioning state; see objstore.Versions. It holds
// the bucket's stripe exclusively, so every commit sees the state before or after, whole.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/manage-versioning-examples.html
func (s *Store) SetBucketVersioning(ctx context.Context, bucket string, state objstore.VersioningState) error {
	if !slices.Contains(versioningStates[:], state) {
		return fmt.Errorf("%w: %q (want %s or %s)", objstore.ErrInvalidVersioningState, state, objstore.VersioningEnabled, objstore.VersioningSuspended)
	}
	return s.updateBucket(bucket, func(r *bucketRecord) (*bucketRecord, error) {
		if state == r.versioning {
			return nil, nil
		}
		if state == objstore.VersioningUnversioned {
			return nil, fmt.Errorf("%w: a bucket that was versioned can only be Enabled or Suspended", objstore.ErrInvalidVersioningState)
		}
		c := *r
		c.versioning = state
		return &c, nil
	})
}

// PutBucketConfig stores a copy of value under name; see objstore.BucketConfigs.
func (s *Store) PutBucketConfig(ctx context.Context, bucket, name string, value []byte) error {
	if err := objstore.ValidateBucketConfig(name, value); err != nil {
		return err
	}
	value = append(make([]byte, 0, len(value)), value...) // never nil: nil means delete
	return s.updateBucket(bucket, func(r *bucketRecord) (*bucketRecord, error) {
		return r.with(name, value), nil
	})
}

// DeleteBucketConfig removes name; removing an unset name succeeds without writing.
func (s *Store) DeleteBucketConfig(ctx context.Context, bucket, name string) error {
	return s.updateBucket(bucket, func(r *bucketRecord) (*bucketRecord, error) {
		if _, ok := r.configs[name]; !ok {
			return nil, nil
		}
		return r.with(name, nil), nil
	})
}

// GetBucketConfig reads the in-memory copy of the bucket record: two atomic loads and two
// map lookups, no lock, no allocation. The returned slice must not be modified. An unset
// setting is the bare sentinel: the S3 layer asks for several on every request, and most
// buckets have none, so that answer must not allocate a message nobody reads.
func (s *Store) GetBucketConfig(ctx context.Context, bucket, name string) ([]byte, error) {
	if s.shut.Load() {
		return nil, objstore.ErrClosed
	}
	r, ok := s.bucketRec(bucket)
	if !ok {
		return nil, fmt.Errorf("%w: %q", objstore.ErrNoSuchBucket, bucket)
	}
	v, ok := r.configs[name]
	if !ok {
		return nil, objstore.ErrNoSuchBucketConfig
	}
	return v, nil
}

// updateBucket rewrites a bucket record durably, then publishes it. change returns the new
// record, or nil for no change. The bucket's stripe is held exclusively throughout.
func (s *Store) updateBucket(bucket string, change func(*bucketRecord) (*bucketRecord, error)) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	l := s.bucketLock(bucket)
	l.Lock()
	defer l.Unlock()
	r, ok := s.bucketRec(bucket)
	if !ok {
		return fmt.Errorf("%w: %q", objstore.ErrNoSuchBucket, bucket)
	}
	n, err := change(r)
	if err != nil || n == nil {
		return err
	}
	if err := s.db.Set(bucketKey(bucket), n.encode(), s.wo); err != nil {
		return fmt.Errorf("disk: update bucket: %w", err)
	}
	s.publishBucket(bucket, n)
	return nil
}
