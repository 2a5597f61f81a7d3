package httpserver

import (
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"
)

// fdConn is a connection an event loop handed to a goroutine (loop.handoff): the loop's own
// non-blocking descriptor as an *os.File, which the runtime's netpoller serves with deadlines
// as it serves a net.Conn. Two syscalls make it; the way through os.NewFile and net.FileConn
// took fifteen (a dup, the original in and out of the netpoller, the socket's type and both
// addresses, TCP_NODELAY and four keep-alive options set again), paid by every miss and every
// disk hit.
type fdConn struct {
	*os.File
	raw syscall.RawConn
}

// newFDConn wraps fd, which the caller gives up, or fails when the runtime cannot poll it.
func newFDConn(fd int) (*fdConn, error) {
	f := os.NewFile(uintptr(fd), "")
	raw, err := f.SyscallConn()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return &fdConn{File: f, raw: raw}, nil
}

// LocalAddr and RemoteAddr ask the kernel: the server keeps both addresses already (the
// request context, conn.remote), so nothing calls these on a request's path.
func (c *fdConn) LocalAddr() net.Addr { return c.addr(syscall.Getsockname) }

func (c *fdConn) RemoteAddr() net.Addr { return c.addr(syscall.Getpeername) }

func (c *fdConn) addr(get func(int) (syscall.Sockaddr, error)) net.Addr {
	var sa syscall.Sockaddr
	_ = c.raw.Control(func(fd uintptr) { sa, _ = get(int(fd)) })
	var ap netip.AddrPort
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		ap = netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))
	case *syscall.SockaddrInet6:
		ap = netip.AddrPortFrom(netip.AddrFrom16(a.Addr).Unmap(), uint16(a.Port))
	}
	return net.TCPAddrFromAddrPort(ap)
}

// CloseWrite half-closes the connection, for the lingering close after an error answer.
func (c *fdConn) CloseWrite() error {
	var err error
	if cerr := c.raw.Control(func(fd uintptr) { err = syscall.Shutdown(int(fd), syscall.SHUT_WR) }); cerr != nil {
		return cerr
	}
	return err
}

// writeBuffers writes parts with writev(2), as net.Buffers.WriteTo does on the net
// package's own connections, waiting in the netpoller while the socket is full.
func (c *fdConn) writeBuffers(parts net.Buffers) (int64, error) {
	var total int64
	var werr error
	err := c.raw.Write(func(fd uintptr) bool {
		for {
			var iov [4]syscall.Iovec
			n := 0
			for _, p := range parts {
				if len(p) > 0 && n < len(iov) {
					iov[n] = syscall.Iovec{Base: &p[0], Len: uint64(len(p))}
					n++
				}
			}
			if n == 0 {
				return true
			}
			w, err := rawWritev(int(fd), iov[:n])
			switch err {
			case nil:
			case syscall.EINTR:
				continue
			case syscall.EAGAIN:
				return false
			default:
				werr = err
				return true
			}
			if w == 0 {
				werr = io.ErrShortWrite
				return true
			}
			total += int64(w)
			for w > 0 {
				if w < len(parts[0]) {
					parts[0] = parts[0][w:]
					break
				}
				w -= len(parts[0])
				parts = parts[1:]
			}
		}
	})
	if werr != nil {
		err = &net.OpError{Op: "writev", Net: "tcp", Err: os.NewSyscallError("writev", werr)}
	}
	return total, err
}
