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
	s    *Store
	id   blobID
	f    *os.File
	path string // where the file is now
	// marked delivers the result of writing the pending marker, which runs while the body
	// streams and is fsynced, so that its WAL sync is off the request's critical path.
	marked chan error
	marker error // what marked delivered, once received
	waited bool
}

func (s *Store) createBlob() (*blobFile, error) {
	id := s.ids.blob()
	path := filepath.Join(s.cfg.Dir, "tmp", id.String())
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("disk: create temporary file: %w", err)
	}
	b := &blobFile{s: s, id: id, f: f, path: path, marked: make(chan error, 1)}
	go func() { b.marked <- s.db.Set(pendingKey(id), nil, s.wo) }()
	return b, nil
}

// waitMarker waits for the pending marker write and returns its error.
func (b *blobFile) waitMarker() error {
	if !b.waited {
		b.marker, b.waited = <-b.marked, true
	}
	return b.marker
}

func (b *blobFile) Write(p []byte) (int, error) {
	n, err := b.f.Write(p)
	if err != nil {
		err = fmt.Errorf("disk: write temporary file: %w", err)
	}
	return n, err
}

// publish makes the body durable under blobs/ without making it visible: fsync the file,
// wait for the synced pending marker (so that a crash from the rename on leaves a trace Open
// can clean), then rename and fsync the directory. The caller's commit deletes the marker.
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
	if err := b.waitMarker(); err != nil {
		return fmt.Errorf("disk: record pending blob: %w", err)
	}
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
	markerErr := b.waitMarker() // the marker must not outlive the delete below
	if err := os.Remove(b.path); err == nil || errors.Is(err, os.ErrNotExist) {
		if markerErr == nil {
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
