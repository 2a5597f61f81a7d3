//go:build linux

package httpserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// ServeLoop serves ln's connections from loops event loops, each an OS thread waiting in
// its own epoll instance, as nginx's workers do: requests that the handler answers inline
// (InlineHandler: a cache hit from memory) are read, answered and written without a
// goroutine switch, a speculative read or a netpoller wake-up. A request the handler
// declines, a request with a body, and anything unusual (a malformed head, an error answer
// that must linger) move the connection to a goroutine that serves it as Serve would, with
// what the loop had read; once idle again, the connection goes back to its loop. New
// connections are spread over the loops by count.
//
// A busy loop holds a P (runtime.GOMAXPROCS) while it waits, so that waiting costs no
// scheduler hand-off; Server.HoldProcs tells the caller when, so that it can add as many
// for the goroutines. ServeLoop is Serve when the handler is not an InlineHandler, ln is not a
// *net.TCPListener or loops is not positive. It returns like Serve.
func (s *Server) ServeLoop(ln net.Listener, loops int) error {
	ih, inline := s.Handler.(InlineHandler)
	tl, tcp := ln.(*net.TCPListener)
	if !inline || !tcp || loops <= 0 {
		return s.Serve(ln)
	}
	if !s.trackListener(ln, true) {
		return http.ErrServerClosed
	}
	defer s.trackListener(ln, false)
	lfd, err := dupListener(tl)
	if err != nil {
		return err
	}
	defer syscall.Close(lfd)
	base := context.Background()
	if s.BaseContext != nil {
		if base = s.BaseContext(ln); base == nil {
			panic("httpserver: BaseContext returned a nil context")
		}
	}
	base = context.WithValue(base, http.LocalAddrContextKey, ln.Addr())
	ls := make([]*loop, 0, loops)
	defer func() {
		for _, l := range ls {
			l.release()
		}
	}()
	for range loops {
		l, err := newLoop(s, ih, lfd, base)
		if err != nil {
			return err
		}
		ls = append(ls, l)
	}
	for _, l := range ls {
		l.peers = ls
	}
	errc := make(chan error, len(ls))
	for _, l := range ls {
		go func() { errc <- l.run() }()
	}
	var errs []error
	for range ls {
		errs = append(errs, <-errc)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return http.ErrServerClosed
}

// dupListener returns a non-blocking duplicate of ln's socket for the loops to accept on;
// ln keeps the original (closing ln is how Shutdown and Close say stop, see loop.run).
func dupListener(ln *net.TCPListener) (int, error) {
	rc, err := ln.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd, derr := -1, error(nil)
	if err := rc.Control(func(orig uintptr) {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, orig, syscall.F_DUPFD_CLOEXEC, 0)
		if e != 0 {
			derr = os.NewSyscallError("fcntl", e)
			return
		}
		fd = int(r)
	}); err != nil {
		return -1, err
	}
	return fd, derr
}

// Loop settings.
const (
	// maxEvents is how many readiness events one epoll_wait returns at most.
	maxEvents = 128
	// acceptBatch bounds the connections accepted per listener event, so that a flood of
	// new connections does not starve the established ones.
	acceptBatch = 64
	// sweepEvery is how often a loop looks for connections past their deadline: timeouts
	// are enforced to within this much.
	sweepEvery = 250 * time.Millisecond
	// idleAfter is how long a loop goes without events before it waits as idle (wait).
	idleAfter = 50 * time.Millisecond
	// releaseProcsAfter is how long a loop goes without events before it gives back the P
	// that Server.HoldProcs added for it: longer than idleAfter, so that traffic with pauses
	// does not change GOMAXPROCS (which stops the world) at every pause.
	releaseProcsAfter = time.Second
	// acceptPause is how long a loop stops accepting after running out of descriptors.
	acceptPause = 100 * time.Millisecond
	// maxIovecs bounds the parts of one writev of queued output.
	maxIovecs = 16
	// maxSpill bounds the response bytes a connection copies while the viewer is slower
	// than the handler; beyond it the handler's Write fails (see InlineHandler).
	maxSpill = 1 << 20
)

// errSpill fails an inline handler's Write that would queue more than maxSpill copied bytes.
var errSpill = errors.New("httpserver: an inline response outran its viewer by more than 1 MiB; write it with WriteImmutable or serve it from ServeHTTP")

// Linux values syscall does not name.
const (
	epollExclusive = 1 << 28 // EPOLLEXCLUSIVE: one waiter woken per new connection
	epollET        = 1 << 31 // EPOLLET, which syscall declares negative
	efdNonblock    = syscall.O_NONBLOCK
	efdCloexec     = syscall.O_CLOEXEC
)

// loop is one event loop: its epoll instance, the listener it shares with the other loops
// and the connections it owns. Only its own goroutine touches conns and their state.
type loop struct {
	s    *Server
	ih   InlineHandler
	base context.Context
	ep   int // epoll instance
	lfd  int // the listener (shared)
	efd  int // eventfd that wake writes to

	conns     map[int]*conn
	events    [maxEvents]syscall.EpollEvent
	now       int64 // UnixNano at the last wake-up: deadlines are this coarse
	lastEvent int64 // UnixNano of the last wake-up with events (wait)
	started   bool  // a goroutine was started since the last wait (handoff)
	holding   bool  // Server.HoldProcs was told +1 for this loop (wait)
	nextSweep int64
	accepting bool  // lfd is in ep
	pausedTil int64 // accepting resumes then after EMFILE

	// load counts the connections the loop owns or has queued; peers are the loops of the
	// same listener, among which new connections go to the least loaded.
	load  atomic.Int32
	peers []*loop

	adoptMu sync.Mutex
	adopted []*conn // connections queued for the loop (enqueue), not registered yet
}

func newLoop(s *Server, ih InlineHandler, lfd int, base context.Context) (*loop, error) {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	r, _, e := syscall.Syscall(syscall.SYS_EVENTFD2, 0, efdNonblock|efdCloexec, 0)
	if e != 0 {
		syscall.Close(ep)
		return nil, os.NewSyscallError("eventfd2", e)
	}
	l := &loop{s: s, ih: ih, base: base, ep: ep, lfd: lfd, efd: int(r), conns: map[int]*conn{}}
	if err := l.ctl(syscall.EPOLL_CTL_ADD, l.efd, syscall.EPOLLIN); err != nil {
		l.release()
		return nil, err
	}
	s.mu.Lock()
	if s.loops == nil {
		s.loops = map[waker]struct{}{}
	}
	s.loops[l] = struct{}{}
	s.mu.Unlock()
	return l, nil
}

// release forgets the loop and closes what it owns; the loop is not running.
func (l *loop) release() {
	l.s.mu.Lock()
	delete(l.s.loops, l)
	l.s.mu.Unlock()
	l.adoptMu.Lock() // none can come any more
	for _, c := range l.adopted {
		syscall.Close(c.fd)
		l.s.trackConn(c, false)
	}
	l.adopted = nil
	l.adoptMu.Unlock()
	for _, c := range l.conns {
		l.drop(c)
	}
	syscall.Close(l.efd) // only after no wake can reach it
	syscall.Close(l.ep)
}

// wake interrupts the loop's wait; Shutdown and Close call it (under s.mu).
func (l *loop) wake() {
	one := [8]byte{1}
	_, _ = syscall.Write(l.efd, one[:])
}

func (l *loop) ctl(op, fd int, events uint32) error {
	ev := syscall.EpollEvent{Events: events, Fd: int32(fd)}
	if err := syscall.EpollCtl(l.ep, op, fd, &ev); err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	return nil
}

// run is the loop. It keeps its OS thread; while busy it waits in epoll_pwait without
// telling the scheduler (see wait). A signal (the runtime's preemption, GC) interrupts such
// a wait with EINTR, so the loop still stops the world when asked.
func (l *loop) run() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer l.holdProcs(false)
	if err := l.ctl(syscall.EPOLL_CTL_ADD, l.lfd, syscall.EPOLLIN|epollExclusive); err != nil {
		return err
	}
	l.accepting = true
	for {
		n, err := l.wait()
		if err != nil {
			return err
		}
		l.now = time.Now().UnixNano()
		if n > 0 {
			l.lastEvent = l.now
		}
		for i := range n {
			ev := &l.events[i]
			switch fd := int(ev.Fd); fd {
			case l.lfd:
				l.accept()
			case l.efd:
				var b [8]byte
				_, _ = syscall.Read(l.efd, b[:])
				l.takeAdopted()
			default:
				if c := l.conns[fd]; c != nil {
					l.event(c, ev.Events)
				}
			}
		}
		if l.s.inShutdown.Load() && l.stopping() {
			return nil
		}
		if l.now >= l.nextSweep {
			l.sweep()
		}
	}
}

// wait returns the next events: at once when some are ready, else after blocking until one
// is or the next sweep is due. A busy loop waits without telling the scheduler (a raw
// syscall: the P stays, no hand-off, no sysmon retake when the wait ends). A loop that had
// no event for idleAfter waits as any blocking syscall does, so that an idle server gives
// its Ps back and sysmon does not preempt it every 10 ms (6.7% of a core idle otherwise).
// So does a loop that just started a goroutine (handoff): the runtime queued it on the
// loop's P, where another P steals it only after a pause, unless the P is in a syscall
// (0.35 ms more to a miss's first byte otherwise).
func (l *loop) wait() (int, error) {
	ms := int((l.nextSweep - l.now) / int64(time.Millisecond))
	ms = min(max(ms, 1), int(sweepEvery/time.Millisecond))
	busy := l.now-l.lastEvent < int64(idleAfter) && !l.started
	l.started = false
	if busy {
		ms = min(ms, int(idleAfter/time.Millisecond))
		l.holdProcs(true)
	} else if l.now-l.lastEvent >= int64(releaseProcsAfter) {
		l.holdProcs(false)
	}
	return l.epollWait(ms, busy)
}

// holdProcs tells Server.HoldProcs that the loop starts or stops holding a P, on changes.
func (l *loop) holdProcs(hold bool) {
	if hold == l.holding || l.s.HoldProcs == nil {
		return
	}
	l.holding = hold
	if hold {
		l.s.HoldProcs(1)
	} else {
		l.s.HoldProcs(-1)
	}
}

func (l *loop) epollWait(ms int, raw bool) (int, error) {
	call := syscall.Syscall6
	if raw {
		call = syscall.RawSyscall6
	}
	r, _, e := call(syscall.SYS_EPOLL_PWAIT, uintptr(l.ep), uintptr(unsafe.Pointer(&l.events[0])), maxEvents, uintptr(ms), 0, 0)
	switch e {
	case 0:
		return int(r), nil
	case syscall.EINTR:
		return 0, nil
	}
	return 0, os.NewSyscallError("epoll_pwait", e)
}

// accept takes new connections; each is registered edge-triggered for input and output,
// so it is never modified again.
func (l *loop) accept() {
	for range acceptBatch {
		fd, sa, err := syscall.Accept4(l.lfd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		switch {
		case err == syscall.EAGAIN:
			return
		case err == syscall.ECONNABORTED || err == syscall.EINTR:
			continue
		case err == syscall.EMFILE || err == syscall.ENFILE || err == syscall.ENOBUFS || err == syscall.ENOMEM:
			// The listener stays readable: stop looking at it for a moment rather than spin
			// (net/http sleeps as well).
			l.s.logger().Warn("httpserver: accept failed; pausing", "err", err, "delay", acceptPause)
			if l.ctl(syscall.EPOLL_CTL_DEL, l.lfd, 0) == nil {
				l.accepting = false
				l.pausedTil = l.now + int64(acceptPause)
			}
			return
		case err != nil:
			l.s.logger().Error("httpserver: accept failed", "err", err)
			return
		}
		_ = syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1) // as net does
		c := &conn{s: l.s, fd: fd, lp: l, vectored: true, rdlStale: true, base: l.base, remote: sockaddrString(sa),
			rbuf: make([]byte, readBufferSize)}
		c.p.lim = limits{maxBytes: l.s.maxHeaderBytes(), maxHeaders: l.s.maxHeaders()}
		c.res.c, c.body.c = c, c
		if !l.s.trackConn(c, true) {
			syscall.Close(fd)
			continue
		}
		// EPOLLEXCLUSIVE wakes whichever loop is waiting, so a burst of connections can land
		// on one loop; they are spread by count instead.
		if t := l.leastLoaded(); t != l && t.enqueue(c) {
			continue
		}
		l.load.Add(1)
		l.register(c)
	}
}

// leastLoaded is the loop with the fewest connections, l on a tie.
func (l *loop) leastLoaded() *loop {
	best, min := l, l.load.Load()
	for _, p := range l.peers {
		if n := p.load.Load(); n < min {
			best, min = p, n
		}
	}
	return best
}

// register adds c to the loop, edge-triggered for input and output, so that it is never
// modified again, and moves it on.
func (l *loop) register(c *conn) {
	if err := l.ctl(syscall.EPOLL_CTL_ADD, c.fd, syscall.EPOLLIN|syscall.EPOLLOUT|syscall.EPOLLRDHUP|epollET); err != nil {
		l.s.logger().Error("httpserver: registering a connection", "err", err)
		syscall.Close(c.fd)
		l.load.Add(-1)
		l.s.trackConn(c, false)
		return
	}
	l.conns[c.fd] = c
	l.progress(c)
}

func sockaddrString(sa syscall.Sockaddr) string {
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port)).String()
	case *syscall.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port)).String()
	}
	return fmt.Sprint(sa)
}

// event handles readiness of c.
func (l *loop) event(c *conn, events uint32) {
	if events&syscall.EPOLLERR != 0 {
		l.drop(c)
		return
	}
	if events&syscall.EPOLLOUT != 0 && len(c.out) > 0 {
		if !l.flushOut(c) {
			return
		}
	}
	if events&(syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLHUP) != 0 {
		c.readable = true
	}
	l.progress(c)
}

// progress moves c on as far as it can without blocking: it answers the requests in its
// buffer one at a time (the next only when the last has left), reads when the socket may
// have more, and sets the deadline of what c now waits for.
func (l *loop) progress(c *conn) {
	for {
		if len(c.out) > 0 {
			c.deadline = l.now + int64(l.writeTimeout()) // waiting for the viewer to read
			return
		}
		if c.closing {
			l.finish(c)
			return
		}
		if c.r < c.w {
			n, err := c.p.parseHead(c.rbuf[c.r:c.w], &c.h)
			if err == nil {
				c.r += n
				if !l.serve(c) {
					return
				}
				continue
			}
			if err != errIncomplete {
				var pe *ParseError
				if !errors.As(err, &pe) {
					pe = &ParseError{Status: http.StatusBadRequest, Reason: err.Error()}
				}
				l.handoff(c, func(c *conn) bool { c.writeError(pe.Status, pe.Reason); return false })
				return
			}
		}
		if !c.readable {
			l.waitInput(c)
			return
		}
		if c.r == c.w {
			c.r, c.w = 0, 0
		}
		if err := c.makeRoom(); err != nil {
			var pe *ParseError
			errors.As(err, &pe)
			l.handoff(c, func(c *conn) bool { c.writeError(pe.Status, pe.Reason); return false })
			return
		}
		room := len(c.rbuf) - c.w
		n, err := rawRead(c.fd, c.rbuf[c.w:])
		switch {
		case err == syscall.EAGAIN:
			c.readable = false
			continue
		case err != nil || n == 0:
			l.drop(c) // the viewer closed or reset; nothing is owed to it
			return
		}
		if c.r == c.w {
			c.headStart = l.now
		}
		c.w += n
		// Edge-triggered: a read that did not fill the space took everything there was,
		// and more input will raise a new event.
		c.readable = n == room
	}
}

// waitInput sets c's deadline while it waits for input: the idle timeout between requests,
// the header timeout within one. An idle connection closes when the server shuts down.
func (l *loop) waitInput(c *conn) {
	if c.r == c.w {
		if l.s.inShutdown.Load() {
			l.drop(c)
			return
		}
		c.deadline = deadlineAfter(l.now, l.s.idleTimeout())
		return
	}
	c.deadline = deadlineAfter(c.headStart, l.s.readHeaderTimeout())
}

func deadlineAfter(from int64, d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return from + int64(d)
}

// writeTimeout bounds a stalled response: WriteTimeout, or the idle timeout when there is
// none (a viewer that takes nothing for that long is gone); it restarts whenever the
// viewer takes bytes.
func (l *loop) writeTimeout() time.Duration {
	if l.s.WriteTimeout > 0 {
		return l.s.WriteTimeout
	}
	return l.s.idleTimeout()
}

// serve answers the head just parsed into c.h inline, or hands c to a goroutine. It
// reports whether the loop keeps c.
func (l *loop) serve(c *conn) bool {
	h := &c.h
	if h.chunked || h.contentLength != 0 || h.expectContinue {
		l.handoff(c, (*conn).serveRequest)
		return false
	}
	c.prepareRequest(true)
	handled, panicked := c.runInline(l.ih)
	if !handled && !panicked && !c.res.wroteHeader {
		c.res.release()
		c.ctx.cancel(context.Canceled)
		l.handoff(c, (*conn).serveRequest)
		return false
	}
	if !c.endRequest(panicked) {
		c.closing = true
	}
	return true
}

// runInline is runHandler for ServeInline.
func (c *conn) runInline(ih InlineHandler) (handled, panicked bool) {
	defer func() {
		if v := recover(); v != nil {
			panicked = true
			c.logPanic(v)
		}
	}()
	return ih.ServeInline(&c.res, &c.req), false
}

// handoff gives c to a goroutine of its own, which runs then and, if then reports the
// connection may carry more, serves it as Serve does. c's buffered input goes with it.
func (l *loop) handoff(c *conn, then func(*conn) bool) {
	delete(l.conns, c.fd)
	l.load.Add(-1)
	_ = l.ctl(syscall.EPOLL_CTL_DEL, c.fd, 0)
	rwc, err := newFDConn(c.fd) // now in the runtime's netpoller
	if err != nil {
		l.s.logger().Error("httpserver: moving a connection off its event loop", "err", err)
		l.s.trackConn(c, false)
		return
	}
	l.s.mu.Lock() // Close and Shutdown look at rwc under it
	c.rwc = rwc
	l.s.mu.Unlock()
	c.reqStart = time.Now() // for ReadTimeout on the body, as if the head had just come
	c.fd, c.lp, c.home, c.out, c.spill = -1, nil, l, nil, nil
	l.started = true
	go func() {
		if then(c) && c.serveRequests() {
			return // back on the loop
		}
		c.close()
	}()
}

// adopt takes back c, which a goroutine served after a handoff, now that it is idle: its
// socket is duplicated out of the runtime's netpoller and queued for the loop, which
// registers it at its next wake-up. It reports false, leaving c to the goroutine, when the
// loop is gone or the server shuts down.
func (l *loop) adopt(c *conn) bool {
	sc, ok := c.rwc.(syscall.Conn)
	if !ok || l.s.inShutdown.Load() {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	fd := -1
	_ = rc.Control(func(orig uintptr) {
		if r, _, e := syscall.Syscall(syscall.SYS_FCNTL, orig, syscall.F_DUPFD_CLOEXEC, 0); e == 0 {
			fd = int(r)
		}
	})
	if fd < 0 {
		return false
	}
	_ = c.rwc.Close() // the duplicate keeps the connection open, non-blocking as the runtime set it
	l.s.mu.Lock()
	c.rwc = nil
	l.s.mu.Unlock()
	c.fd, c.home = fd, nil
	c.r, c.w = 0, 0
	if !l.enqueue(c) {
		// The loop is gone: the connection ends, as an idle one does at shutdown.
		syscall.Close(fd)
		c.fd = -1
		l.s.trackConn(c, false)
	}
	return true
}

// enqueue queues c, accepted or given back by another goroutine, for the loop, which
// registers it at its next wake-up. It reports false when the loop is gone or the server
// shuts down.
func (l *loop) enqueue(c *conn) bool {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if _, running := l.s.loops[l]; !running || l.s.inShutdown.Load() {
		return false
	}
	c.lp, c.readable = l, true
	l.load.Add(1)
	l.adoptMu.Lock()
	l.adopted = append(l.adopted, c)
	l.adoptMu.Unlock()
	l.wake() // safe: the loop is registered, so its eventfd is open (see release)
	return true
}

// takeAdopted registers the connections adopt queued.
func (l *loop) takeAdopted() {
	l.adoptMu.Lock()
	cs := l.adopted
	l.adopted = nil
	l.adoptMu.Unlock()
	for _, c := range cs {
		l.register(c)
	}
}

// finish closes c after its last response left: at once, or from a goroutine that lingers
// when the viewer may still be sending (see conn.close).
func (l *loop) finish(c *conn) {
	if c.linger {
		l.handoff(c, func(*conn) bool { return false })
		return
	}
	l.drop(c)
}

// drop closes c now.
func (l *loop) drop(c *conn) {
	delete(l.conns, c.fd)
	l.load.Add(-1)
	syscall.Close(c.fd) // also takes it out of ep
	c.fd, c.out, c.spill = -1, nil, nil
	l.s.trackConn(c, false)
}

// sweep closes connections past their deadline.
func (l *loop) sweep() {
	l.nextSweep = l.now + int64(sweepEvery)
	if !l.accepting && l.pausedTil != 0 && l.now >= l.pausedTil && !l.s.inShutdown.Load() {
		if l.ctl(syscall.EPOLL_CTL_ADD, l.lfd, syscall.EPOLLIN|epollExclusive) == nil {
			l.accepting, l.pausedTil = true, 0
		}
	}
	for _, c := range l.conns {
		if c.deadline != 0 && l.now > c.deadline {
			l.drop(c)
		}
	}
}

// stopping runs while the server shuts down: the loop stops accepting, closes idle
// connections and reports whether none is left. After Close it drops them all.
func (l *loop) stopping() bool {
	if l.accepting {
		_ = l.ctl(syscall.EPOLL_CTL_DEL, l.lfd, 0)
		l.accepting = false
	}
	l.pausedTil = 0
	for _, c := range l.conns {
		if l.s.closed.Load() || c.r == c.w && len(c.out) == 0 {
			l.drop(c)
		}
	}
	return len(l.conns) == 0
}

// sendInline writes the parts of a response to c's socket without blocking. What the
// socket does not take is queued and sent as the viewer reads (flushOut); queued parts are
// copied, except parts[keep] which the handler promised never to change (WriteImmutable).
func (c *conn) sendInline(parts [4][]byte, keep int) error {
	i, off := 0, 0
	if len(c.out) == 0 {
		var iov [4]syscall.Iovec
		n := 0
		for _, p := range parts {
			if len(p) > 0 {
				iov[n] = syscall.Iovec{Base: &p[0], Len: uint64(len(p))}
				n++
			}
		}
		if n == 0 {
			return nil
		}
		w, err := rawWritev(c.fd, iov[:n])
		if err != nil && err != syscall.EAGAIN {
			return err
		}
		for ; i < len(parts) && w >= len(parts[i]); i++ {
			w -= len(parts[i])
		}
		off = w
	}
	for ; i < len(parts); i++ {
		p := parts[i][off:]
		off = 0
		if len(p) == 0 {
			continue
		}
		if i != keep {
			if len(c.spill)+len(p) > maxSpill {
				return errSpill
			}
			start := len(c.spill)
			c.spill = append(c.spill, p...)
			p = c.spill[start:len(c.spill):len(c.spill)]
		}
		c.out = append(c.out, p)
	}
	return nil
}

// flushOut sends queued output; it reports whether all of it left. A failed write drops c.
func (l *loop) flushOut(c *conn) bool {
	for len(c.out) > 0 {
		var iov [maxIovecs]syscall.Iovec
		n := 0
		for _, p := range c.out[:min(len(c.out), maxIovecs)] {
			iov[n] = syscall.Iovec{Base: &p[0], Len: uint64(len(p))}
			n++
		}
		w, err := rawWritev(c.fd, iov[:n])
		if err == syscall.EAGAIN {
			return false
		}
		if err != nil {
			l.drop(c)
			return false
		}
		k := 0
		for ; w >= len(c.out[k]); k++ {
			w -= len(c.out[k])
			if k+1 == len(c.out) {
				k++
				break
			}
		}
		if k < len(c.out) {
			c.out[k] = c.out[k][w:]
		}
		m := copy(c.out, c.out[k:])
		clear(c.out[m:])
		c.out = c.out[:m]
		c.deadline = l.now + int64(l.writeTimeout()) // the viewer is reading
	}
	c.out, c.spill = c.out[:0], c.spill[:0]
	return true
}

// rawRead and rawWritev are non-blocking socket calls made without telling the scheduler:
// they never wait, so there is nothing to hand off.
func rawRead(fd int, p []byte) (int, error) {
	r, _, e := syscall.RawSyscall(syscall.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

func rawWritev(fd int, iov []syscall.Iovec) (int, error) {
	r, _, e := syscall.RawSyscall(syscall.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)))
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}
