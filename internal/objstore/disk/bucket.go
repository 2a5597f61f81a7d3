package disk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// CreateBucket records a bucket; Region defaults to us-east-1 and Created to now.
func (s *Store) CreateBucket(ctx context.Context, b objstore.Bucket) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	if err := objstore.ValidateBucketName(b.Name); err != nil {
		return err
	}
	if !slices.Contains(versioningStates[:], b.Versioning) {
		return fmt.Errorf("%w: %q", objstore.ErrInvalidVersioningState, b.Versioning)
	}
	rec := &bucketRecord{region: b.Region, created: b.Created.UnixNano(), versioning: b.Versioning}
	if rec.region == "" {
		rec.region = objstore.DefaultRegion
	}
	if b.Created.IsZero() {
		rec.created = time.Now().Truncate(time.Millisecond).UnixNano()
	}
	l := s.bucketLock(b.Name)
	l.Lock()
	defer l.Unlock()
	if _, ok := s.bucketRec(b.Name); ok {
		return fmt.Errorf("%w: %q", objstore.ErrBucketExists, b.Name)
	}
	if err := s.db.Set(bucketKey(b.Name), rec.encode(), s.wo); err != nil {
		return fmt.Errorf("disk: create bucket: %w", err)
	}
	s.publishBucket(b.Name, rec)
	return nil
}

// GetBucket returns the bucket's record or ErrNoSuchBucket.
func (s *Store) GetBucket(ctx context.Context, name string) (objstore.Bucket, error) {
	if err := s.begin(); err != nil {
		return objstore.Bucket{}, err
	}
	defer s.end()
	return s.bucket(name)
}

// bucket returns a bucket or ErrNoSuchBucket. Callers that go on to write into the bucket
// hold its stripe shared, so the answer (and the versioning state) stays true until they
// commit.
func (s *Store) bucket(name string) (objstore.Bucket, error) {
	rec, ok := s.bucketRec(name)
	if !ok {
		return objstore.Bucket{}, fmt.Errorf("%w: %q", objstore.ErrNoSuchBucket, name)
	}
	return rec.bucket(name), nil
}

// bucketRec returns the published record of a bucket without taking a lock.
func (s *Store) bucketRec(name string) (*bucketRecord, bool) {
	rec, ok := (*s.known.Load())[name]
	return rec, ok
}

// publishBucket replaces the cached record of a bucket (nil removes it) after the change is
// durable. The map is copied on write: bucket changes are rare, and every request reads it.
// The caller holds the bucket's stripe exclusively.
func (s *Store) publishBucket(name string, rec *bucketRecord) {
	s.knownMu.Lock()
	defer s.knownMu.Unlock()
	m := maps.Clone(*s.known.Load())
	if rec == nil {
		delete(m, name)
	} else {
		m[name] = rec
	}
	s.known.Store(&m)
}

func (r *bucketRecord) bucket(name string) objstore.Bucket {
	return objstore.Bucket{Name: name, Region: r.region, Created: time.Unix(0, r.created).UTC(), Versioning: r.versioning}
}

// loadBuckets reads every bucket record, at Open.
func loadBuckets(db *pebble.DB) (map[string]*bucketRecord, error) {
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte(nsBucket), UpperBound: prefixEnd([]byte(nsBucket))})
	if err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	known := map[string]*bucketRecord{}
	for ok := it.First(); ok; ok = it.Next() {
		name := string(it.Key()[len(nsBucket):])
		rec, err := decodeBucket(it.Value())
		if err != nil {
			it.Close()
			return nil, fmt.Errorf("%w: bucket %q", err, name)
		}
		known[name] = &rec
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	return known, nil
}

// DeleteBucket removes an empty bucket with its configurations. It holds the bucket's
// stripe exclusively, and every commit into a bucket holds it shared, so no version or
// upload can appear between the emptiness check and the delete.
func (s *Store) DeleteBucket(ctx context.Context, name string) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	l := s.bucketLock(name)
	l.Lock()
	defer l.Unlock()
	if _, err := s.bucket(name); err != nil {
		return err
	}
	// v/ holds every version and delete marker; o/ only mirrors the latest ones.
	for _, base := range [][]byte{versionBase(name), objectBase(name), uploadBase(name)} {
		empty, err := s.emptyRange(base)
		if err != nil {
			return err
		}
		if !empty {
			return fmt.Errorf("%w: %q", objstore.ErrBucketNotEmpty, name)
		}
	}
	if err := s.db.Delete(bucketKey(name), s.wo); err != nil {
		return fmt.Errorf("disk: delete bucket: %w", err)
	}
	s.publishBucket(name, nil)
	return nil
}

func (s *Store) emptyRange(prefix []byte) (bool, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return false, fmt.Errorf("disk: %w", err)
	}
	found := it.First()
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return false, fmt.Errorf("disk: %w", err)
	}
	return !found, nil
}

// ListBuckets returns every bucket in name order.
func (s *Store) ListBuckets(ctx context.Context) ([]objstore.Bucket, error) {
	if err := s.begin(); err != nil {
		return nil, err
	}
	defer s.end()
	known := *s.known.Load()
	out := make([]objstore.Bucket, 0, len(known))
	for name, rec := range known {
		out = append(out, rec.bucket(name))
	}
	slices.SortFunc(out, func(a, b objstore.Bucket) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
