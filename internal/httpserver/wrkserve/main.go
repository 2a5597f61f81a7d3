// Command wrkserve serves one in-memory body with this package's server (goroutines, or
// event loops answering inline) or net/http, for comparing them under wrk (issue 6):
//
//	go run ./internal/httpserver/wrkserve -server loop -addr 127.0.0.1:18080 &
//	wrk -t2 -c64 -d10s http://127.0.0.1:18080/small.png
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"

	"github.com/imgcdn/imgcdn/internal/httpserver"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18080", "listen address")
	which := flag.String("server", "fast", "loop (internal/httpserver event loops), fast (internal/httpserver) or stdlib (net/http)")
	size := flag.Int("size", 32369, "body size in bytes (the issue 6 small.png is 32369)")
	flag.Parse()
	body := bytes.Repeat([]byte{0x89}, *size)
	length := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Content-Type", "image/png")
		hdr.Set("Content-Length", length)
		hdr.Set("Cache-Control", "max-age=86400")
		hdr.Set("X-Cache", "Hit from cloudfront")
		_, _ = w.Write(body)
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrkserve: %s server on %s, %d-byte body\n", *which, ln.Addr(), len(body))
	switch *which {
	case "loop":
		// As internal/app does: one loop per P, and one P more for the goroutines while
		// each loop is busy.
		var mu sync.Mutex
		hold := func(delta int) {
			mu.Lock()
			defer mu.Unlock()
			runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + delta)
		}
		err = (&httpserver.Server{Handler: inline{h}, HoldProcs: hold}).ServeLoop(ln, runtime.GOMAXPROCS(0))
	case "fast":
		err = (&httpserver.Server{Handler: h}).Serve(ln)
	case "stdlib":
		err = (&http.Server{Handler: h}).Serve(ln)
	default:
		err = fmt.Errorf("-server %q: want loop, fast or stdlib", *which)
	}
	log.Fatal(err)
}

// inline answers every request on the event loop: the handler only writes from memory.
type inline struct{ http.HandlerFunc }

func (h inline) ServeInline(w http.ResponseWriter, r *http.Request) bool {
	h.HandlerFunc(w, r)
	return true
}
