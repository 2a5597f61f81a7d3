//go:build !linux

package httpserver

import "net"

// ServeLoop serves ln with Serve: event loops are built on Linux's epoll.
func (s *Server) ServeLoop(ln net.Listener, loops int) error { return s.Serve(ln) }

// loop is the event loop of loop_linux.go; elsewhere no connection has one.
type loop struct{}

func (l *loop) adopt(c *conn) bool { return false }

func (c *conn) sendInline(parts [4][]byte, keep int) error {
	panic("httpserver: a connection without an event loop wrote as if it had one")
}
