package edgecache

// Stats is a snapshot of the cache's gauges and counters, for /metrics (issue 6).
type Stats struct {
	DiskBytes   int64 // committed entry files, trailers included
	DiskObjects int64
	FillBytes   int64 // disk reserved by fills in progress
	Filling     int64 // fills in progress
	MemBytes    int64 // bodies resident in the memory tier
	MemObjects  int64

	MemHits       int64 // Lookups answered from memory
	DiskHits      int64 // Lookups answered from disk
	FillHits      int64 // Lookups that joined a fill in progress
	Misses        int64 // Lookups that found nothing
	FillsStarted  int64 // Begin calls that started a fill
	Collapsed     int64 // Begin calls that joined a fill instead (request collapsing)
	Commits       int64
	Aborts        int64
	Refused       int64 // commits refused with ErrInvalidated
	DiskEvictions int64
	MemEvictions  int64
	Invalidated   int64 // entries removed by Invalidate and Delete
	Expired       int64 // entries dropped past StoredAt+TTL+Stale
	Loaded        int64 // entries found valid by Open
	Dropped       int64 // entry files Open found torn, corrupt or superseded, and deleted
}

// counters are the monotonic part of Stats, guarded by Cache.mu.
type counters struct {
	diskHits, fillHits, misses               int64
	fillsStarted, collapsed, commits, aborts int64
	refused, diskEvictions, memEvictions     int64
	invalidated, expired, loaded, dropped    int64
}

// Stats returns a snapshot.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Stats{
		DiskBytes:     c.disk.bytes(),
		DiskObjects:   int64(c.disk.len()),
		FillBytes:     c.fillRes,
		Filling:       int64(len(c.fills)),
		MemHits:       c.memHits.Load(),
		DiskHits:      c.st.diskHits,
		FillHits:      c.st.fillHits,
		Misses:        c.st.misses,
		FillsStarted:  c.st.fillsStarted,
		Collapsed:     c.st.collapsed,
		Commits:       c.st.commits,
		Aborts:        c.st.aborts,
		Refused:       c.st.refused,
		DiskEvictions: c.st.diskEvictions,
		MemEvictions:  c.st.memEvictions,
		Invalidated:   c.st.invalidated,
		Expired:       c.st.expired,
		Loaded:        c.st.loaded,
		Dropped:       c.st.dropped,
	}
	if c.mem != nil {
		s.MemBytes = c.mem.bytes()
		s.MemObjects = int64(c.mem.len())
	}
	return s
}
