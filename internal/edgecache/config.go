package edgecache

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Config configures a Cache. The zero value is not usable: Dir and MaxDiskBytes are required.
type Config struct {
	// Dir holds the disk tier (see the package comment for its layout). It is created if
	// missing. One Cache per Dir: Open fails with ErrLocked when another has it.
	Dir string
	// MaxDiskBytes bounds the disk tier: bodies plus their trailers, committed or being filled.
	// Fills in progress count as they grow, so a multi-GB fill evicts older entries as it goes.
	MaxDiskBytes int64
	// MaxMemBytes bounds the memory tier (bodies held in memory). 0 disables it.
	MaxMemBytes int64
	// MaxMemObjectBytes is the largest body the memory tier keeps; larger ones are served from
	// disk only. Default 1 MiB, and at most MaxMemBytes/8 so one object cannot fill the tier.
	MaxMemObjectBytes int64
	// MaxOpenFiles bounds the entry files kept open between hits, so a disk hit on a recently
	// read entry costs no open(2). Default 512; Go raises the process's soft RLIMIT_NOFILE to
	// the hard limit at start, and each reader in flight holds one more descriptor.
	MaxOpenFiles int
	// SyncCommits makes Commit fdatasync the entry before renaming it into place, so a power
	// loss cannot leave a committed entry with unwritten blocks. Off by default: a process
	// crash never needs it, and Open checks bodies after an unclean shutdown anyway.
	SyncCommits bool
	// Logger receives warnings (dropped files, I/O errors). Default slog.Default().
	Logger *slog.Logger
	// Now is the clock used to drop entries past StoredAt+TTL+Stale. Default time.Now.
	Now func() time.Time
}

// DefaultMaxMemObjectBytes is MaxMemObjectBytes when unset.
const DefaultMaxMemObjectBytes = 1 << 20

// DefaultMaxOpenFiles is MaxOpenFiles when unset.
const DefaultMaxOpenFiles = 512

// Validate checks the required fields and ranges.
func (c Config) Validate() error {
	if c.Dir == "" {
		return errors.New("edgecache: Config.Dir is required")
	}
	if c.MaxDiskBytes <= 0 {
		return fmt.Errorf("edgecache: Config.MaxDiskBytes must be > 0, got %d", c.MaxDiskBytes)
	}
	if c.MaxMemBytes < 0 || c.MaxMemObjectBytes < 0 {
		return errors.New("edgecache: Config.MaxMemBytes and MaxMemObjectBytes must be >= 0")
	}
	return nil
}

// withDefaults fills the optional fields.
func (c Config) withDefaults() Config {
	if c.MaxMemObjectBytes == 0 {
		c.MaxMemObjectBytes = DefaultMaxMemObjectBytes
	}
	if c.MaxMemBytes > 0 && c.MaxMemObjectBytes > c.MaxMemBytes/8 {
		c.MaxMemObjectBytes = c.MaxMemBytes / 8
	}
	if c.MaxOpenFiles <= 0 {
		c.MaxOpenFiles = DefaultMaxOpenFiles
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
