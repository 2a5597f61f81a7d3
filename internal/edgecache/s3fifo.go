package edgecache

import "sync/atomic"

// s3fifo is the S3-FIFO eviction policy (Yang et al., "FIFO queues are all you need for cache
// eviction", SOSP 2023, https://doi.org/10.1145/3600006.3613147), weighted by bytes.
//
// New objects enter a small FIFO (10% of the capacity). Most web objects are requested once
// ("one-hit wonders"); they leave the small queue without ever reaching the main FIFO, and only
// their key hash is remembered in a ghost FIFO. An object hit while in the small queue, or
// requested again while its hash is in the ghost, goes to the main FIFO, where hits buy it
// reinsertions (a 2-bit frequency, CLOCK-like) instead of LRU's move-to-front. A scan of
// one-hit objects therefore cycles through the small queue and cannot flush the main queue,
// and hits only bump a counter: no list surgery, and no lock (touch is atomic), on the hit path.
//
// The policy does not own the objects: the caller inserts nodes, reports hits, removes nodes it
// drops itself, and calls evict while it is over budget. Not safe for concurrent use, except
// node.touch, which may race with everything else.
type s3fifo[T any] struct {
	capacity int64
	small    fifo[T]
	main     fifo[T]
	ghost    ghost
}

// node is the policy's per-object state; the caller keeps it inside its own object.
type node[T any] struct {
	prev, next *node[T]
	val        T
	size       int64
	hash       uint64
	freq       atomic.Uint32 // 0..maxFreq
	where      uint8         // inNone, inSmall or inMain
}

const (
	inNone = iota
	inSmall
	inMain
	maxFreq = 3
)

func newS3FIFO[T any](capacity int64) *s3fifo[T] {
	p := &s3fifo[T]{capacity: capacity}
	p.small.init(inSmall)
	p.main.init(inMain)
	return p
}

// bytes is the total size of the resident objects.
func (p *s3fifo[T]) bytes() int64 { return p.small.bytes + p.main.bytes }

// len is the number of resident objects.
func (p *s3fifo[T]) len() int { return p.small.n + p.main.n }

// insert adds a new object. One the ghost remembers goes straight to the main queue: it was
// evicted from the small queue recently and is being asked for again.
func (p *s3fifo[T]) insert(n *node[T]) {
	n.freq.Store(0)
	if p.ghost.take(n.hash) {
		p.main.pushHead(n)
		return
	}
	p.small.pushHead(n)
}

// touch records an access to a resident object. It is atomic, so that memory hits need no
// lock (Cache.lookup); a touch lost to a racing one or to evict's decrement costs one
// reinsertion at most.
func (n *node[T]) touch() {
	if f := n.freq.Load(); f < maxFreq {
		n.freq.CompareAndSwap(f, f+1)
	}
}

// remove drops a resident object the caller no longer keeps (invalidated, replaced, deleted).
func (p *s3fifo[T]) remove(n *node[T]) {
	switch n.where {
	case inSmall:
		p.small.remove(n)
	case inMain:
		p.main.remove(n)
	}
}

// evict removes and returns the next victim, or nil when nothing is resident.
func (p *s3fifo[T]) evict() *node[T] {
	for p.len() > 0 {
		if p.small.n > 0 && (p.small.bytes*10 >= p.capacity || p.main.n == 0) {
			t := p.small.tail()
			p.small.remove(t)
			if t.freq.Load() > 0 {
				// Hit while in probation: promote, and let the main queue's CLOCK pass
				// judge it from here.
				t.freq.Store(0)
				p.main.pushHead(t)
				continue
			}
			p.ghost.add(t.hash, p.len()+1)
			return t
		}
		t := p.main.tail()
		p.main.remove(t)
		if f := t.freq.Load(); f > 0 {
			t.freq.Store(f - 1)
			p.main.pushHead(t)
			continue
		}
		return t
	}
	return nil
}

// resize changes the size of a resident object in place (Refresh rewrote its trailer).
func (p *s3fifo[T]) resize(n *node[T], size int64) {
	switch n.where {
	case inSmall:
		p.small.bytes += size - n.size
	case inMain:
		p.main.bytes += size - n.size
	}
	n.size = size
}

// fifo is an intrusive doubly linked list with a sentinel; head is the newest.
type fifo[T any] struct {
	root  node[T]
	n     int
	bytes int64
	id    uint8
}

func (q *fifo[T]) init(id uint8) {
	q.root.next, q.root.prev, q.id = &q.root, &q.root, id
}

func (q *fifo[T]) pushHead(n *node[T]) {
	n.prev, n.next = &q.root, q.root.next
	q.root.next.prev = n
	q.root.next = n
	n.where = q.id
	q.n++
	q.bytes += n.size
}

func (q *fifo[T]) tail() *node[T] { return q.root.prev }

func (q *fifo[T]) remove(n *node[T]) {
	n.prev.next, n.next.prev = n.next, n.prev
	n.prev, n.next, n.where = nil, nil, inNone
	q.n--
	q.bytes -= n.size
}

// ghost remembers the hashes of objects recently evicted from the small queue, as many as there
// are resident objects (the paper sizes it like the main queue), oldest forgotten first.
type ghost struct {
	seq  uint64
	m    map[uint64]uint64 // hash -> seq of its newest ring slot
	ring []ghostSlot
	head int
}

type ghostSlot struct{ hash, seq uint64 }

func (g *ghost) add(h uint64, limit int) {
	if g.m == nil {
		g.m = make(map[uint64]uint64)
	}
	g.seq++
	g.m[h] = g.seq
	g.ring = append(g.ring, ghostSlot{h, g.seq})
	for (len(g.m) > limit || len(g.ring)-g.head > 2*limit+16) && g.head < len(g.ring) {
		g.pop()
	}
	// Slots of hashes taken or re-added are stale; drop them once they dominate the ring.
	if g.head > len(g.ring)/2 && g.head > 1024 {
		g.ring = append(g.ring[:0], g.ring[g.head:]...)
		g.head = 0
	}
}

func (g *ghost) pop() {
	s := g.ring[g.head]
	g.head++
	if g.m[s.hash] == s.seq {
		delete(g.m, s.hash)
	}
}

// take reports whether h is remembered, forgetting it.
func (g *ghost) take(h uint64) bool {
	if _, ok := g.m[h]; !ok {
		return false
	}
	delete(g.m, h)
	return true
}
