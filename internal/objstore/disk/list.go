package disk

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/cockroachdb/pebble"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// ListObjects returns one page in O(page) work: it seeks to the first key after in.After
// and, when a key rolls up into a common prefix, seeks past every key under that prefix in
// one step instead of walking them.
func (s *Store) ListObjects(ctx context.Context, bucket string, in objstore.ListInput) (objstore.ListResult, error) {
	var res objstore.ListResult
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
	base := objectBase(bucket)
	lower := append(bytes.Clone(base), in.Prefix...)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: prefixEnd(lower)})
	if err != nil {
		return res, fmt.Errorf("disk: %w", err)
	}
	defer it.Close()
	start := lower
	if in.After >= in.Prefix {
		start = after(append(bytes.Clone(base), in.After...))
	}
	if in.Delimiter == "" {
		// A flat page is usually full: one allocation instead of eleven doublings of a
		// slice of ~300-byte ObjectInfos (half the bytes a 1,000-key page allocated).
		res.Objects = make([]objstore.ObjectInfo, 0, min(in.MaxKeys, objstore.MaxListKeys))
	}
	w := pageWalker{it: it, base: base, prefix: in.Prefix, delim: in.Delimiter, after: in.After, max: in.MaxKeys}
	err = w.walk(start, func(key string, v []byte) (bool, error) {
		rec, err := decodeObject(v, true)
		if err != nil {
			return false, fmt.Errorf("%w: object %q", err, key)
		}
		if rec.deleteMarker {
			return false, nil
		}
		res.Objects = append(res.Objects, rec.info(bucket, key))
		return true, nil
	}, func(p string) { res.CommonPrefixes = append(res.CommonPrefixes, p) })
	if err != nil {
		return objstore.ListResult{}, err
	}
	res.IsTruncated, res.Next = w.truncated, w.last
	return res, nil
}

// pageWalker walks the keys of one listing page in order, rolling keys that contain the
// delimiter after the prefix into common prefixes. It serves both object and upload
// listings; keyOf maps an iterator key to the listed key (identity minus base by default).
type pageWalker struct {
	it     *pebble.Iterator
	base   []byte
	prefix string
	delim  string
	after  string // entries must be strictly greater
	max    int
	// seekPast returns the seek target after every record under common prefix p.
	seekPast func(p string) []byte
	// keyOf returns the listed key of the current iterator position.
	keyOf func() (string, error)

	n         int
	truncated bool
	last      string
}

// walk visits entries from start: item for each key (with its value; it reports whether it
// listed the entry), prefix for each new common prefix. It stops after max entries, setting truncated if another entry exists.
func (w *pageWalker) walk(start []byte, item func(key string, v []byte) (bool, error), prefix func(string)) error {
	if w.keyOf == nil {
		w.keyOf = func() (string, error) { return string(w.it.Key()[len(w.base):]), nil }
	}
	if w.seekPast == nil {
		w.seekPast = func(p string) []byte { return prefixEnd(append(bytes.Clone(w.base), p...)) }
	}
	for ok := w.it.SeekGE(start); ok; {
		key, err := w.keyOf()
		if err != nil {
			return err
		}
		if w.delim != "" {
			if i := indexAfter(key, w.prefix, w.delim); i >= 0 {
				p := key[:i]
				if p > w.after {
					if w.n == w.max {
						w.truncated = true
						return nil
					}
					prefix(p)
					w.n++
					w.last = p
				}
				ok = w.skipPrefix(p)
				continue
			}
		}
		if w.n == w.max {
			w.truncated = true
			return nil
		}
		listed, err := item(key, w.it.Value())
		if err != nil {
			return err
		}
		if listed {
			w.n++
			w.last = key
		}
		ok = w.it.Next()
	}
	if err := w.it.Error(); err != nil {
		return fmt.Errorf("disk: list: %w", err)
	}
	return nil
}

// skipPrefix moves past every record under common prefix p. A few Next steps come first:
// when a prefix holds only a handful of keys they are cheaper than a seek, which has to
// reposition every level of the LSM; a prefix with many keys costs one seek however many
// it holds.
func (w *pageWalker) skipPrefix(p string) bool {
	next := w.seekPast(p)
	if next == nil {
		return false
	}
	for i := 0; i < 4; i++ {
		if !w.it.Next() {
			return false
		}
		if bytes.Compare(w.it.Key(), next) >= 0 {
			return true
		}
	}
	return w.it.SeekGE(next)
}

// indexAfter returns the end of the common prefix of key (the prefix, then up to and
// including the first delimiter after it), or -1 when key has no delimiter after the prefix.
func indexAfter(key, prefix, delim string) int {
	i := strings.Index(key[len(prefix):], delim)
	if i < 0 {
		return -1
	}
	return len(prefix) + i + len(delim)
}
