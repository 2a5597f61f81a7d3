// Command vipsserve is imgcdn's image engine (internal/imaging/vips) behind a bare HTTP handler,
// for bench/run-image.sh: GET /cdn-cgi/image/<options>/<path> fetches http://<origin><path>,
// transforms it with the same Config and libvips settings the edge uses, and answers the result.
// No cache, no distribution, no edge: the difference between its figures and the edge's is what
// the edge adds around a transform, and the difference between its figures and the libvips floor
// is what the engine adds around libvips.
//
//	vipsserve --listen 127.0.0.1:8081 --origin 127.0.0.1:8080
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"

	"github.com/imgcdn/imgcdn/internal/imaging"
	"github.com/imgcdn/imgcdn/internal/imaging/vips"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8081", "address to serve on")
	origin := flag.String("origin", "", "host:port of the origin the sources are fetched from")
	threads := flag.Int("vips-threads", 1, "libvips threads per pipeline (vips.StartConfig.Threads)")
	flag.Parse()
	if err := serve(*listen, *origin, *threads); err != nil {
		log.Fatal("vipsserve: ", err)
	}
}

// serve runs until the listener fails; the benchmark ends it with SIGTERM.
func serve(listen, origin string, threads int) error {
	if origin == "" {
		return errors.New("--origin is required")
	}
	if err := vips.Start(vips.StartConfig{Threads: threads}); err != nil {
		return err
	}
	defer vips.Shutdown()
	cfg := imaging.NewDefaultConfig()
	engine, err := vips.New(cfg)
	if err != nil {
		return err
	}
	h := &handler{engine: engine, origin: "http://" + origin, maxBytes: cfg.MaxSourceBytes, client: &http.Client{}}
	fmt.Fprintf(os.Stderr, "vipsserve: listening on %s, sources from %s\n", listen, origin)
	return http.ListenAndServe(listen, h)
}

type handler struct {
	engine   *vips.Engine
	origin   string
	maxBytes int64
	client   *http.Client
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	options, source, ok := imaging.SplitPath(r.URL.Path)
	if !ok {
		http.Error(w, "want "+imaging.PathPrefix+"<options>/<path>", http.StatusNotFound)
		return
	}
	opts, err := imaging.Parse(options)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	src, status, err := h.fetch(r, source)
	if err != nil {
		http.Error(w, err.Error(), status)
		return
	}
	info, err := h.engine.Probe(src)
	if err != nil {
		http.Error(w, err.Error(), statusOf(err))
		return
	}
	format := imaging.Negotiate(opts, r.Header.Get("Accept"), info.HasAlpha, info.Format)
	out, ctype, err := h.engine.Transform(r.Context(), src, opts, format)
	if err != nil {
		http.Error(w, err.Error(), statusOf(err))
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(out)
}

// fetch reads the source from the origin, at most MaxSourceBytes+1 bytes as the engine asks.
func (h *handler) fetch(r *http.Request, path string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, h.origin+path, nil)
	if err != nil {
		return nil, http.StatusBadRequest, err
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, http.StatusBadGateway, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode, fmt.Errorf("origin answered %s for %s", resp.Status, path)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, h.maxBytes+1))
	if err != nil {
		return nil, http.StatusBadGateway, err
	}
	if int64(len(b)) > h.maxBytes {
		return nil, http.StatusRequestEntityTooLarge, errors.New("source larger than MaxSourceBytes")
	}
	return b, 0, nil
}

// statusOf maps the engine's errors as the edge does (imaging's error documentation).
func statusOf(err error) int {
	switch {
	case errors.Is(err, imaging.ErrBadOption):
		return http.StatusBadRequest
	case errors.Is(err, imaging.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, imaging.ErrUnsupported):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, imaging.ErrCorrupt):
		return http.StatusUnprocessableEntity
	case errors.Is(err, imaging.ErrBusy), errors.Is(err, imaging.ErrTimeout):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
