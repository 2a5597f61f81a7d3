package edgecache

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"testing"
)

// TestCollapsing: 200 concurrent requests for a cold key (Lookup, then Begin on a miss, as the
// edge does) start exactly one fill; all 200 read identical bytes, and readers receive bytes
// before the fill commits (issue 6, "Protecting the origin"). The writer waits for a reader to
// have bytes before it writes the rest, so the ordering is forced, not timed.
func TestCollapsing(t *testing.T) {
	const requests = 200
	const size = 2 << 20
	want := body(size, 9)
	errDiffer := errors.New("read bytes differ from the origin's")
	wantSum := sha256.Sum256(want)
	c := openCache(t, testConfig(t, t.TempDir()))

	var (
		started     atomic.Int32
		committed   atomic.Bool
		earlyReader atomic.Int32 // readers whose first bytes came before Commit
		joined      sync.WaitGroup
		done        sync.WaitGroup
		firstBytes  = make(chan struct{})
		firstOnce   sync.Once
		sums        [requests][32]byte
		errs        [requests]error
		gate        = make(chan struct{})
	)
	joined.Add(requests)
	done.Add(requests)
	for i := range requests {
		go func() {
			defer done.Done()
			<-gate
			e := c.Lookup("cold")
			var f *Fill
			if e == nil {
				f, e, _ = c.Begin("cold", testMeta("D", "/cold"))
			}
			joined.Done()
			if f != nil {
				started.Add(1)
				joined.Wait() // every request has joined before any byte exists
				f.Write(want[:64<<10])
				<-firstBytes
				for off := 64 << 10; off < size; off += 32 << 10 {
					f.Write(want[off : off+32<<10])
				}
				committed.Store(true)
				errs[i] = f.Commit(size)
				sums[i] = wantSum
				return
			}
			defer e.Release()
			if !e.Filling() {
				errs[i] = io.ErrUnexpectedEOF // a hit: the fill finished before this joined
				return
			}
			r, err := e.NewReader(0, -1)
			if err != nil {
				errs[i] = err
				return
			}
			defer r.Close()
			var off int
			p := make([]byte, 16<<10)
			first := true
			for {
				n, err := r.Read(p)
				if n > 0 && first {
					first = false
					if !committed.Load() {
						earlyReader.Add(1)
					}
					firstOnce.Do(func() { close(firstBytes) })
				}
				if off+n > size || !bytes.Equal(p[:n], want[off:off+n]) {
					errs[i] = errDiffer
					return
				}
				off += n
				if err == io.EOF {
					break
				}
				if err != nil {
					errs[i] = err
					return
				}
			}
			if off != size {
				errs[i] = io.ErrUnexpectedEOF
				return
			}
			sums[i] = wantSum
		}()
	}
	close(gate)
	done.Wait()
	if n := started.Load(); n != 1 {
		t.Fatalf("%d fills started, want exactly 1", n)
	}
	for i := range requests {
		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}
		if !bytes.Equal(sums[i][:], wantSum[:]) {
			t.Fatalf("request %d read different bytes", i)
		}
	}
	if earlyReader.Load() == 0 {
		t.Fatal("no reader received bytes before Commit")
	}
	s := c.Stats()
	if s.FillsStarted != 1 || s.Collapsed+s.FillHits != requests-1 || s.Commits != 1 {
		t.Fatalf("stats = %+v", s)
	}
	got, _ := mustGet(t, c, "cold")
	wantBody(t, got, want)
}
