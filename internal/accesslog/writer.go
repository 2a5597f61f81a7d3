package accesslog

import (
	"bufio"
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// fileWriter is an open log file.
type fileWriter interface {
	io.Writer
	Close() error
}

func createFile(path string) (fileWriter, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	// 0600: the lines hold viewers' addresses and, with IncludeCookies, their cookies.
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
}

// writer is the goroutine that owns the files.
type writer struct {
	l     *Logger
	files map[string]*logFile // by distribution
	line  []byte
}

// logFile is one open file: bufio over gzip (optional) over the file.
type logFile struct {
	fw    fileWriter
	gz    *gzip.Writer
	bw    *bufio.Writer
	hour  string // YYYY-MM-DD-HH of its records
	size  int64  // bytes written before compression
	dirty bool
}

// hourCheck is how often files whose hour has passed are closed while no records come.
const hourCheck = time.Minute

func (w *writer) run() {
	defer close(w.l.done)
	tick := time.NewTicker(hourCheck)
	defer tick.Stop()
	for {
		select {
		case rec := <-w.l.ch:
			w.write(&rec)
			if len(w.l.ch) == 0 {
				// Idle: hand the lines to the OS now rather than when a buffer fills. A
				// record queued just before its distribution's logging was turned off
				// reopened its file: close it again.
				w.flush()
				w.closeUnlogged()
			}
		case <-w.l.reconf:
			w.closeUnlogged()
		case <-tick.C:
			hour := w.l.now().UTC().Format("2006-01-02-15")
			for id, f := range w.files {
				if f.hour < hour {
					w.close(id)
				}
			}
		case <-w.l.quit:
			for {
				select {
				case rec := <-w.l.ch:
					w.write(&rec)
					continue
				default:
				}
				break
			}
			for id := range w.files {
				w.close(id)
			}
			return
		}
	}
}

func (w *writer) write(rec *Record) {
	hour := rec.Time.UTC().Format("2006-01-02-15")
	f := w.files[rec.Distribution]
	if f != nil && f.hour != hour {
		w.close(rec.Distribution)
		f = nil
	}
	if f == nil {
		var err error
		if f, err = w.open(rec.Distribution, hour); err != nil {
			w.l.failed.Add(1)
			w.l.log.Warn("access log: cannot open a log file", "distribution", rec.Distribution, "err", err)
			return
		}
		w.files[rec.Distribution] = f
	}
	w.line = appendLine(w.line[:0], rec)
	if _, err := f.bw.Write(w.line); err != nil {
		w.fail(rec.Distribution, err)
		return
	}
	f.size += int64(len(w.line))
	f.dirty = true
	w.l.written.Add(1)
	if f.size >= w.l.cfg.MaxFileBytes {
		w.close(rec.Distribution)
	}
}

// open starts a file for dist's records of hour, named as CloudFront names its files:
// <prefix><distribution id>.<YYYY-MM-DD-HH>.<unique id>.gz.
func (w *writer) open(dist, hour string) (*logFile, error) {
	s := (*w.l.settings.Load())[dist]
	path, err := w.path(dist, s.Prefix, hour)
	if err != nil {
		return nil, err
	}
	fw, err := w.l.create(path)
	if err != nil {
		return nil, err
	}
	f := &logFile{fw: fw, hour: hour}
	var dst io.Writer = fw
	if w.l.cfg.Gzip {
		f.gz = gzip.NewWriter(fw)
		dst = f.gz
	}
	f.bw = bufio.NewWriterSize(dst, 64<<10)
	f.bw.WriteString(header)
	f.size = int64(len(header))
	return f, nil
}

// errBadPrefix refuses a Prefix that would leave the distribution's directory.
var errBadPrefix = errors.New("the logging prefix leaves the distribution's log directory")

func (w *writer) path(dist, prefix, hour string) (string, error) {
	if dist == "" || strings.ContainsAny(dist, `/\`) || dist == "." || dist == ".." {
		return "", errors.New("invalid distribution id")
	}
	var id [4]byte
	_, _ = rand.Read(id[:])
	base := filepath.Join(w.l.cfg.Dir, dist)
	name := prefix + dist + "." + hour + "." + hex.EncodeToString(id[:])
	if w.l.cfg.Gzip {
		name += ".gz"
	}
	p := filepath.Join(base, filepath.FromSlash(name))
	if !strings.HasPrefix(p, base+string(filepath.Separator)) {
		return "", errBadPrefix
	}
	return p, nil
}

// closeUnlogged closes the files of distributions whose logging is off.
func (w *writer) closeUnlogged() {
	settings := *w.l.settings.Load()
	for id := range w.files {
		if _, ok := settings[id]; !ok {
			w.close(id)
		}
	}
}

func (w *writer) flush() {
	for id, f := range w.files {
		if !f.dirty {
			continue
		}
		err := f.bw.Flush()
		if err == nil && f.gz != nil {
			err = f.gz.Flush()
		}
		if err != nil {
			w.fail(id, err)
			continue
		}
		f.dirty = false
	}
}

// fail drops a file after a write error; the next record opens a new one.
func (w *writer) fail(dist string, err error) {
	w.l.failed.Add(1)
	w.l.log.Warn("access log: write failed; starting a new file", "distribution", dist, "err", err)
	if f := w.files[dist]; f != nil {
		_ = f.fw.Close()
		delete(w.files, dist)
	}
}

func (w *writer) close(dist string) {
	f := w.files[dist]
	if f == nil {
		return
	}
	delete(w.files, dist)
	err := f.bw.Flush()
	if f.gz != nil {
		err = errors.Join(err, f.gz.Close())
	}
	if err = errors.Join(err, f.fw.Close()); err != nil {
		w.l.failed.Add(1)
		w.l.log.Warn("access log: closing a log file", "distribution", dist, "err", err)
	}
}
