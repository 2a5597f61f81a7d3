// Package accesslog writes CloudFront standard (legacy) access logs for the distributions
// whose Logging config is enabled (issue 6): the 33 tab-separated fields in CloudFront's
// order, behind "#Version: 1.0" and "#Fields:" lines, one directory per distribution under
// the data dir, rotated hourly and by size, gzip-compressed by default.
//
// A request never waits for the disk: records go through a bounded queue to one writer
// goroutine, and a record that finds the queue full is dropped and counted.
package accesslog

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Settings are a distribution's logging settings (its DistributionConfig.Logging).
type Settings struct {
	Enabled bool
	// IncludeCookies logs the Cookie header in cs(Cookie).
	IncludeCookies bool
	// Prefix starts the file names ("myprefix/" puts them in a subdirectory).
	Prefix string
}

// Logger writes access logs.
type Logger struct {
	cfg      Config
	log      *slog.Logger
	ch       chan Record
	reconf   chan struct{}
	quit     chan struct{}
	done     chan struct{}
	settings atomic.Pointer[map[string]Settings]
	once     sync.Once

	written, dropped, failed atomic.Int64

	// create opens a new log file; tests replace it (a slow or failing disk).
	create func(path string) (fileWriter, error)
}

// New starts a Logger; Close stops it.
func New(cfg Config) (*Logger, error) {
	return newLogger(cfg, createFile)
}

func newLogger(cfg Config, create func(string) (fileWriter, error)) (*Logger, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	l := &Logger{cfg: cfg, log: cfg.Logger, ch: make(chan Record, cfg.Buffer), reconf: make(chan struct{}, 1),
		quit: make(chan struct{}), done: make(chan struct{}), create: create}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	l.settings.Store(&map[string]Settings{})
	w := &writer{l: l, files: map[string]*logFile{}}
	go w.run()
	return l, nil
}

// Configure replaces every distribution's settings (the edge calls it with each state it
// loads); the files of distributions no longer logged are closed.
func (l *Logger) Configure(s map[string]Settings) {
	m := make(map[string]Settings, len(s))
	for id, v := range s {
		if v.Enabled {
			m[id] = v
		}
	}
	l.settings.Store(&m)
	select {
	case l.reconf <- struct{}{}:
	default: // a reconfiguration is already pending; it reads the latest settings
	}
}

// Enabled reports whether distribution dist is logged.
func (l *Logger) Enabled(dist string) bool {
	_, ok := (*l.settings.Load())[dist]
	return ok
}

// LogRequest queues the record of a response of distribution dist (whose domain name is
// domain), if its logging is enabled. It never blocks.
func (l *Logger) LogRequest(r *http.Request, dist, domain string, res Response) {
	s, ok := (*l.settings.Load())[dist]
	if !ok {
		return
	}
	l.Log(NewRecord(r, dist, domain, l.cfg.Location, s.IncludeCookies, res))
}

// Log queues rec, or drops and counts it when the queue is full or the Logger closed.
func (l *Logger) Log(rec Record) {
	select {
	case <-l.quit:
		l.dropped.Add(1)
		return
	default:
	}
	select {
	case l.ch <- rec:
	default:
		l.dropped.Add(1)
	}
}

// Written is how many records were written, Dropped how many found the queue full (or the
// Logger closed), Failed how many files could not be opened, written or closed (each may
// lose the records buffered for that file).
func (l *Logger) Written() int64 { return l.written.Load() }
func (l *Logger) Dropped() int64 { return l.dropped.Load() }
func (l *Logger) Failed() int64  { return l.failed.Load() }

// Close writes what is queued, closes the files and stops the writer. Safe to call more than
// once.
func (l *Logger) Close() error {
	l.once.Do(func() { close(l.quit) })
	<-l.done
	return nil
}

func (l *Logger) now() time.Time {
	if l.cfg.Now != nil {
		return l.cfg.Now()
	}
	return time.Now()
}
