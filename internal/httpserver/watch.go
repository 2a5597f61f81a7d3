package httpserver

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"
)

// reqContext is a request's context. It is cancelled when the handler returns, and when the
// client goes away while the handler runs; the latter needs a read on the connection
// (there is no other way to see a FIN or RST), which costs a wakeup, a syscall and two
// deadline changes per request. net/http pays that for every request; here the read starts
// only once someone calls Done or registers an AfterFunc (context.WithCancel and friends do),
// so handlers that never wait on the context, like the edge's cache hits, never pay it.
type reqContext struct {
	parent context.Context // values (http.LocalAddrContextKey, BaseContext's)
	c      *conn

	mu    sync.Mutex
	done  chan struct{}
	err   error
	funcs []*afterFunc
}

type afterFunc struct{ f func() }

var _ context.Context = (*reqContext)(nil)

func (x *reqContext) Deadline() (time.Time, bool) { return x.parent.Deadline() }

func (x *reqContext) Value(key any) any { return x.parent.Value(key) }

func (x *reqContext) Done() <-chan struct{} {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.done == nil {
		x.done = make(chan struct{})
		if x.err != nil {
			close(x.done)
		} else {
			x.c.requestWatch(x)
		}
	}
	return x.done
}

func (x *reqContext) Err() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.err
}

// AfterFunc lets the context package (WithCancel, WithTimeout, AfterFunc) hook child
// contexts on this one without a goroutine per child.
func (x *reqContext) AfterFunc(f func()) func() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.err != nil {
		go f()
		return func() bool { return false }
	}
	a := &afterFunc{f: f}
	x.funcs = append(x.funcs, a)
	x.c.requestWatch(x)
	return func() bool {
		x.mu.Lock()
		defer x.mu.Unlock()
		for i, g := range x.funcs {
			if g == a {
				x.funcs = append(x.funcs[:i], x.funcs[i+1:]...)
				return true
			}
		}
		return false
	}
}

func (x *reqContext) cancel(err error) {
	x.mu.Lock()
	if x.err != nil {
		x.mu.Unlock()
		return
	}
	x.err = err
	if x.done != nil {
		close(x.done)
	}
	funcs := x.funcs
	x.funcs = nil
	x.mu.Unlock()
	for _, a := range funcs {
		go a.f()
	}
}

// requestWatch starts the background read for ctx's request if it is still the current
// one and its handler runs; with the body still unread it waits for the body's end, since
// the handler's own reads would see the client go.
func (c *conn) requestWatch(ctx *reqContext) {
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	if c.ctx != ctx || c.handlerDone || c.watching || c.fd >= 0 {
		// An inline handler cannot block, so it outlives no client: nothing to watch.
		return
	}
	if !c.body.done {
		c.wantWatch = true
		return
	}
	c.startWatchLocked()
}

// bodyEOF marks the body read (under watchMu: requestWatch may look from another
// goroutine) and starts a watch that was asked for meanwhile.
func (c *conn) bodyEOF() {
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	c.body.done = true
	if c.wantWatch && !c.handlerDone && !c.watching {
		c.startWatchLocked()
	}
}

func (c *conn) startWatchLocked() {
	c.watching = true
	c.watchDone = make(chan struct{})
	ctx := c.ctx
	go c.backgroundRead(ctx)
}

// backgroundRead blocks in a read while the handler runs. Input that arrives is the next
// pipelined request and is kept; EOF or an error means the client is gone and cancels the
// request's context. stopWatch ends it with a past deadline.
func (c *conn) backgroundRead(ctx *reqContext) {
	defer close(c.watchDone)
	// The connection goroutine is in the handler and the body is consumed: nothing else
	// touches rbuf until stopWatch has waited for us.
	if c.r == c.w {
		c.r, c.w = 0, 0
	} else if c.w == len(c.rbuf) {
		if c.r == 0 {
			return // a full buffer of pipelined input: the client is there
		}
		c.w = copy(c.rbuf, c.rbuf[c.r:c.w])
		c.r = 0
	}
	_ = c.rwc.SetReadDeadline(time.Time{})
	n, err := c.rwc.Read(c.rbuf[c.w:])
	c.w += n
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		c.watchErr = err
		ctx.cancel(context.Canceled)
	}
}

// stopWatch marks the handler done and ends a running background read.
func (c *conn) stopWatch() {
	c.watchMu.Lock()
	c.handlerDone = true
	watching := c.watching
	c.watchMu.Unlock()
	if !watching {
		return
	}
	_ = c.rwc.SetReadDeadline(aLongTimeAgo)
	<-c.watchDone
	c.rdlStale = true
	if c.watchErr != nil {
		c.broken = true
	}
}
