package disk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cockroachdb/pebble"
)

// blobFile is a body being written to <Dir>/tmp/<id>, then published into blobs/.
type blobFile struct {
	s         *Store
	id        blobID
	f         *os.File
	path      string // where the file is now
	published bool   // renamed into blobs/ with a pending marker
}

func (s *Store) createBlob() (*blobFile, error) {
	id := s.ids.blob()
	path := filepath.Join(s.cfg.Dir, "tmp", id.String())
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("disk: create temporary file: %w", err)
	}
	return &blobFile{s: s, id: id, f: f, path: path}, nil
}

func (b *blobFile) Write(p []byte) (int, error) {
	n, err := b.f.Write(p)
	if err != nil {
		err = fmt.Errorf("disk: write temporary file: %w", err)
	}
	return n, err
}

// publish makes the body durable under blobs/ without making it visible: fsync the file,
// write a synced pending marker (so a crash from here on leaves a trace Open can clean), then
// rename and fsync the directory. The caller's commit deletes the marker.
func (b *blobFile) publish() error {
	s := b.s
	if !s.cfg.NoSync {
		if err := b.f.Sync(); err != nil {
			return fmt.Errorf("disk: fsync body: %w", err)
		}
	}
	if err := b.f.Close(); err != nil {
		return fmt.Errorf("disk: close body: %w", err)
	}
	b.f = nil
	if err := s.db.Set(pendingKey(b.id), nil, s.wo); err != nil {
		return fmt.Errorf("disk: record pending blob: %w", err)
	}
	b.published = true
	dst := blobPath(s.cfg.Dir, b.id)
	if err := os.Rename(b.path, dst); err != nil {
		return fmt.Errorf("disk: publish body: %w", err)
	}
	b.path = dst
	if !s.cfg.NoSync {
		if err := syncDir(filepath.Dir(dst)); err != nil {
			return err
		}
	}
	return nil
}

// discard removes a body that will not be committed, and its pending marker. A failure here
// is harmless: tmp/ is wiped and pending blobs are removed by the next Open.
func (b *blobFile) discard() {
	if b.f != nil {
		b.f.Close()
		b.f = nil
	}
	if err := os.Remove(b.path); err == nil || errors.Is(err, os.ErrNotExist) {
		if b.published {
			b.s.db.Delete(pendingKey(b.id), pebble.NoSync)
		}
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("disk: open directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("disk: fsync directory %s: %w", dir, err)
	}
	return nil
}
