package vips

// #cgo pkg-config: vips
// #include <stdlib.h>
// #include <vips/vips.h>
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"unsafe"

	govips "github.com/davidbyttow/govips/v2/vips"
)

// StartConfig is how libvips runs process-wide.
type StartConfig struct {
	// Threads is libvips' worker threads per image pipeline. Default 1: the edge runs one
	// transform per core (imaging.Config.Workers) and per-image threads would only contend.
	Threads int
	// LogWarnings lets libvips warnings through to govips' default logger (stderr). Default
	// off: warnings about damaged inputs are expected at an edge and the transform's error says
	// what failed.
	LogWarnings bool
}

// lifecycle is the one piece of package state: libvips itself is process-wide.
var lifecycle struct {
	sync.Mutex
	started, stopped bool
}

// Start initialises libvips for the process: operation cache off (every transform is a new
// image, a cache only holds memory), the given thread count, and every loader blocked except the
// five accepted formats'. A second Start is a no-op; Start after Shutdown is an error.
func Start(c StartConfig) error {
	lifecycle.Lock()
	defer lifecycle.Unlock()
	if lifecycle.stopped {
		return errors.New("vips: libvips cannot be restarted after Shutdown")
	}
	if lifecycle.started {
		return nil
	}
	if c.Threads <= 0 {
		c.Threads = 1
	}
	level := govips.LogLevelError
	if c.LogWarnings {
		level = govips.LogLevelWarning
	}
	govips.LoggingSettings(nil, level)
	govips.Startup(&govips.Config{ConcurrencyLevel: c.Threads, MaxCacheFiles: 0, MaxCacheMem: 0, MaxCacheSize: 0})
	blockUntrustedLoaders()
	lifecycle.started = true
	return nil
}

// Shutdown releases libvips at process exit. Engines must not be used afterwards.
func Shutdown() {
	lifecycle.Lock()
	defer lifecycle.Unlock()
	if lifecycle.started && !lifecycle.stopped {
		govips.Shutdown()
	}
	lifecycle.stopped = true
}

func running() bool {
	lifecycle.Lock()
	defer lifecycle.Unlock()
	return lifecycle.started && !lifecycle.stopped
}

// allowedLoaders are the libvips load classes left unblocked (libvips 8.14 names: the parent
// class of the file, buffer and source variants of each loader).
var allowedLoaders = []string{
	"VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadNsgif", "VipsForeignLoadWebp",
	"VipsForeignLoadHeif",
}

// blockUntrustedLoaders blocks every loader libvips marks untrusted (vips_block_untrusted_set,
// libvips 8.13), then every loader at all, then unblocks the five we accept: libvips' own
// is_a sniffing can never hand an input to a loader we did not choose.
func blockUntrustedLoaders() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.vips_block_untrusted_set(C.TRUE)
	setBlocked("VipsForeignLoad", true)
	for _, name := range allowedLoaders {
		setBlocked(name, false)
	}
}

func setBlocked(name string, blocked bool) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	state := C.gboolean(C.FALSE)
	if blocked {
		state = C.TRUE
	}
	C.vips_operation_block_set(cs, state)
}
