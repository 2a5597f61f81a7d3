package disk

import (
	"bytes"
	"context"
	"fmt"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// ListParts returns up to max parts numbered above marker and whether more remain.
func (s *Store) ListParts(ctx context.Context, bucket, key, uploadID string, marker, max int) ([]objstore.PartInfo, bool, error) {
	if err := s.begin(); err != nil {
		return nil, false, err
	}
	defer s.end()
	if _, err := s.upload(bucket, key, uploadID); err != nil {
		return nil, false, err
	}
	if max <= 0 {
		return nil, false, nil
	}
	var out []objstore.PartInfo
	truncated := false
	err := s.scanParts(uploadID, marker+1, func(p numberedPart) bool {
		if len(out) == max {
			truncated = true
			return false
		}
		out = append(out, p.rec.info(p.n))
		return true
	})
	if err != nil {
		return nil, false, err
	}
	return out, truncated, nil
}

// ListMultipartUploads lists uploads in (key, upload id) order, which is (key, initiation
// time) order because upload ids start with the time. Like ListObjects it is O(page).
func (s *Store) ListMultipartUploads(ctx context.Context, bucket string, in objstore.ListUploadsInput) (objstore.ListUploadsResult, error) {
	var res objstore.ListUploadsResult
	if err := s.begin(); err != nil {
		return res, err
	}
	defer s.end()
	if _, err := s.bucket(bucket); err != nil {
		return res, err
	}
	if in.MaxUploads <= 0 {
		return res, nil
	}
	base := uploadBase(bucket)
	lower := uploadKeyPrefix(bucket, in.Prefix)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: prefixEnd(lower)})
	if err != nil {
		return res, fmt.Errorf("disk: %w", err)
	}
	defer it.Close()
	start := lower
	if in.KeyMarker != "" {
		// After every upload of KeyMarker, or after KeyMarker's UploadIDMarker.
		m := prefixEnd(uploadKeyAll(bucket, in.KeyMarker))
		if in.UploadIDMarker != "" {
			m = after(uploadKey(bucket, in.KeyMarker, in.UploadIDMarker))
		}
		if bytes.Compare(m, start) > 0 {
			start = m
		}
	}
	var uploadID string
	w := pageWalker{
		it: it, base: base, prefix: in.Prefix, delim: in.Delimiter, after: in.KeyMarker, max: in.MaxUploads,
		seekPast: func(p string) []byte { return prefixEnd(uploadKeyPrefix(bucket, p)) },
		keyOf: func() (string, error) {
			k, id, err := parseUploadKey(it.Key()[len(base):])
			uploadID = id
			return k, err
		},
	}
	err = w.walk(start, func(key string, v []byte) (bool, error) {
		rec, err := decodeUpload(v)
		if err != nil {
			return false, fmt.Errorf("%w: upload %q", err, uploadID)
		}
		res.Uploads = append(res.Uploads, rec.info(bucket, key, uploadID))
		res.NextKeyMarker, res.NextUploadIDMarker = key, uploadID
		return true, nil
	}, func(p string) {
		res.CommonPrefixes = append(res.CommonPrefixes, p)
		res.NextKeyMarker, res.NextUploadIDMarker = p, ""
	})
	if err != nil {
		return objstore.ListUploadsResult{}, err
	}
	res.IsTruncated = w.truncated
	return res, nil
}
