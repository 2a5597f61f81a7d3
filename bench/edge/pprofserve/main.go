// Command pprofserve is `imgcdn serve` plus net/http/pprof on a separate loopback listener, for
// `bench/run-edge.sh --profile`: imgcdn has no profiling endpoint of its own, and this builds
// the very same app.App from the same Config, so the profile is of the code the benchmark
// measures. The pprof listener is idle except while a profile is taken.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/imgcdn/imgcdn/internal/app"
	"github.com/imgcdn/imgcdn/internal/sysmon"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pprofserve:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg := app.NewDefaultConfig()
	pprofAddr := flag.String("pprof", "127.0.0.1:6060", "listen address of /debug/pprof/")
	flag.StringVar(&cfg.DataDir, "data", cfg.DataDir, "as imgcdn serve --data")
	flag.StringVar(&cfg.APIAddr, "api", cfg.APIAddr, "as imgcdn serve --api")
	flag.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "as imgcdn serve --http")
	flag.StringVar(&cfg.HTTPSAddr, "https", cfg.HTTPSAddr, "as imgcdn serve --https")
	flag.StringVar(&cfg.Edge.Server, "edge-server", cfg.Edge.Server, "as imgcdn serve --edge-server")
	flag.Int64Var(&cfg.Edge.CacheMemBytes, "cache-mem", cfg.Edge.CacheMemBytes, "as imgcdn serve --cache-mem (0: every hit from the disk tier)")
	contention := flag.Int("contention", 0, "when > 0, also sample mutex contention and blocking (1 in N events) for /debug/pprof/mutex and /debug/pprof/block")
	flag.Parse()
	if err := sysmon.Reexec(); err != nil { // as imgcdn serve does
		return err
	}
	if *contention > 0 {
		runtime.SetMutexProfileFraction(*contention)
		runtime.SetBlockProfileRate(*contention)
	}
	cfg.RootAccessKey = os.Getenv("IMGCDN_ROOT_ACCESS_KEY")
	cfg.RootSecretKey = os.Getenv("IMGCDN_ROOT_SECRET_KEY")

	ln, err := net.Listen("tcp", *pprofAddr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ps := &http.Server{Handler: mux}
	go func() {
		if err := ps.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "pprofserve: pprof listener:", err)
		}
	}()
	defer ps.Close()

	a, err := app.New(cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return a.Run(ctx)
}
