// Command gofsync serves bench/gofsync/fsyncserver: the "bare Go file server that fsyncs each
// file" whose PUT and GET rates issue 2 uses as the ceiling of the disk and CPU. bench/run-s3.sh
// drives it with imgcdn-bench --label gofsync.
//
//	gofsync --data /tmp/gofsync --addr 127.0.0.1:9100
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/imgcdn/imgcdn/bench/gofsync/fsyncserver"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gofsync:", err)
		os.Exit(1)
	}
}

func run() error {
	data := flag.String("data", "", "directory holding the objects (required)")
	addr := flag.String("addr", "127.0.0.1:9100", "listen address")
	flag.Parse()
	if *data == "" {
		return errors.New("--data is required")
	}
	srv, err := fsyncserver.New(*data)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	fmt.Printf("gofsync serving %s on http://%s\n", *data, ln.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}
