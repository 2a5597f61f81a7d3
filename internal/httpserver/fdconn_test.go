//go:build linux

package httpserver

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// fdConnPair returns an fdConn over the server side of a loopback connection, as loop.handoff
// makes one, and the client side.
func fdConnPair(t *testing.T) (*fdConn, net.Conn) {
	t.Helper()
	ln := listen(t)
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	f, err := server.(*net.TCPConn).File() // a blocking duplicate
	_ = server.Close()
	if err != nil {
		t.Fatal(err)
	}
	fd, err := syscall.Dup(int(f.Fd()))
	_ = f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	c, err := newFDConn(fd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, client
}

// TestFDConnWritesBuffersInOrder: parts larger than the socket takes at once all arrive, in
// order, while the peer reads slowly (the writev resumes after the netpoller's wait).
func TestFDConnWritesBuffersInOrder(t *testing.T) {
	c, client := fdConnPair(t)
	head := []byte("HTTP/1.1 200 OK\r\n\r\n")
	big := make([]byte, 32<<20) // more than loopback sockets buffer; never periodic
	_, _ = rand.NewChaCha8([32]byte{1}).Read(big)
	tail := []byte("tail")
	want := append(append(append([]byte{}, head...), big...), tail...)
	got := make(chan []byte, 1)
	go func() {
		var b bytes.Buffer
		buf := make([]byte, 64<<10)
		time.Sleep(100 * time.Millisecond) // the writer fills the socket and waits
		_ = client.SetReadDeadline(time.Now().Add(time.Minute))
		for b.Len() < len(want) {
			n, err := client.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		got <- b.Bytes()
	}()
	_ = c.SetWriteDeadline(time.Now().Add(time.Minute)) // a broken writev fails, not hangs
	n, err := c.writeBuffers(net.Buffers{head, nil, big, tail})
	if err != nil || n != int64(len(want)) {
		t.Fatalf("writeBuffers: %d, %v; want %d, nil", n, err, len(want))
	}
	if b := <-got; !bytes.Equal(b, want) {
		t.Fatalf("the peer read %d bytes, not the %d written in order", len(b), len(want))
	}
}

// TestFDConnDeadlinesAndHalfClose: a write the peer never reads ends at the write deadline
// with a timeout; CloseWrite gives the peer EOF while the connection still reads; the
// addresses are the connection's.
func TestFDConnDeadlinesAndHalfClose(t *testing.T) {
	c, client := fdConnPair(t)
	if got, want := c.RemoteAddr().String(), client.LocalAddr().String(); got != want {
		t.Errorf("RemoteAddr %s, want %s", got, want)
	}
	if got, want := c.LocalAddr().String(), client.RemoteAddr().String(); got != want {
		t.Errorf("LocalAddr %s, want %s", got, want)
	}

	if _, err := client.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(client); err != nil || len(b) != 0 {
		t.Fatalf("after CloseWrite the peer read %q, %v; want EOF", b, err)
	}
	buf := make([]byte, 8)
	if n, err := io.ReadFull(c, buf[:4]); err != nil || string(buf[:n]) != "ping" {
		t.Fatalf("read after CloseWrite: %q, %v", buf[:n], err)
	}

	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := c.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read past the deadline: %v, want os.ErrDeadlineExceeded", err)
	}
}

// TestFDConnWriteDeadline: writev to a peer that reads nothing stops at the write deadline.
func TestFDConnWriteDeadline(t *testing.T) {
	c, _ := fdConnPair(t)
	_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	big := make([]byte, 64<<20)
	n, err := c.writeBuffers(net.Buffers{big})
	if !errors.Is(err, os.ErrDeadlineExceeded) || n >= int64(len(big)) {
		t.Fatalf("writeBuffers to a stalled peer: %d, %v; want a partial write and os.ErrDeadlineExceeded", n, err)
	}
}
