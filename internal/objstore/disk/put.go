package disk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// PutObject streams the body to disk and commits it; see objstore.PutInput.
func (s *Store) PutObject(ctx context.Context, in objstore.PutInput) (objstore.ObjectInfo, error) {
	if err := s.begin(); err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer s.end()
	if err := objstore.ValidateKey(in.Key); err != nil {
		return objstore.ObjectInfo{}, err
	}
	// Fail fast before receiving a body for nothing; the commit checks again.
	if _, err := s.bucket(in.Bucket); err != nil {
		return objstore.ObjectInfo{}, err
	}
	b, err := s.ingest(ingestInput{r: in.Body, size: in.Size, contentMD5: in.ContentMD5,
		checksum: in.Checksum, allowInline: true})
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer b.release(s)
	if err := ctx.Err(); err != nil {
		return objstore.ObjectInfo{}, err
	}
	rec := &objRecord{
		size:      b.size,
		md5:       b.md5,
		versionID: objstore.NullVersionID,
		checksum:  b.checksum,
		meta:      in.Meta,
	}
	batch := s.db.NewBatch()
	defer batch.Close()
	if b.blob != nil {
		rec.segs = []segment{{id: b.blob.id, size: b.size}}
		batch.Delete(pendingKey(b.blob.id), nil)
	} else {
		rec.inline = true
		rec.dataID = s.ids.blob()
		batch.Set(dataKey(rec.dataID), b.inline, nil)
	}
	garbage, err := s.commitObject(batch, in.Bucket, in.Key, rec, in.Cond)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	b.committed()
	s.collect(garbage)
	return rec.info(in.Bucket, in.Key), nil
}

// commitObject makes rec the current object of bucket/key in one synced batch, together
// with whatever the caller already put in batch. Under the bucket and key stripes it checks
// that the bucket exists and the write conditions hold against the current object, then
// drops the replaced object's body. It returns the blobs to collect after the commit.
func (s *Store) commitObject(batch *pebble.Batch, bucket, key string, rec *objRecord, cond objstore.WriteConditions) ([]blobID, error) {
	bl := s.bucketLock(bucket)
	bl.RLock()
	defer bl.RUnlock()
	kl := s.keyLock(bucket, key)
	kl.Lock()
	defer kl.Unlock()
	if _, err := s.bucket(bucket); err != nil {
		return nil, err
	}
	ok := objectKey(bucket, key)
	cur, found, err := s.current(ok)
	if err != nil {
		return nil, err
	}
	if err := checkConditions(cond, cur, found); err != nil {
		return nil, err
	}
	// Last-Modified is the commit time, millisecond precision as S3 returns it.
	rec.modified = time.Now().Truncate(time.Millisecond).UnixNano()
	batch.Set(ok, rec.encode(), nil)
	garbage := s.dropBody(batch, cur, found)
	if err := s.commit(batch); err != nil {
		return nil, err
	}
	return garbage, nil
}

// current reads and decodes the object record at key.
func (s *Store) current(key []byte) (*objRecord, bool, error) {
	v, found, err := s.get(key)
	if err != nil || !found {
		return nil, false, err
	}
	r, err := decodeObject(v, false)
	if err != nil {
		return nil, false, fmt.Errorf("%w: object %q", err, key)
	}
	return &r, true, nil
}

// dropBody adds to batch what removes a replaced object's body: the inline value, or gc
// markers for its blobs, which it returns for collect.
func (s *Store) dropBody(batch *pebble.Batch, cur *objRecord, found bool) []blobID {
	if !found {
		return nil
	}
	if cur.inline {
		batch.Delete(dataKey(cur.dataID), nil)
		return nil
	}
	ids := cur.blobs()
	for _, id := range ids {
		batch.Set(gcKey(id), nil, nil)
	}
	return ids
}

// checkConditions evaluates S3 conditional writes
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
func checkConditions(c objstore.WriteConditions, cur *objRecord, found bool) error {
	exists := found && !cur.deleteMarker
	if c.IfNoneMatch != "" && exists {
		if c.IfNoneMatch == "*" || etagEqual(c.IfNoneMatch, cur.etag()) {
			return fmt.Errorf("%w: the key already exists", objstore.ErrPreconditionFailed)
		}
	}
	if c.IfMatch != "" {
		if !exists {
			return fmt.Errorf("%w: If-Match given and no current object", objstore.ErrNoSuchKey)
		}
		if c.IfMatch != "*" && !etagEqual(c.IfMatch, cur.etag()) {
			return fmt.Errorf("%w: the current ETag is %q", objstore.ErrPreconditionFailed, cur.etag())
		}
	}
	return nil
}

// etagEqual compares ETags ignoring quotes and a weak prefix, as clients send either.
func etagEqual(a, b string) bool {
	norm := func(t string) string { return strings.Trim(strings.TrimPrefix(t, "W/"), `"`) }
	return norm(a) == norm(b)
}
