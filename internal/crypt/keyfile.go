package crypt

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// LoadOrCreateMasterKey reads the master key from path, a file of exactly 32 raw random bytes,
// creating it first if it does not exist (the parent directory is created 0700 if missing).
//
// A new file is written to a temporary file (mode 0600) in the same directory, fsynced, and
// then published under path with a hard link, which unlike rename never replaces an existing
// file: when two processes start on a fresh data dir at once, exactly one key wins and both
// use it, instead of one process encrypting objects under a key the other overwrote. Where the
// file system has no hard links it falls back to rename. The directory is fsynced so the key
// survives a crash that the first encrypted objects survive.
//
// An existing file is refused when group or others have any permission on it
// ([ErrKeyFilePermissions]) or when it does not hold exactly 32 bytes ([ErrInvalidKey]); the
// messages say how to fix it. The key itself never appears in an error.
func LoadOrCreateMasterKey(path string) (*MasterKey, error) {
	m, err := loadMasterKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return m, err
	}
	if err := createMasterKeyFile(path); err != nil {
		return nil, err
	}
	return loadMasterKey(path)
}

// loadMasterKey reads an existing key file; the error wraps fs.ErrNotExist when it is absent.
func loadMasterKey(path string) (*MasterKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("crypt: opening master key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("crypt: master key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: master key file %s is not a regular file", ErrInvalidKey, path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o, readable beyond its owner; run `chmod 600 %s` (and consider the key exposed if others could read it)",
			ErrKeyFilePermissions, path, perm, path)
	}
	// Read one byte more than a key so an over-long file is reported, not silently cut.
	buf := make([]byte, KeySize+1)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("crypt: reading master key file %s: %w", path, err)
	}
	defer clear(buf)
	if n != KeySize {
		what := fmt.Sprintf("%d bytes", n)
		if n > KeySize {
			what = "more than 32 bytes"
		}
		return nil, fmt.Errorf("%w: master key file %s holds %s; it must hold exactly %d raw random bytes (base64 text belongs in IMGCDN_MASTER_KEY, not in the file)",
			ErrInvalidKey, path, what, KeySize)
	}
	return MasterKeyFromBytes(buf[:KeySize])
}

// createMasterKeyFile writes a fresh random key at path unless a file is already there.
func createMasterKeyFile(path string) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("crypt: creating master key directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".master-key-*.tmp") // created 0600
	if err != nil {
		return fmt.Errorf("crypt: creating master key file: %w", err)
	}
	tmpName := tmp.Name()
	defer func() {
		tmp.Close()
		os.Remove(tmpName) // after a link the key stays reachable under path
	}()
	var key [KeySize]byte
	defer clear(key[:])
	if err := randomBytes(key[:]); err != nil {
		return err
	}
	if _, err := tmp.Write(key[:]); err != nil {
		return fmt.Errorf("crypt: writing master key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("crypt: syncing master key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("crypt: closing master key file: %w", err)
	}
	if err := publish(tmpName, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// publish makes tmp visible as path without replacing a file another process created first.
func publish(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil, errors.Is(err, fs.ErrExist):
		return nil // ErrExist: another process won the race; its key is the one loaded
	case errors.Is(err, errors.ErrUnsupported), errors.Is(err, fs.ErrPermission):
		// No hard links here (some FUSE and network file systems). Check-then-rename leaves a
		// tiny race between two first starts, acceptable where links are unavailable.
		if _, statErr := os.Lstat(path); statErr == nil {
			return nil
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("crypt: publishing master key file: %w", err)
		}
		return nil
	default:
		return fmt.Errorf("crypt: publishing master key file: %w", err)
	}
}

// syncDir fsyncs a directory so a new entry in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("crypt: syncing master key directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("crypt: syncing master key directory: %w", err)
	}
	return nil
}
