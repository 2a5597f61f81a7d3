package accesslog

import (
	"errors"
	"log/slog"
	"time"
)

// Config configures a Logger.
type Config struct {
	// Dir is where logs go: <Dir>/<distribution id>/<Prefix><distribution id>.<YYYY-MM-DD-HH>.<unique>.gz,
	// the names CloudFront gives its standard log files. Required.
	Dir string
	// Location is the x-edge-location field, the node's POP (LOC1-C1).
	Location string
	// Buffer is how many records may wait for the writer. A request never waits: when the
	// buffer is full (the disk is slower than the traffic) the record is dropped and counted
	// (Dropped). Default 8192.
	Buffer int
	// MaxFileBytes rotates a file once this many bytes (before compression) were written to
	// it; files also rotate every hour (UTC), as the hour is in their name. Default 128 MiB.
	MaxFileBytes int64
	// Gzip compresses files, as CloudFront delivers them (.gz). Default true.
	Gzip bool
	// Logger receives write errors; nil discards them.
	Logger *slog.Logger
	// Now returns the current time, for closing files whose hour has passed; nil means
	// time.Now. Records carry their own time.
	Now func() time.Time
}

// NewDefaultConfig returns the defaults; Dir is still required.
func NewDefaultConfig() Config {
	return Config{Location: "LOC1-C1", Buffer: 8192, MaxFileBytes: 128 << 20, Gzip: true}
}

// Validate reports a Config that cannot work.
func (c Config) Validate() error {
	if c.Dir == "" {
		return errors.New("accesslog: Config.Dir is required")
	}
	if c.Buffer <= 0 || c.MaxFileBytes <= 0 {
		return errors.New("accesslog: Config.Buffer and Config.MaxFileBytes must be positive")
	}
	return nil
}
