package disk

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// Config configures a disk Store. Start from NewDefaultConfig and set Dir.
type Config struct {
	// Dir is the data directory. The store writes only below it: <Dir>/meta holds the pebble
	// metadata database, <Dir>/blobs the object and part bodies, <Dir>/tmp bodies being
	// received. It is created if missing.
	Dir string
	// InlineMax is the largest body, in bytes, kept inside the metadata database instead of a
	// blob file. Inline bodies cost one WAL append that concurrent writers share (group commit)
	// instead of a file create + fsync + directory fsync, which is what makes small PUTs fast.
	// 0 inlines only empty bodies. Default 64 KiB; at most 1 MiB.
	InlineMax int64
	// MinPartSize is the smallest size of every part but the last of a multipart upload.
	// Default objstore.MinPartSize (5 MiB, as S3); tests lower it to keep uploads small.
	MinPartSize int64
	// NoSync skips every fsync. Only for tests and benchmarks that build large fixtures: a
	// crash then loses recent writes.
	NoSync bool
	// CacheSize is pebble's block cache in bytes. Default 64 MiB. Pebble counts its memtables
	// against its cache, so Open gives pebble CacheSize plus two memtables (the active one
	// and the retired one it keeps for reuse); the process may use that much more memory.
	CacheSize int64
	// MemTableSize is pebble's memtable size in bytes. Larger memtables mean fewer flushes
	// when small bodies are inlined. Default 32 MiB (pebble may hold a few at once).
	MemTableSize uint64
	// Logger receives pebble's informational messages at debug level. Nil discards them.
	Logger *slog.Logger
	// MasterKey wraps the per-object data keys of objects written with Encryption "AES256"
	// (SSE-S3). Nil refuses such writes with objstore.ErrEncryptionNotConfigured, and reads
	// of objects encrypted earlier fail the same way. Keep it: objects encrypted under a key
	// cannot be read without it.
	MasterKey *crypt.MasterKey
}

// Limits of Config fields.
const (
	DefaultInlineMax    = 64 << 10
	MaxInlineMax        = 1 << 20
	DefaultCacheSize    = 64 << 20
	DefaultMemTableSize = 32 << 20
)

// NewDefaultConfig returns the defaults documented on Config; Dir is left empty.
func NewDefaultConfig() Config {
	return Config{
		InlineMax:    DefaultInlineMax,
		MinPartSize:  objstore.MinPartSize,
		CacheSize:    DefaultCacheSize,
		MemTableSize: DefaultMemTableSize,
	}
}

// Validate reports the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.Dir == "":
		return errors.New("disk: Config.Dir is required")
	case c.InlineMax < 0 || c.InlineMax > MaxInlineMax:
		return fmt.Errorf("disk: Config.InlineMax %d out of range 0..%d", c.InlineMax, MaxInlineMax)
	case c.MinPartSize < 1 || c.MinPartSize > objstore.MaxPartSize:
		return fmt.Errorf("disk: Config.MinPartSize %d out of range 1..%d", c.MinPartSize, int64(objstore.MaxPartSize))
	case c.CacheSize < 1<<20:
		return fmt.Errorf("disk: Config.CacheSize %d is below 1 MiB", c.CacheSize)
	case c.MemTableSize < 1<<20 || c.MemTableSize > 1<<30:
		return fmt.Errorf("disk: Config.MemTableSize %d out of range 1 MiB..1 GiB", c.MemTableSize)
	}
	return nil
}
