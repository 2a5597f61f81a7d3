package edgecache

import (
	"net/http"
	"time"
)

// Meta is what the edge stores with a body. The cache treats it as opaque except for Dist and
// Path (invalidation), Size, and StoredAt+TTL+Stale (after which the entry is dropped).
// Header is shared between Lookups and must not be modified by callers.
type Meta struct {
	// Dist is the distribution id, for invalidation.
	Dist string
	// Path is the viewer path without the query, for invalidation by exact path or prefix.
	Path string
	// Status is the origin's status code.
	Status int
	// Header holds the origin response headers to replay (the edge filters them).
	Header http.Header
	// StoredAt is when the response was received or last revalidated.
	StoredAt time.Time
	// TTL is the freshness lifetime decided by the edge.
	TTL time.Duration
	// Stale is the extra window the entry is kept after TTL for stale-while-revalidate,
	// stale-if-error and revalidation (RFC 5861).
	Stale time.Duration
	// Size is the body length; -1 while filling.
	Size int64
}

// deadAt is when the entry stops being useful: past it, it can be neither served nor
// revalidated, so it is dropped instead of occupying the tiers.
func (m *Meta) deadAt() time.Time { return m.StoredAt.Add(m.TTL + m.Stale) }

// dead reports whether the entry is past deadAt at now.
func (m *Meta) dead(now time.Time) bool { return now.After(m.deadAt()) }
