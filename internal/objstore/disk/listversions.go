package disk

import (
	"bytes"
	"context"
	"fmt"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// ListObjectVersions lists v/ records in (key, newest first) order in O(page) work, like
// ListObjects: one seek to the markers' position, one seek past each common prefix. A key's
// first record is its latest version, so IsLatest needs no extra read.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
func (s *Store) ListObjectVersions(ctx context.Context, bucket string, in objstore.ListVersionsInput) (objstore.ListVersionsResult, error) {
	var res objstore.ListVersionsResult
	if err := s.begin(); err != nil {
		return res, err
	}
	defer s.end()
	if _, err := s.bucket(bucket); err != nil {
		return res, err
	}
	if in.MaxKeys <= 0 {
		return res, nil
	}
	base := versionBase(bucket)
	lower := versionKeyPrefix(bucket, in.Prefix)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: prefixEnd(lower)})
	if err != nil {
		return res, fmt.Errorf("disk: %w", err)
	}
	defer it.Close()
	start, midKey, err := s.versionsStart(bucket, in)
	if err != nil {
		return res, err
	}
	if bytes.Compare(start, lower) < 0 {
		start = lower
	}
	// prev is the key of the previous record seen; a record of another key is its latest.
	// Starting inside KeyMarker's versions, the first records are not the latest.
	prev, havePrev := in.KeyMarker, midKey
	w := pageWalker{
		it: it, base: base, prefix: in.Prefix, delim: in.Delimiter, after: in.KeyMarker, max: in.MaxKeys,
		seekPast: func(p string) []byte { return prefixEnd(versionKeyPrefix(bucket, p)) },
		keyOf: func() (string, error) {
			k, _, err := parseVersionKey(it.Key()[len(base):])
			return k, err
		},
	}
	err = w.walk(start, func(key string, v []byte) (bool, error) {
		rec, err := decodeObject(v, true)
		if err != nil {
			return false, fmt.Errorf("%w: version of %q", err, key)
		}
		info := rec.info(bucket, key)
		info.IsLatest = !havePrev || key != prev
		prev, havePrev = key, true
		res.Versions = append(res.Versions, info)
		res.NextKeyMarker, res.NextVersionIDMarker = key, rec.versionID
		return true, nil
	}, func(p string) {
		res.CommonPrefixes = append(res.CommonPrefixes, p)
		res.NextKeyMarker, res.NextVersionIDMarker = p, ""
	})
	if err != nil {
		return objstore.ListVersionsResult{}, err
	}
	res.IsTruncated = w.truncated
	if !res.IsTruncated {
		res.NextKeyMarker, res.NextVersionIDMarker = "", ""
	}
	return res, nil
}

// versionsStart returns the first metadata key a page may list, and whether it lies among
// KeyMarker's own versions. A "null" marker whose version has since been removed resumes at
// the key's newest version: a later page may repeat versions, but never skips one.
func (s *Store) versionsStart(bucket string, in objstore.ListVersionsInput) ([]byte, bool, error) {
	if in.KeyMarker == "" {
		return nil, false, nil
	}
	if in.VersionIDMarker == "" {
		return prefixEnd(versionKeyAll(bucket, in.KeyMarker)), false, nil
	}
	if in.VersionIDMarker != objstore.NullVersionID {
		sk, ok := parseVersionID(in.VersionIDMarker)
		if !ok {
			return nil, false, fmt.Errorf("%w: version-id-marker %q", objstore.ErrInvalidVersionID, in.VersionIDMarker)
		}
		return after(versionKey(bucket, in.KeyMarker, sk)), true, nil
	}
	v, found, err := s.get(nullKey(bucket, in.KeyMarker))
	if err != nil {
		return nil, false, err
	}
	if !found || len(v) != len(sortKey{}) {
		return versionKeyAll(bucket, in.KeyMarker), false, nil
	}
	return after(versionKey(bucket, in.KeyMarker, sortKey(v))), true, nil
}
