package edge

import "sync"

// flights collapses concurrent misses for one cache key into one origin request, as
// groupcache's singleflight does. Only the decision travels through the flight (what was
// stored, or that nothing was); each waiter then takes its own reference to the cache entry,
// which streams the fill as it arrives, so no waiter waits for the whole body.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done chan struct{}
	res  fillResult
}

// fillResult is what a flight decided.
type fillResult struct {
	// stored is true when the response is in the cache (filling or committed) under the key:
	// waiters serve it from there.
	stored bool
	// refreshed is true when a stale entry was revalidated (304): serve it as a RefreshHit.
	refreshed bool
}

// do runs fn once for key among concurrent callers. leader is true for the caller that ran
// it; the others get its result.
func (f *flights) do(key string, fn func() fillResult) (res fillResult, leader bool) {
	f.mu.Lock()
	if fl, ok := f.m[key]; ok {
		f.mu.Unlock()
		<-fl.done
		return fl.res, false
	}
	fl := &flight{done: make(chan struct{})}
	f.m[key] = fl
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.m, key)
		f.mu.Unlock()
		close(fl.done)
	}()
	fl.res = fn()
	return fl.res, true
}
