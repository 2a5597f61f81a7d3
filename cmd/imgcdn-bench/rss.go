package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memStatus is the part of /proc/<pid>/status the bench reports (proc(5)): resident set size
// now and its high-water mark over the process's life, in bytes.
type memStatus struct {
	RSS, HWM int64
}

// parseStatus reads VmRSS and VmHWM (given in kB, meaning KiB) from a /proc/<pid>/status body.
func parseStatus(r io.Reader) (memStatus, error) {
	var m memStatus
	var haveRSS, haveHWM bool
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		f := strings.Fields(val)
		if len(f) != 2 || f[1] != "kB" {
			return memStatus{}, fmt.Errorf("unexpected %s line %q", name, sc.Text())
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return memStatus{}, fmt.Errorf("%s: %w", name, err)
		}
		if name == "VmRSS" {
			m.RSS, haveRSS = kb<<10, true
		} else {
			m.HWM, haveHWM = kb<<10, true
		}
	}
	if err := sc.Err(); err != nil {
		return memStatus{}, err
	}
	if !haveRSS || !haveHWM {
		return memStatus{}, fmt.Errorf("VmRSS or VmHWM missing (kernel thread or exited process?)")
	}
	return m, nil
}

// readStatus samples the memory status of process pid.
func readStatus(pid int) (memStatus, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memStatus{}, err
	}
	defer f.Close()
	return parseStatus(f)
}

// rssSampler polls a process's RSS at a fixed interval and keeps the peak, so that a transient
// peak between phases is not missed the way a before/after reading would miss it.
type rssSampler struct {
	pid      int
	interval time.Duration

	mu      sync.Mutex
	peak    int64
	samples int
	err     error
}

// Run samples until ctx is done.
func (s *rssSampler) Run(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		s.sample()
		select {
		case <-ctx.Done():
			s.sample()
			return
		case <-t.C:
		}
	}
}

func (s *rssSampler) sample() {
	m, err := readStatus(s.pid)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.err = err
		return
	}
	s.samples++
	s.peak = max(s.peak, m.RSS)
}

// Peak returns the largest RSS sampled, how many samples were taken and the last sampling error.
func (s *rssSampler) Peak() (int64, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.samples, s.err
}
