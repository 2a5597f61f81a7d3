package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A server's peak RSS during one run is its VmHWM ("high water mark") from
// /proc/<pid>/status after the run, with the mark reset to the current RSS before the run by
// writing 5 to /proc/<pid>/clear_refs (proc(5), Linux 4.0 and later). Where the reset is refused
// (another user's process), the peak is the largest VmRSS sampled during the run instead; the
// run's record says which (peakFromHWM). CPU time is utime + stime from /proc/<pid>/stat
// (fields 14 and 15, all threads, in USER_HZ = 100 ticks per second).

// clockTicks is USER_HZ, fixed at 100 by the kernel ABI on every architecture Go supports.
const clockTicks = 100

// serverProc reads one server process's memory and CPU under dir (normally /proc).
type serverProc struct {
	dir string
	pid int
}

// resetPeak asks the kernel to restart VmHWM from the current RSS.
func (p serverProc) resetPeak() error {
	return os.WriteFile(filepath.Join(p.dir, strconv.Itoa(p.pid), "clear_refs"), []byte("5"), 0)
}

// status returns VmRSS and VmHWM in KiB.
func (p serverProc) status() (rss, hwm int64, err error) {
	b, err := os.ReadFile(filepath.Join(p.dir, strconv.Itoa(p.pid), "status"))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, val, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		f := strings.Fields(val)
		if len(f) != 2 || f[1] != "kB" {
			return 0, 0, fmt.Errorf("%s: unexpected %q", name, val)
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", name, err)
		}
		if name == "VmRSS" {
			rss = n
		} else {
			hwm = n
		}
	}
	if rss == 0 || hwm == 0 {
		return 0, 0, fmt.Errorf("no VmRSS/VmHWM in /proc/%d/status", p.pid)
	}
	return rss, hwm, nil
}

// cpu returns the process's user + system CPU seconds so far. The command (field 2) is in
// parentheses and may hold spaces, so fields are counted from the last ')'.
func (p serverProc) cpu() (float64, error) {
	b, err := os.ReadFile(filepath.Join(p.dir, strconv.Itoa(p.pid), "stat"))
	if err != nil {
		return 0, err
	}
	line := string(b)
	end := strings.LastIndexByte(line, ')')
	if end < 0 {
		return 0, fmt.Errorf("malformed stat line %q", line)
	}
	f := strings.Fields(line[end+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("stat line has %d fields after the command", len(f))
	}
	var ticks int64
	for _, i := range []int{14 - 3, 15 - 3} { // f[0] is field 3
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("stat field %d: %w", i+3, err)
		}
		ticks += n
	}
	return float64(ticks) / clockTicks, nil
}
