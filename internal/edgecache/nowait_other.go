//go:build !linux

package edgecache

// LoadCached reads a disk entry into buf without waiting for the disk where the system can
// (nowait_linux.go); elsewhere it never does.
func (e *Entry) LoadCached(buf []byte) bool { return false }
