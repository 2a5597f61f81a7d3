package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// loadFlags are the flags of `imagetool load` and `imagetool floor` that describe the cell and
// the run.
type loadFlags struct {
	server, source, format string
	width, clients, min    int
	duration               time.Duration
}

func (l *loadFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.server, "server", "", "the server's name in the report")
	fs.StringVar(&l.source, "source", photoName, "source file name (as written by gen)")
	fs.IntVar(&l.width, "width", 300, "output width in pixels")
	fs.StringVar(&l.format, "format", "jpeg", "output format: jpeg, webp or avif")
	fs.IntVar(&l.clients, "clients", 1, "concurrent clients, each sending its next request when the last is answered")
	fs.DurationVar(&l.duration, "duration", 5*time.Second, "how long to run")
	fs.IntVar(&l.min, "min", 3, "run on past the duration until at least this many transforms")
}

func (l *loadFlags) cell() (cellKey, error) {
	switch l.format {
	case "jpeg", "webp", "avif":
	default:
		return cellKey{}, fmt.Errorf("format %q: want jpeg, webp or avif", l.format)
	}
	if l.server == "" || l.width <= 0 || l.clients <= 0 || l.duration <= 0 {
		return cellKey{}, errors.New("need --server, a positive --width, --clients and --duration")
	}
	return cellKey{l.source, l.width, l.format}, nil
}

// expandURL fills a URL template: {src} the source name, {w} the width, {f} the format
// (jpeg, webp, avif), {ext} its file extension (jpg, webp, avif) and {seq} a number unique to
// the request within the run, prefixed by the run's tag, so that no two requests of any run share
// a URL and no cache can answer one (the origin serves any /k/<anything>/<name> as <name>).
func expandURL(tmpl string, c cellKey, tag string, seq int64) string {
	ext := c.format
	if ext == "jpeg" {
		ext = "jpg"
	}
	return strings.NewReplacer("{src}", c.source, "{w}", strconv.Itoa(c.width), "{f}", c.format,
		"{ext}", ext, "{seq}", tag+"-"+strconv.FormatInt(seq, 10)).Replace(tmpl)
}

// runLoad measures a transforming HTTP server: each request a fresh URL, each answer checked
// (200, no cache hit, the asked format and width). It prints the run's record.
func runLoad(args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	var l loadFlags
	l.register(fs)
	tmpl := fs.String("url", "", "URL template ({src} {w} {f} {ext} {seq}; see expandURL)")
	host := fs.String("host", "", "Host header to send (the distribution's domain)")
	pid := fs.Int("pid", 0, "the server's process id, for its peak RSS and CPU")
	tag := fs.String("tag", strconv.FormatInt(time.Now().UnixNano(), 36), "prefix of {seq}, unique per run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := l.cell()
	if err != nil {
		return err
	}
	if *tmpl == "" || *pid <= 0 {
		return errors.New("need --url and --pid")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: l.clients, DisableCompression: true}}
	get := func(_ int, seq int64) attempt {
		return fetch(client, expandURL(*tmpl, c, *tag, seq), *host, c)
	}
	// One request first, outside the measurement: it opens a connection and makes sure the
	// server answers this cell correctly before its time is counted.
	if a := get(0, -1); a.err != nil {
		return fmt.Errorf("%s %s->%d %s: %w", l.server, c.source, c.width, c.format, a.err)
	}
	r := record{server: l.server, cellKey: c, clients: l.clients}
	proc := serverProc{dir: "/proc", pid: *pid}
	all, wall, err := watch(proc, &r, func() ([]attempt, time.Duration) { return loop(l.clients, l.duration, l.min, get) })
	if err != nil {
		return err
	}
	if err := summarise(&r, all, wall); err != nil {
		if r.n == 0 {
			return err
		}
		fmt.Fprintf(os.Stderr, "imagetool: %s: %d of %d requests failed, the first: %v\n", l.server, r.errors, len(all), err)
	}
	return r.write(os.Stdout)
}

// fetch sends one GET and checks the answer.
func fetch(client *http.Client, url, host string, c cellKey) attempt {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		return attempt{err: err}
	}
	if host != "" {
		req.Host = host
	}
	req.Header.Set("Accept", "image/avif,image/webp,image/*")
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return attempt{err: err}
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	lat := time.Since(t0)
	switch {
	case err != nil:
		return attempt{err: err}
	case resp.StatusCode != http.StatusOK:
		return attempt{err: fmt.Errorf("%s: %s: %.200s", url, resp.Status, body)}
	case strings.HasPrefix(strings.ToLower(resp.Header.Get("X-Cache")), "hit"):
		return attempt{err: fmt.Errorf("%s: answered from the cache (%s): not a transform", url, resp.Header.Get("X-Cache"))}
	}
	if err := check(body, c); err != nil {
		return attempt{err: fmt.Errorf("%s: %w", url, err)}
	}
	return attempt{latency: lat, outBytes: len(body)}
}

// watch runs measure while tracking the server's peak RSS and CPU into r.
func watch(p serverProc, r *record, measure func() ([]attempt, time.Duration)) ([]attempt, time.Duration, error) {
	cpu0, err := p.cpu()
	if err != nil {
		return nil, 0, err
	}
	r.peakFrom = "hwm"
	if p.resetPeak() != nil {
		r.peakFrom = "sampled"
	}
	stop := make(chan struct{})
	var sampled int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if rss, _, err := p.status(); err == nil && rss > sampled {
				sampled = rss
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	all, wall := measure()
	close(stop)
	wg.Wait()
	cpu1, err := p.cpu()
	if err != nil {
		return nil, 0, err
	}
	_, hwm, err := p.status()
	if err != nil {
		return nil, 0, err
	}
	r.cpu = cpu1 - cpu0
	r.peakKiB = sampled
	if r.peakFrom == "hwm" {
		r.peakKiB = max(hwm, sampled)
	}
	return all, wall, nil
}
