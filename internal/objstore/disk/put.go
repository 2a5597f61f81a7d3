package disk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// PutObject streams the body to disk (encrypting it when asked) and commits it as a new
// version; see objstore.PutInput.
func (s *Store) PutObject(ctx context.Context, in objstore.PutInput) (objstore.ObjectInfo, error) {
	if err := s.begin(); err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer s.end()
	if err := objstore.ValidateKey(in.Key); err != nil {
		return objstore.ObjectInfo{}, err
	}
	encrypt, err := s.encryption(in.Encryption)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	// Fail fast before receiving a body for nothing; the commit checks again.
	if _, err := s.bucket(in.Bucket); err != nil {
		return objstore.ObjectInfo{}, err
	}
	b, err := s.ingest(ingestInput{r: in.Body, size: in.Size, contentMD5: in.ContentMD5,
		checksum: in.Checksum, allowInline: true, encrypt: encrypt})
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
		checksum:  b.checksum,
		meta:      in.Meta,
		acl:       in.ACL,
		encrypted: encrypt,
	}
	batch := s.db.NewBatch()
	defer batch.Close()
	if b.blob != nil {
		rec.segs = []segment{{id: b.blob.id, size: b.size, wk: b.wk}}
		batch.Delete(pendingKey(b.blob.id), nil)
	} else {
		rec.inline = true
		rec.dataID = s.ids.blob()
		if err := s.setInline(batch, rec, b.inline); err != nil {
			return objstore.ObjectInfo{}, err
		}
	}
	garbage, err := s.commitVersion(batch, in.Bucket, in.Key, rec, in.Cond)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	b.committed()
	s.collect(garbage)
	return rec.info(in.Bucket, in.Key), nil
}

// setInline adds rec's inline body to batch under rec.dataID, sealed under a fresh data key
// when rec is encrypted. Batch.Set copies the value, so the sealing buffer goes straight back.
func (s *Store) setInline(batch *pebble.Batch, rec *objRecord, body []byte) error {
	if !rec.encrypted {
		batch.Set(dataKey(rec.dataID), body, nil)
		return nil
	}
	buf := s.bufs.Get().(*[]byte)
	defer s.bufs.Put(buf)
	sealed, err := s.seal((*buf)[:0], &rec.dataWK, rec.dataID, body)
	if err != nil {
		return err
	}
	batch.Set(dataKey(rec.dataID), sealed, nil)
	return nil
}

// commitVersion makes rec the latest version of bucket/key in one synced batch, together
// with whatever the caller already put in batch. Under the bucket and key stripes it checks
// that the bucket exists and the write conditions hold against the current object, then adds
// the version. It returns the blobs to collect after the commit.
func (s *Store) commitVersion(batch *pebble.Batch, bucket, key string, rec *objRecord, cond objstore.WriteConditions) ([]blobID, error) {
	bl := s.bucketLock(bucket)
	bl.RLock()
	defer bl.RUnlock()
	kl := s.keyLock(bucket, key)
	kl.Lock()
	defer kl.Unlock()
	b, ok := s.bucketRec(bucket)
	if !ok {
		return nil, fmt.Errorf("%w: %q", objstore.ErrNoSuchBucket, bucket)
	}
	cur, err := s.currentRecord(bucket, key)
	if err != nil {
		return nil, err
	}
	if err := checkConditions(cond, cur); err != nil {
		return nil, err
	}
	garbage, err := s.addVersion(batch, bucket, key, b.versioning, rec, cur)
	if err != nil {
		return nil, err
	}
	if err := s.commit(batch); err != nil {
		return nil, err
	}
	return garbage, nil
}

// currentRecord reads the o/ record of a key: its latest version unless that is a delete
// marker; nil when there is none.
func (s *Store) currentRecord(bucket, key string) (*objRecord, error) {
	rec, found, err := s.readRecord(objectKey(bucket, key))
	if !found {
		return nil, err
	}
	return rec, err
}

// readRecord reads and decodes the object record at a metadata key. It decodes straight from
// pebble's value: decodeObject copies everything it keeps, so the value need not be copied
// first (one allocation less on every HEAD, GET and PUT).
func (s *Store) readRecord(key []byte) (*objRecord, bool, error) {
	v, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("disk: read metadata: %w", err)
	}
	r, err := decodeObject(v, false)
	closer.Close()
	if err != nil {
		return nil, false, fmt.Errorf("%w: object %q", err, key)
	}
	return &r, true, nil
}

// dropBody adds to batch what removes a removed version's body: the inline value, or gc
// markers for its blobs, which it returns for collect. Delete markers have no body.
func (s *Store) dropBody(batch *pebble.Batch, rec *objRecord) []blobID {
	if rec.deleteMarker {
		return nil
	}
	if rec.inline {
		batch.Delete(dataKey(rec.dataID), nil)
		return nil
	}
	ids := rec.blobs()
	for _, id := range ids {
		batch.Set(gcKey(id), nil, nil)
	}
	return ids
}

// checkConditions evaluates S3 conditional writes against the current object (nil when the
// key has none or its latest version is a delete marker)
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
func checkConditions(c objstore.WriteConditions, cur *objRecord) error {
	if c.IfNoneMatch != "" && cur != nil {
		if c.IfNoneMatch == "*" || etagEqual(c.IfNoneMatch, cur.etag()) {
			return fmt.Errorf("%w: the key already exists", objstore.ErrPreconditionFailed)
		}
	}
	if c.IfMatch != "" {
		if cur == nil {
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
