// Package disk is imgcdn's embedded object store: metadata in pebble, bodies inline in pebble
// (small ones) or in blob files (the rest), every acknowledged write fsynced, optionally
// encrypted at rest (SSE-S3, with internal/crypt).
//
// A write streams its body to <Dir>/tmp, fsyncs it, records a synced x/pending marker, renames
// the file into <Dir>/blobs and fsyncs the directory, and only then commits one pebble batch
// (with Sync) that sets the object record and deletes the marker. A crash before the commit
// leaves a marker, and Open removes that blob; the previous record, and so the previous body,
// stays readable until the commit. Blobs a commit stops referencing get an x/gc marker in the
// same batch and are unlinked after it (or by Open after a crash), once no open Object uses
// them. A version's body is dropped only by the commit that removes the version itself:
// overwriting in an unversioned bucket, replacing the "null" version, or deleting a version
// by id.
package disk

import (
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/bloom"

	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// Store is the disk implementation of objstore.Store. It is safe for concurrent use.
type Store struct {
	cfg  Config
	db   *pebble.DB
	wo   *pebble.WriteOptions
	ids  *idSource
	bufs sync.Pool // *[]byte of bufSize bytes, the only memory a streaming body uses
	// bufSize is at least InlineMax+1 so a whole inline body fits in one buffer, and at
	// least the sealed size of InlineMax bytes so an encrypted inline body does too.
	bufSize int
	// inlineBufs holds the copies of inline bodies that open Objects read from.
	inlineBufs inlineBufs
	// cryptBufs lends chunk buffers to every encrypting writer and decrypting reader.
	cryptBufs crypt.BufferPool

	// Lock striping: a commit holds only the stripes of what it reads and writes, never while
	// streaming a body, so concurrent writers reach pebble together and share its WAL fsync.
	// Acquisition order: upload, part, bucket, key.
	seed    maphash.Seed
	buckets [64]sync.RWMutex // R: writes into the bucket; W: create/delete bucket
	uploads [64]sync.RWMutex // R: UploadPart commit; W: Complete, Abort
	parts   [256]sync.Mutex  // one part number of one upload
	keys    [1024]sync.Mutex // the read-check-commit of one object key
	pins    pinSet

	// known mirrors the b/ records, so that the bucket check every operation makes (and the
	// bucket configurations every request reads) cost a map lookup without a lock instead of
	// a pebble read. It is copied on write, under knownMu and the bucket's stripe held
	// exclusively, after the change is durable.
	knownMu sync.Mutex
	known   atomic.Pointer[map[string]*bucketRecord]

	// life guards db: every operation holds it shared; Close takes it exclusively, so Close
	// waits for operations in flight and later ones get ErrClosed.
	life   sync.RWMutex
	closed bool
	// shut mirrors closed for reads of in-memory state only (GetBucketConfig), which need
	// not wait for Close and so skip the shared lock's contended counter.
	shut atomic.Bool
}

var _ objstore.Store = (*Store)(nil)

// Open opens or creates the store in cfg.Dir and removes what a crash left behind: files in
// tmp/, blobs with a pending marker (never committed) and blobs with a gc marker.
func Open(cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	cfg.Dir = dir
	if err := makeLayout(dir, !cfg.NoSync); err != nil {
		return nil, err
	}
	// Pebble charges every memtable it allocates to the block cache (Cache.Reserve), and keeps
	// one retired memtable for reuse with its charge: with a 32 MiB memtable and a 64 MiB
	// cache, the active and the retired memtable took the whole cache, every index, filter
	// and data block was read from the OS again (a 0.05% hit rate), and a GET over a set
	// larger than the memtable cost twice the CPU. Room for those two memtables comes on top,
	// so that CacheSize is the block cache proper (less only while flushes are queued).
	cache := pebble.NewCache(cacheCapacity(cfg))
	defer cache.Unref()
	opts := &pebble.Options{
		Cache:                       cache,
		MemTableSize:                cfg.MemTableSize,
		MemTableStopWritesThreshold: 4,
		L0CompactionThreshold:       4,
		L0StopWritesThreshold:       24,
		LBaseMaxBytes:               256 << 20,
		MaxConcurrentCompactions:    func() int { return 2 },
		FormatMajorVersion:          pebble.FormatNewest,
		Logger:                      pebbleLogger{cfg.Logger},
	}
	opts.Levels = make([]pebble.LevelOptions, 7)
	for i := range opts.Levels {
		// Bloom filters make HEAD/GET of an absent key (and every conditional PUT) skip
		// tables without reading them.
		opts.Levels[i] = pebble.LevelOptions{FilterPolicy: bloom.FilterPolicy(10), FilterType: pebble.TableFilter}
	}
	db, err := pebble.Open(filepath.Join(dir, "meta"), opts)
	if err != nil {
		return nil, fmt.Errorf("disk: open metadata: %w", err)
	}
	s := &Store{
		cfg:     cfg,
		db:      db,
		wo:      pebble.Sync,
		ids:     newIDSource(),
		bufSize: int(max(256<<10, cfg.InlineMax+1, crypt.CiphertextSize(cfg.InlineMax))),
		seed:    maphash.MakeSeed(),

		cryptBufs: crypt.NewBufferPool(),
	}
	if cfg.NoSync {
		s.wo = pebble.NoSync
	}
	s.pins.init()
	known, err := loadBuckets(db)
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	s.known.Store(&known)
	s.bufs.New = func() any { b := make([]byte, s.bufSize); return &b }
	if err := s.cleanOrphans(); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := s.migrate(); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return s, nil
}

// cacheCapacity is the size of pebble's cache: cfg.CacheSize of blocks plus the two
// memtables pebble charges to it in steady state.
func cacheCapacity(cfg Config) int64 {
	return cfg.CacheSize + 2*int64(cfg.MemTableSize)
}

// makeLayout creates Dir, meta/, tmp/ and the 256 blob directories, and fsyncs the parents
// so that a crash cannot lose a directory a committed blob lives in.
func makeLayout(dir string, sync bool) error {
	fresh := []string{dir, filepath.Join(dir, "blobs")}
	for _, d := range []string{filepath.Join(dir, "tmp"), filepath.Join(dir, "meta")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("disk: %w", err)
		}
	}
	for i := 0; i < 256; i++ {
		d := filepath.Join(dir, "blobs", fmt.Sprintf("%02x", i))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("disk: %w", err)
		}
	}
	if !sync {
		return nil
	}
	fresh = append(fresh, filepath.Dir(dir))
	for _, d := range fresh {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
}

// Close waits for operations in flight, then closes the metadata database; later calls get
// ErrClosed. A PUT streaming a slow body is in flight until its body ends, so a server stops
// its listeners (which fails those bodies) before closing the store. Objects still open keep
// reading their data; blobs they pin are unlinked by the next Open.
func (s *Store) Close() error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.shut.Store(true)
	return s.db.Close()
}

// begin enters an operation; end must follow when it returns nil.
func (s *Store) begin() error {
	s.life.RLock()
	if s.closed {
		s.life.RUnlock()
		return objstore.ErrClosed
	}
	return nil
}

func (s *Store) end() { s.life.RUnlock() }

func (s *Store) stripe(n int, parts ...string) int {
	var h maphash.Hash
	h.SetSeed(s.seed)
	for _, p := range parts {
		h.WriteString(p)
		h.WriteByte(0)
	}
	return int(h.Sum64() % uint64(n))
}

func (s *Store) bucketLock(b string) *sync.RWMutex  { return &s.buckets[s.stripe(len(s.buckets), b)] }
func (s *Store) uploadLock(id string) *sync.RWMutex { return &s.uploads[s.stripe(len(s.uploads), id)] }
func (s *Store) keyLock(b, k string) *sync.Mutex    { return &s.keys[s.stripe(len(s.keys), b, k)] }
func (s *Store) partLock(id string, n int) *sync.Mutex {
	return &s.parts[s.stripe(len(s.parts), id, strconv.Itoa(n))]
}

// get returns a copy of the value at key, or nil, false when absent.
func (s *Store) get(key []byte) ([]byte, bool, error) {
	v, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("disk: read metadata: %w", err)
	}
	out := append([]byte(nil), v...)
	return out, true, closer.Close()
}

func (s *Store) commit(b *pebble.Batch) error {
	if err := b.Commit(s.wo); err != nil {
		return fmt.Errorf("disk: commit metadata: %w", err)
	}
	return nil
}

// pebbleLogger sends pebble's chatter to slog at debug level, or nowhere.
type pebbleLogger struct{ l *slog.Logger }

func (p pebbleLogger) Infof(format string, args ...any) {
	if p.l != nil {
		p.l.Debug(fmt.Sprintf(format, args...), "component", "pebble")
	}
}

func (p pebbleLogger) Fatalf(format string, args ...any) {
	// pebble calls Fatalf on invariant violations and expects it not to return.
	panic(fmt.Sprintf("pebble: "+format, args...))
}
