package edgecache

import (
	"os"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TestLoadCachedReadsOnlyFromThePageCache: a disk entry whose body the page cache holds is
// read into the caller's buffer and served from it as borrowed bytes; a memory entry, a fill,
// a body larger than the buffer and a body the kernel would have to read from the device are
// left as they were.
func TestLoadCachedReadsOnlyFromThePageCache(t *testing.T) {
	c := openCache(t, testConfig(t, t.TempDir())) // no memory tier
	want := body(40<<10, 3)
	put(t, c, "k", testMeta("D", "/k"), want)
	buf := make([]byte, 64<<10)

	e := c.Lookup("k")
	defer e.Release()
	if e.Bytes() != nil || e.Borrowed() {
		t.Fatal("without a memory tier the entry is in memory")
	}
	if e.LoadCached(make([]byte, 16<<10)) || e.Bytes() != nil {
		t.Fatal("a body larger than the buffer was loaded")
	}
	if !e.LoadCached(buf) || !e.Borrowed() {
		t.Fatal("a disk entry in the page cache was not loaded")
	}
	wantBody(t, e.Bytes(), want)
	if &e.Bytes()[0] != &buf[0] {
		t.Fatal("the body is not in the caller's buffer")
	}
	if got, err := readAll(t, e, 100, 50); err != nil {
		t.Fatal(err)
	} else {
		wantBody(t, got, want[100:150])
	}

	// A fill in progress, and a memory entry, are not loaded.
	f, _, started := c.Begin("f", testMeta("D", "/f"))
	if !started {
		t.Fatal("Begin did not start a fill")
	}
	if _, err := f.Write(want[:1000]); err != nil {
		t.Fatal(err)
	}
	fe := c.Lookup("f")
	if fe == nil || !fe.Filling() || fe.LoadCached(buf) {
		t.Fatal("an entry following a fill was loaded")
	}
	fe.Release()
	f.Abort()
	mc := openCache(t, memConfig(t))
	put(t, mc, "m", testMeta("D", "/m"), want)
	me := mc.Lookup("m")
	defer me.Release()
	if me.Bytes() == nil || me.LoadCached(buf) || me.Borrowed() {
		t.Fatal("a memory entry was loaded into the buffer")
	}

	// Cold, last (the file system may not let it be tested): the file's pages are written back
	// and dropped, so a read would wait for the device.
	cold := c.Lookup("k")
	defer cold.Release()
	fd := int(cold.h.f.Fd())
	if err := unix.Fdatasync(fd); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fadvise(fd, 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
	if n := residentPages(t, cold.h.f, len(want)); n > 0 {
		t.Skipf("the file system kept %d pages after FADV_DONTNEED: no cold file to test with", n)
	}
	if cold.LoadCached(buf) || cold.Bytes() != nil || cold.Borrowed() {
		t.Fatal("a body not in the page cache was loaded without waiting")
	}
	got, err := readAll(t, cold, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	wantBody(t, got, want)
}

// residentPages counts the pages of f's first size bytes in the page cache (mincore(2)).
func residentPages(t *testing.T, f *os.File, size int) int {
	t.Helper()
	m, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	vec := make([]byte, (size+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		t.Fatal(e)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}
