package edgecache

import (
	"errors"
	"os"
	"strings"
)

// Invalidate removes every committed entry of distribution dist whose Meta.Path equals path,
// or, when wildcard, starts with path (CloudFront's "/images/*"; a trailing "*" on path is
// ignored, so both "/images/*" and "/images/" work). All variants of a path go, as they share
// Dist and Path. Fills of matching entries in progress are detached: later Lookups miss, and
// their Commit fails with ErrInvalidated, so a fetch that started before the invalidation
// cannot bring the old content back. Returns the number of committed entries removed.
//
// The files are unlinked before Invalidate returns, so once the edge reports the
// invalidation applied, no restart can resurrect them.
//
// See "Invalidating files" in the CloudFront Developer Guide: paths are case sensitive, and
// "*" is only meaningful as the last character.
func (c *Cache) Invalidate(dist, path string, wildcard bool) int {
	if wildcard {
		path = strings.TrimSuffix(path, "*")
	}
	match := func(p string) bool {
		if wildcard {
			return strings.HasPrefix(p, path)
		}
		return p == path
	}
	c.mu.Lock()
	var victims []string
	if paths := c.byDist[dist]; paths != nil {
		var hit []*item
		if wildcard {
			for p, set := range paths {
				if match(p) {
					for it := range set {
						hit = append(hit, it)
					}
				}
			}
		} else {
			for it := range paths[path] {
				hit = append(hit, it)
			}
		}
		for _, it := range hit {
			victims = append(victims, c.unindex(it))
		}
	}
	for key, f := range c.fills {
		if f.meta.Dist == dist && match(f.meta.Path) {
			f.invalidated = true
			delete(c.fills, key)
		}
	}
	c.st.invalidated += int64(len(victims))
	c.mu.Unlock()
	c.unlink(victims)
	return len(victims)
}

// Delete removes key's committed entry and detaches its fill in progress, like a one-key
// Invalidate.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	var victims []string
	if it := c.items[key]; it != nil {
		victims = append(victims, c.unindex(it))
		c.st.invalidated++
	}
	if f := c.fills[key]; f != nil {
		f.invalidated = true
		delete(c.fills, key)
	}
	c.mu.Unlock()
	c.unlink(victims)
}

// Refresh replaces the Meta of key's committed entry after a 304 revalidation (new StoredAt,
// TTL, headers; RFC 9111 section 4.3.4). m.Size is ignored: the body is unchanged. The new
// trailer is written in place behind the body, so readers of the body are unaffected; a crash
// during the rewrite leaves a trailer that fails its CRC, and the entry is dropped at Open.
func (c *Cache) Refresh(key string, m Meta) error {
	c.mu.Lock()
	it := c.items[key]
	if it == nil || c.closed {
		c.mu.Unlock()
		return ErrNotFound
	}
	m.Size = it.meta.Size
	if m.Dist != it.meta.Dist || m.Path != it.meta.Path {
		// Re-file the entry under its new distribution and path for Invalidate.
		c.unindexPath(it)
		it.meta = m
		c.indexPath(it)
	} else {
		it.meta = m
	}
	c.publishHot(it)
	path := c.objPath(it.seq)
	c.mu.Unlock()

	it.wmu.Lock()
	defer it.wmu.Unlock()
	c.mu.Lock()
	m = it.meta // the newest, should Refreshes race
	c.mu.Unlock()
	trailer := encodeTrailer(key, &m, m.Size, it.bodyCRC, it.seq)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return ErrNotFound // evicted or invalidated meanwhile
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteAt(trailer, m.Size); err != nil {
		return err
	}
	size := m.Size + int64(len(trailer))
	if err := f.Truncate(size); err != nil {
		return err
	}
	c.mu.Lock()
	if c.items[key] == it {
		c.disk.resize(&it.dn, size)
		if !c.cfg.SyncCommits {
			c.unsynced++
		}
	}
	c.mu.Unlock()
	return nil
}
