package disk

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// CompleteMultipartUpload turns the listed parts into an object whose segments are the part
// blobs (no data is copied), in one batch that also deletes the upload, its part records and
// the blobs of parts left out. cond.Checksum, when set, is recorded as the object's checksum.
// Validation follows
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html.
func (s *Store) CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []objstore.CompletePart, cond objstore.WriteConditions) (objstore.ObjectInfo, error) {
	if err := s.begin(); err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer s.end()
	ul := s.uploadLock(uploadID)
	ul.Lock()
	info, garbage, err := s.complete(bucket, key, uploadID, parts, cond)
	ul.Unlock()
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	s.collect(garbage)
	return info, nil
}

// complete runs under the upload's stripe, held exclusively.
func (s *Store) complete(bucket, key, uploadID string, parts []objstore.CompletePart, cond objstore.WriteConditions) (objstore.ObjectInfo, []blobID, error) {
	up, err := s.upload(bucket, key, uploadID)
	if err != nil {
		return objstore.ObjectInfo{}, nil, err
	}
	stored := map[int]partRecord{}
	if err := s.scanParts(uploadID, 0, func(p numberedPart) bool {
		stored[p.n] = p.rec
		return true
	}); err != nil {
		return objstore.ObjectInfo{}, nil, err
	}
	rec, err := s.assemble(parts, stored, up.encrypted)
	if err != nil {
		return objstore.ObjectInfo{}, nil, err
	}
	rec.meta = up.meta
	rec.checksum = cond.Checksum
	rec.acl = up.acl
	rec.encrypted = up.encrypted

	batch := s.db.NewBatch()
	defer batch.Close()
	batch.Delete(uploadKey(bucket, key, uploadID), nil)
	used := make(map[blobID]bool, len(rec.segs))
	for _, sg := range rec.segs {
		used[sg.id] = true
	}
	var garbage []blobID
	for n, p := range stored {
		batch.Delete(partKey(uploadID, n), nil)
		if !used[p.blob] {
			batch.Set(gcKey(p.blob), nil, nil)
			garbage = append(garbage, p.blob)
		}
	}
	replaced, err := s.commitVersion(batch, bucket, key, rec, cond)
	if err != nil {
		return objstore.ObjectInfo{}, nil, err
	}
	return rec.info(bucket, key), append(garbage, replaced...), nil
}

// assemble checks the client's part list against the stored parts and builds the object
// record: segments in part order, and the ETag hex(md5(concatenated binary part MD5s))-N.
// Encrypted parts keep their data keys, wrapped for their blob ids, in the segments.
func (s *Store) assemble(parts []objstore.CompletePart, stored map[int]partRecord, encrypted bool) (*objRecord, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: the part list is empty", objstore.ErrInvalidPart)
	}
	rec := &objRecord{parts: len(parts), segs: make([]segment, 0, len(parts))}
	h := md5.New()
	for i, cp := range parts {
		if i > 0 && cp.PartNumber <= parts[i-1].PartNumber {
			return nil, fmt.Errorf("%w: part %d after part %d", objstore.ErrInvalidPartOrder, cp.PartNumber, parts[i-1].PartNumber)
		}
		p, ok := stored[cp.PartNumber]
		if !ok {
			return nil, fmt.Errorf("%w: part %d was not uploaded", objstore.ErrInvalidPart, cp.PartNumber)
		}
		if got := hex.EncodeToString(p.md5[:]); !strings.EqualFold(strings.Trim(cp.ETag, `"`), got) {
			return nil, fmt.Errorf("%w: part %d has ETag %q, not %q", objstore.ErrInvalidPart, cp.PartNumber, got, cp.ETag)
		}
		if c := cp.Checksum; c != nil && p.checksum != nil && c.Algorithm == p.checksum.Algorithm && c.Value != p.checksum.Value {
			return nil, fmt.Errorf("%w: part %d has checksum %s %q, not %q", objstore.ErrInvalidPart, cp.PartNumber, c.Algorithm, p.checksum.Value, c.Value)
		}
		if i < len(parts)-1 && p.size < s.cfg.MinPartSize {
			return nil, fmt.Errorf("%w: part %d has %d bytes, at least %d are needed for all but the last part", objstore.ErrEntityTooSmall, cp.PartNumber, p.size, s.cfg.MinPartSize)
		}
		if p.encrypted != encrypted {
			return nil, fmt.Errorf("%w: part %d is encrypted: %v, its upload: %v", errCorrupt, cp.PartNumber, p.encrypted, encrypted)
		}
		h.Write(p.md5[:])
		rec.size += p.size
		rec.segs = append(rec.segs, segment{id: p.blob, size: p.size, wk: p.wk})
	}
	if rec.size > objstore.MaxObjectSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", objstore.ErrEntityTooLarge, rec.size, int64(objstore.MaxObjectSize))
	}
	h.Sum(rec.md5[:0])
	return rec, nil
}
