package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// The libvips floor is `vips thumbnail` (libvips' own shrink-on-load resize, the fastest path it
// has) on the same files, encoding with the same settings as internal/imaging/vips/export.go:
// progressive optimised JPEG, WebP effort 4, AVIF effort 1, metadata stripped, one quality for
// all. It runs in two ways:
//
//   - per process (--batch 0): `vips thumbnail SRC OUT[opts] W --height 10000000`, one process per
//     transform, so every transform pays libvips' start (module loading, about a few tens of ms);
//   - batched (--batch K): `vipsthumbnail -s Wx -o OUT[opts] SRC SRC ...` with the source K times,
//     so K transforms share one start. Its latency is the batch's time over K (no tail).
//
// The batched figure is the strict floor, the one a server can at best approach; the per-process
// one is what the brief's command costs. Each client is one process (or batch) at a time.

// floorEncoding is the output file extension and the save options for format at quality q:
// the same encoder settings as the edge's (internal/imaging/vips export.go).
func floorEncoding(format string, q int) (ext, opts string, err error) {
	qs := strconv.Itoa(q)
	switch format {
	case "jpeg":
		return ".jpg", "[Q=" + qs + ",optimize_coding,interlace,strip]", nil
	case "webp":
		return ".webp", "[Q=" + qs + ",effort=4,strip]", nil
	case "avif":
		return ".avif", "[Q=" + qs + ",effort=1,strip]", nil
	}
	return "", "", fmt.Errorf("format %q: want jpeg, webp or avif", format)
}

// floorCommand is the argv of one client's next process and the output file it writes.
func floorCommand(vipsDir, src, outBase string, c cellKey, q, batch int) ([]string, string, error) {
	ext, opts, err := floorEncoding(c.format, q)
	if err != nil {
		return nil, "", err
	}
	if batch <= 0 {
		return []string{filepath.Join(vipsDir, "vips"), "thumbnail", src, outBase + ext + opts,
			strconv.Itoa(c.width), "--height", "10000000"}, outBase + ext, nil
	}
	argv := []string{filepath.Join(vipsDir, "vipsthumbnail"), "-s", strconv.Itoa(c.width) + "x", "-o", outBase + ext + opts}
	for i := 0; i < batch; i++ {
		argv = append(argv, src)
	}
	return argv, outBase + ext, nil
}

// runFloor measures the libvips floor for one cell and prints its record.
func runFloor(args []string) error {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	var l loadFlags
	l.register(fs)
	dir := fs.String("dir", "", "directory holding the sources (written by gen)")
	work := fs.String("work", os.TempDir(), "directory for the outputs")
	vipsDir := fs.String("vips-dir", "/usr/bin", "directory of the vips and vipsthumbnail commands")
	quality := fs.Int("quality", 80, "encoder quality, as asked of the servers")
	batch := fs.Int("batch", 0, "0: one `vips thumbnail` process per transform; K: `vipsthumbnail` with the source K times")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := l.cell()
	if err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("need --dir")
	}
	src := filepath.Join(*dir, c.source)
	per := max(*batch, 1)
	var (
		mu      sync.Mutex
		peakKiB int64
		cpu     time.Duration
	)
	clientOut := make([]string, l.clients)
	for i := range clientOut {
		clientOut[i] = filepath.Join(*work, fmt.Sprintf("floor-%d-%d", os.Getpid(), i))
	}
	do := func(out string, batch int) attempt {
		argv, written, err := floorCommand(*vipsDir, src, out, c, *quality, batch)
		if err != nil {
			return attempt{err: err}
		}
		t0 := time.Now()
		cmd := exec.Command(argv[0], argv[1:]...)
		msg, err := cmd.CombinedOutput()
		lat := time.Since(t0)
		if err != nil {
			return attempt{err: fmt.Errorf("%s %s: %w: %s", argv[0], argv[1], err, msg)}
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			mu.Lock()
			peakKiB = max(peakKiB, ru.Maxrss) // KiB on Linux (getrusage(2))
			cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			mu.Unlock()
		}
		body, err := os.ReadFile(written)
		if err == nil {
			err = check(body, c)
		}
		if err != nil {
			return attempt{err: err}
		}
		return attempt{latency: lat / time.Duration(max(batch, 1)), outBytes: len(body)}
	}
	// A first transform outside the measurement warms the page cache with the source and checks
	// the command works.
	if a := do(clientOut[0]+"-warm", min(*batch, 1)); a.err != nil {
		return a.err
	}
	mu.Lock()
	peakKiB, cpu = 0, 0
	mu.Unlock()
	var all []attempt
	batches, wall := loop(l.clients, l.duration, (l.min+per-1)/per, func(client int, _ int64) attempt {
		return do(clientOut[client], *batch)
	})
	for _, b := range batches { // a batch of K is K transforms of the same mean latency
		for i := 0; i < per; i++ {
			all = append(all, b)
		}
	}
	r := record{server: l.server, cellKey: c, clients: l.clients, peakFrom: "rusage"}
	if err := summarise(&r, all, wall); err != nil && r.n == 0 {
		return err
	}
	r.peakKiB, r.cpu = peakKiB, cpu.Seconds()
	for _, o := range clientOut {
		ext, _, _ := floorEncoding(c.format, *quality)
		os.Remove(o + ext)
		os.Remove(o + "-warm" + ext)
	}
	return r.write(os.Stdout)
}
