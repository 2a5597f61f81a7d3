package disk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// CreateMultipartUpload records a new upload and returns it with its UploadID and Initiated
// set. Upload ids are opaque, URL-safe and sort by initiation time.
func (s *Store) CreateMultipartUpload(ctx context.Context, u objstore.UploadInfo) (objstore.UploadInfo, error) {
	if err := s.begin(); err != nil {
		return objstore.UploadInfo{}, err
	}
	defer s.end()
	if err := objstore.ValidateKey(u.Key); err != nil {
		return objstore.UploadInfo{}, err
	}
	encrypt, err := s.encryption(u.Encryption)
	if err != nil {
		return objstore.UploadInfo{}, err
	}
	bl := s.bucketLock(u.Bucket)
	bl.RLock()
	defer bl.RUnlock()
	if _, err := s.bucket(u.Bucket); err != nil {
		return objstore.UploadInfo{}, err
	}
	rec := uploadRecord{
		initiated:    time.Now().Truncate(time.Millisecond).UnixNano(),
		meta:         u.Meta,
		checksumAlgo: u.ChecksumAlgorithm,
		checksumType: u.ChecksumType,
		acl:          u.ACL,
		encrypted:    encrypt,
	}
	id := s.ids.upload()
	if err := s.db.Set(uploadKey(u.Bucket, u.Key, id), rec.encode(), s.wo); err != nil {
		return objstore.UploadInfo{}, fmt.Errorf("disk: create upload: %w", err)
	}
	return rec.info(u.Bucket, u.Key, id), nil
}

// GetUpload returns the upload's facts, ErrNoSuchUpload or ErrNoSuchBucket.
func (s *Store) GetUpload(ctx context.Context, bucket, key, uploadID string) (objstore.UploadInfo, error) {
	if err := s.begin(); err != nil {
		return objstore.UploadInfo{}, err
	}
	defer s.end()
	rec, err := s.upload(bucket, key, uploadID)
	if err != nil {
		return objstore.UploadInfo{}, err
	}
	return rec.info(bucket, key, uploadID), nil
}

func (s *Store) upload(bucket, key, uploadID string) (*uploadRecord, error) {
	if err := objstore.ValidateKey(key); err != nil {
		return nil, err
	}
	var v []byte
	found := false
	if validUploadID(uploadID) {
		var err error
		if v, found, err = s.get(uploadKey(bucket, key, uploadID)); err != nil {
			return nil, err
		}
	}
	if !found {
		if _, err := s.bucket(bucket); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %q", objstore.ErrNoSuchUpload, uploadID)
	}
	rec, err := decodeUpload(v)
	if err != nil {
		return nil, fmt.Errorf("%w: upload %q", err, uploadID)
	}
	return &rec, nil
}

// UploadPart streams a part to its own blob file and records it, replacing (and collecting)
// an earlier part with the same number.
func (s *Store) UploadPart(ctx context.Context, in objstore.UploadPartInput) (objstore.PartInfo, error) {
	if err := s.begin(); err != nil {
		return objstore.PartInfo{}, err
	}
	defer s.end()
	if in.PartNumber < 1 || in.PartNumber > objstore.MaxPartNumber {
		return objstore.PartInfo{}, fmt.Errorf("%w: got %d", objstore.ErrInvalidPartNumber, in.PartNumber)
	}
	up, err := s.upload(in.Bucket, in.Key, in.UploadID)
	if err != nil {
		return objstore.PartInfo{}, err
	}
	if up.encrypted {
		if _, err := s.encryption(objstore.EncryptionAES256); err != nil {
			return objstore.PartInfo{}, err
		}
	}
	// Every part is its own encrypted stream, with its own data key.
	b, err := s.ingest(ingestInput{r: in.Body, size: in.Size, contentMD5: in.ContentMD5, checksum: in.Checksum, encrypt: up.encrypted})
	if err != nil {
		return objstore.PartInfo{}, err
	}
	defer b.release(s)
	if err := ctx.Err(); err != nil {
		return objstore.PartInfo{}, err
	}
	rec := partRecord{size: b.size, md5: b.md5, checksum: b.checksum, blob: b.blob.id, encrypted: up.encrypted, wk: b.wk}
	old, err := s.commitPart(in, &rec)
	if err != nil {
		return objstore.PartInfo{}, err
	}
	b.committed()
	if old != nil {
		s.collect([]blobID{old.blob})
	}
	return rec.info(in.PartNumber), nil
}

// commitPart records a part under the upload's stripe (shared: parts of one upload commit
// together) and the part's stripe (exclusive: one writer per part number). Complete and Abort
// hold the upload's stripe exclusively, so a part never lands in a finished upload.
func (s *Store) commitPart(in objstore.UploadPartInput, rec *partRecord) (*partRecord, error) {
	ul := s.uploadLock(in.UploadID)
	ul.RLock()
	defer ul.RUnlock()
	pl := s.partLock(in.UploadID, in.PartNumber)
	pl.Lock()
	defer pl.Unlock()
	if _, err := s.upload(in.Bucket, in.Key, in.UploadID); err != nil {
		return nil, err
	}
	pk := partKey(in.UploadID, in.PartNumber)
	v, found, err := s.get(pk)
	if err != nil {
		return nil, err
	}
	batch := s.db.NewBatch()
	defer batch.Close()
	var old *partRecord
	if found {
		o, err := decodePart(v)
		if err != nil {
			return nil, fmt.Errorf("%w: part %d of %q", err, in.PartNumber, in.UploadID)
		}
		old = &o
		batch.Set(gcKey(o.blob), nil, nil)
	}
	rec.modified = time.Now().Truncate(time.Millisecond).UnixNano()
	batch.Set(pk, rec.encode(), nil)
	batch.Delete(pendingKey(rec.blob), nil)
	return old, s.commit(batch)
}

// numberedPart is a part record with its number.
type numberedPart struct {
	n   int
	rec partRecord
}

// scanParts visits the part records of an upload from part number `from` on, until fn
// returns false.
func (s *Store) scanParts(uploadID string, from int, fn func(p numberedPart) bool) error {
	base := partBase(uploadID)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: base, UpperBound: prefixEnd(base)})
	if err != nil {
		return fmt.Errorf("disk: %w", err)
	}
	for ok := it.SeekGE(partKey(uploadID, max(from, 0))); ok; ok = it.Next() {
		n, err := strconv.Atoi(string(it.Key()[len(base):]))
		if err != nil {
			it.Close()
			return fmt.Errorf("%w: part key %q", errCorrupt, it.Key())
		}
		rec, err := decodePart(it.Value())
		if err != nil {
			it.Close()
			return fmt.Errorf("%w: part %d of %q", err, n, uploadID)
		}
		if !fn(numberedPart{n: n, rec: rec}) {
			break
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return fmt.Errorf("disk: %w", err)
	}
	return nil
}

// AbortMultipartUpload deletes the upload and its parts and collects their blobs.
func (s *Store) AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	ul := s.uploadLock(uploadID)
	ul.Lock()
	if _, err := s.upload(bucket, key, uploadID); err != nil {
		ul.Unlock()
		return err
	}
	batch := s.db.NewBatch()
	defer batch.Close()
	var garbage []blobID
	err := s.scanParts(uploadID, 0, func(p numberedPart) bool {
		batch.Delete(partKey(uploadID, p.n), nil)
		batch.Set(gcKey(p.rec.blob), nil, nil)
		garbage = append(garbage, p.rec.blob)
		return true
	})
	if err == nil {
		batch.Delete(uploadKey(bucket, key, uploadID), nil)
		err = s.commit(batch)
	}
	ul.Unlock()
	if err != nil {
		return err
	}
	s.collect(garbage)
	return nil
}
