package edgecache

import (
	"container/list"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// simCache is the interface the policy simulations drive: get reports a hit, and on a miss the
// object is admitted.
type simCache interface{ get(k uint64) bool }

// s3fifoSim drives the production policy code with unit-size objects.
type s3fifoSim struct {
	p     *s3fifo[uint64]
	nodes map[uint64]*node[uint64]
}

func newS3FIFOSim(capacity int) *s3fifoSim {
	return &s3fifoSim{p: newS3FIFO[uint64](int64(capacity)), nodes: make(map[uint64]*node[uint64])}
}

func (s *s3fifoSim) get(k uint64) bool {
	if n := s.nodes[k]; n != nil {
		n.touch()
		return true
	}
	n := &node[uint64]{val: k, size: 1, hash: k}
	s.p.insert(n)
	s.nodes[k] = n
	for s.p.bytes() > s.p.capacity {
		delete(s.nodes, s.p.evict().val)
	}
	return false
}

// lruSim is the plain LRU baseline.
type lruSim struct {
	cap int
	l   *list.List
	m   map[uint64]*list.Element
}

func newLRUSim(capacity int) *lruSim {
	return &lruSim{cap: capacity, l: list.New(), m: make(map[uint64]*list.Element)}
}

func (s *lruSim) get(k uint64) bool {
	if e := s.m[k]; e != nil {
		s.l.MoveToFront(e)
		return true
	}
	s.m[k] = s.l.PushFront(k)
	if s.l.Len() > s.cap {
		delete(s.m, s.l.Remove(s.l.Back()).(uint64))
	}
	return false
}

// zipf samples ranks 0..n-1 with P(rank i) proportional to 1/(i+1)^alpha. (math/rand's Zipf
// needs an exponent > 1; web traces sit around 0.6 to 1.)
type zipf struct {
	cdf []float64
	r   *rand.Rand
}

func newZipf(n int, alpha float64, seed uint64) *zipf {
	z := &zipf{cdf: make([]float64, n), r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	sum := 0.0
	for i := range n {
		sum += 1 / math.Pow(float64(i+1), alpha)
		z.cdf[i] = sum
	}
	for i := range z.cdf {
		z.cdf[i] /= sum
	}
	return z
}

func (z *zipf) next() uint64 {
	return uint64(sort.SearchFloat64s(z.cdf, z.r.Float64()))
}

func hitRatio(c simCache, trace []uint64) float64 {
	hits := 0
	for _, k := range trace {
		if c.get(k) {
			hits++
		}
	}
	return float64(hits) / float64(len(trace))
}

// TestS3FIFOBeatsLRUOnZipf replays a Zipf(0.9) trace of 1,000,000 requests over 100,000
// objects (issue 6) at several cache sizes. The ranks are shuffled onto ids so that object
// ids carry no popularity information.
func TestS3FIFOBeatsLRUOnZipf(t *testing.T) {
	const objects, requests = 100_000, 1_000_000
	z := newZipf(objects, 0.9, 42)
	ids := rand.New(rand.NewPCG(7, 7)).Perm(objects)
	trace := make([]uint64, requests)
	for i := range trace {
		trace[i] = uint64(ids[z.next()]) * 0x9e3779b97f4a7c15 // spread like a hash
	}
	for _, capacity := range []int{1_000, 10_000} {
		ours := hitRatio(newS3FIFOSim(capacity), trace)
		lru := hitRatio(newLRUSim(capacity), trace)
		t.Logf("capacity %d: S3-FIFO %.4f, LRU %.4f", capacity, ours, lru)
		if ours <= lru {
			t.Errorf("capacity %d: S3-FIFO hit ratio %.4f is not above LRU's %.4f", capacity, ours, lru)
		}
	}
}

// TestScanDoesNotFlushHotSet: a hot set that fits the cache is warmed, then a scan of one-hit
// objects ten times the cache size passes through. The hot set must survive it; LRU, the
// control, loses all of it (which shows the test can fail).
func TestScanDoesNotFlushHotSet(t *testing.T) {
	const capacity, hot = 1_000, 500
	run := func(c simCache) (survivors int) {
		for range 3 {
			for k := range uint64(hot) {
				c.get(k)
			}
		}
		for k := range uint64(10 * capacity) {
			c.get(1_000_000 + k)
		}
		for k := range uint64(hot) {
			if c.get(k) {
				survivors++
			}
		}
		return survivors
	}
	if got := run(newS3FIFOSim(capacity)); got != hot {
		t.Errorf("S3-FIFO kept %d of %d hot objects through the scan", got, hot)
	}
	if got := run(newLRUSim(capacity)); got != 0 {
		t.Errorf("control: LRU kept %d hot objects, expected the scan to flush them", got)
	}
}

// TestS3FIFOGhostReadmitsToMain: an object evicted from the small queue and requested again
// soon after goes straight to the main queue.
func TestS3FIFOGhostReadmitsToMain(t *testing.T) {
	s := newS3FIFOSim(100)
	for k := range uint64(200) {
		s.get(k)
	}
	if _, ok := s.nodes[0]; ok {
		t.Fatal("object 0 should have been evicted")
	}
	s.get(150) // resident in small: hit
	s.get(0)   // in the ghost
	if n := s.nodes[0]; n == nil || n.where != inMain {
		t.Fatalf("object 0 re-requested from the ghost is not in main: %+v", n)
	}
	if n := s.nodes[199]; n.where != inSmall {
		t.Fatalf("a new object is not in small: %+v", n)
	}
}

func TestS3FIFOByteWeights(t *testing.T) {
	p := newS3FIFO[int](1000)
	var ns []*node[int]
	for i := range 10 {
		n := &node[int]{val: i, size: int64(100 * (i%3 + 1)), hash: uint64(i)}
		p.insert(n)
		ns = append(ns, n)
		for p.bytes() > 1000 {
			p.evict()
		}
	}
	total := int64(0)
	for _, n := range ns {
		if n.where != inNone {
			total += n.size
		}
	}
	if total != p.bytes() || p.bytes() > 1000 {
		t.Fatalf("bytes %d, resident sum %d", p.bytes(), total)
	}
	p.resize(ns[9], 5)
	p.remove(ns[9])
	if p.bytes() != total-ns[9].size-(int64(100*(9%3+1))-5) && p.bytes() < 0 {
		t.Fatalf("bytes after resize+remove = %d", p.bytes())
	}
}
