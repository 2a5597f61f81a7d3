package distrib

import "sync"

// changeFeed wakes every goroutine waiting for the next change, without polling: each wait
// takes the current channel, and notify closes it (waking them all at once) and starts a new
// one. Its zero value is ready to use.
//
// A notification carries no value: a waiter re-reads the Version under Service.mu, which a
// mutation holds until its batch is committed, so it never reads a version older than the
// notification that woke it (see WaitChange).
type changeFeed struct {
	mu     sync.Mutex
	ch     chan struct{}
	closed bool
}

// wait returns the channel the next notify closes.
func (f *changeFeed) wait() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ch == nil {
		f.ch = make(chan struct{})
	}
	return f.ch
}

// notify wakes every current waiter.
func (f *changeFeed) notify() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ch != nil {
		close(f.ch)
		f.ch = nil
	}
}

// close wakes every waiter for the last time: WaitChange returns ErrClosed from then on.
// Service.Close calls it with Service.mu held, before it closes the store.
func (f *changeFeed) close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.notify()
}

func (f *changeFeed) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}
