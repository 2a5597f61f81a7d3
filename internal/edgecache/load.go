package edgecache

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
)

// loaded is one entry file that passed its checks at Open.
type loaded struct {
	key      string
	meta     Meta
	seq      uint64
	bodyCRC  uint32
	fileSize int64
}

// load rebuilds the index. After a clean Close it reads the snapshot Close wrote (one file,
// however many entries). Otherwise, or if the snapshot is unreadable, it scans obj/: one open
// and one read of each file's last 4 KiB by a few workers, plus a CRC pass over every body when
// the last run crashed (unclean). The files stay the source of truth: the snapshot is used only
// when nothing can have changed them since it was written.
func (c *Cache) load(unclean bool) error {
	if err := os.RemoveAll(c.tmpDir); err != nil {
		return fmt.Errorf("edgecache: clear %s: %w", c.tmpDir, err)
	}
	if err := os.MkdirAll(c.tmpDir, 0o700); err != nil {
		return fmt.Errorf("edgecache: create %s: %w", c.tmpDir, err)
	}
	dirs := make(chan string, 256)
	for i := range 256 {
		d := filepath.Join(c.objDir, fmt.Sprintf("%02x", i))
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("edgecache: create %s: %w", d, err)
		}
		dirs <- d
	}
	close(dirs)
	snap := filepath.Join(c.cfg.Dir, snapshotName)
	if !unclean {
		if b, err := os.ReadFile(snap); err == nil {
			if err := c.loadSnapshot(b); err == nil {
				c.unlink(c.evictDisk())
				return nil
			}
			c.cfg.Logger.Warn("edgecache: snapshot unusable, scanning entry files", "path", snap)
			c.resetIndex()
		}
	}
	os.Remove(snap)
	return c.scan(dirs, unclean)
}

// scan rebuilds the index from the entry files in the directories read from dirs.
func (c *Cache) scan(dirs <-chan string, unclean bool) error {
	var (
		mu      sync.Mutex
		all     []loaded
		bad     []string
		maxSeq  uint64
		wg      sync.WaitGroup
		workers = max(2, runtime.GOMAXPROCS(0)*2)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for d := range dirs {
				names, err := readNames(d)
				if err != nil {
					c.cfg.Logger.Warn("edgecache: read cache directory", "dir", d, "err", err)
					continue
				}
				var good []loaded
				var drop []string
				var top uint64
				for _, name := range names {
					if seq, err := strconv.ParseUint(name, 16, 64); err == nil {
						top = max(top, seq)
					}
					p := filepath.Join(d, name)
					var l loaded
					l, buf, err = readEntry(p, name, unclean, buf)
					switch {
					case errors.Is(err, ErrCorrupt), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
						drop = append(drop, p)
						continue
					case err != nil:
						// Not provably torn (a transient I/O error): leave the file
						// for the next Open rather than delete good content.
						c.cfg.Logger.Warn("edgecache: skip unreadable entry file", "path", p, "err", err)
						continue
					}
					good = append(good, l)
				}
				mu.Lock()
				all = append(all, good...)
				bad = append(bad, drop...)
				maxSeq = max(maxSeq, top)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()

	// Oldest first, so the FIFO order matches the order of the original commits, and a key
	// found twice (a crash between a replacement's rename and the old file's unlink) keeps
	// its newest version.
	slices.SortFunc(all, func(a, b loaded) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	// Sequence numbers are never reused while any file may carry them.
	c.seq = maxSeq
	now := c.now()
	var expired []string
	for _, l := range all {
		if old := c.items[l.key]; old != nil {
			bad = append(bad, c.unindex(old))
		}
		if l.meta.dead(now) {
			expired = append(expired, c.objPath(l.seq))
			continue
		}
		it := &item{key: l.key, meta: l.meta, seq: l.seq, bodyCRC: l.bodyCRC}
		it.dn.size = l.fileSize
		c.install(it)
	}
	c.st.loaded = int64(len(c.items))
	c.st.dropped = int64(len(bad))
	c.st.expired = int64(len(expired))
	for _, p := range bad {
		c.cfg.Logger.Warn("edgecache: dropping torn or superseded entry file", "path", p)
	}
	c.unlink(bad)
	c.unlink(expired)
	c.unlink(c.evictDisk())
	return nil
}

// readNames lists a directory without sorting it.
func readNames(dir string) ([]string, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Readdirnames(-1)
}

// readEntry checks one entry file: its name is its sequence number, its size matches the
// tail, the tail's magic and the metadata CRC hold, and (verifyBody) the body matches its CRC.
func readEntry(path, name string, verifyBody bool, buf []byte) (loaded, []byte, error) {
	seq, err := strconv.ParseUint(name, 16, 64)
	if err != nil || len(name) != 16 {
		return loaded{}, buf, ErrCorrupt
	}
	f, err := os.Open(path)
	if err != nil {
		return loaded{}, buf, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return loaded{}, buf, err
	}
	size := fi.Size()
	if size < tailSize {
		return loaded{}, buf, ErrCorrupt
	}
	// One read usually covers the metadata block too.
	n := min(size, 4096)
	if cap(buf) < int(n) {
		buf = make([]byte, 4096)
	}
	b := buf[:n]
	if _, err := f.ReadAt(b, size-n); err != nil {
		return loaded{}, buf, err
	}
	t, err := decodeTail(b[n-tailSize:])
	if err != nil || t.fileSize() != size || t.seq != seq {
		return loaded{}, buf, ErrCorrupt
	}
	var mb []byte
	if need := int64(t.metaLen) + tailSize; need <= n {
		mb = b[n-need : n-tailSize]
	} else {
		mb = make([]byte, t.metaLen)
		if _, err := f.ReadAt(mb, t.bodyLen); err != nil {
			return loaded{}, buf, err
		}
	}
	if crc32.Checksum(mb, castagnoli) != t.metaCRC {
		return loaded{}, buf, ErrCorrupt
	}
	key, m, err := decodeMeta(mb, t.bodyLen)
	if err != nil {
		return loaded{}, buf, err
	}
	if verifyBody {
		crc, err := bodyCRC(f, t.bodyLen, &buf)
		if err != nil {
			return loaded{}, buf, err
		}
		if crc != t.bodyCRC {
			return loaded{}, buf, ErrCorrupt
		}
	}
	return loaded{key: key, meta: m, seq: seq, bodyCRC: t.bodyCRC, fileSize: size}, buf, nil
}

// bodyCRC computes the CRC-32C of the first n bytes of f, reusing *buf.
func bodyCRC(f *os.File, n int64, buf *[]byte) (uint32, error) {
	if cap(*buf) < 256<<10 {
		*buf = make([]byte, 256<<10)
	}
	b := (*buf)[:cap(*buf)]
	var crc uint32
	for off := int64(0); off < n; {
		chunk := b[:min(int64(len(b)), n-off)]
		if _, err := f.ReadAt(chunk, off); err != nil {
			return 0, err
		}
		crc = crc32.Update(crc, castagnoli, chunk)
		off += int64(len(chunk))
	}
	return crc, nil
}
