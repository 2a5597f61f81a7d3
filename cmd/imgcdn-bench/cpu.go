package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPU time per request is what makes runs on a shared machine comparable: ops/s falls when
// other processes take the CPUs, but the CPU a request costs the server (or the client) stays
// about the same. The bench reads the server's from /proc/<pid>/stat and its own from
// getrusage(2), before and after each phase.

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat (proc(5)). It is 100
// on every Linux architecture Go supports (the kernel's ABI fixes it; sysconf(_SC_CLK_TCK)
// reports it), so 10 ms is the resolution of server CPU figures.
const clockTicks = 100

// parseStatCPU returns utime+stime from a /proc/<pid>/stat line. The command name (field 2) is
// in parentheses and may hold spaces or parentheses itself, so fields are counted from the last
// ')'.
func parseStatCPU(line string) (time.Duration, error) {
	end := strings.LastIndexByte(line, ')')
	if end < 0 {
		return 0, fmt.Errorf("malformed stat line %q", line)
	}
	f := strings.Fields(line[end+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("stat line has %d fields after the command", len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("stat: bad CPU time %q", s)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// processCPU is the user+system CPU time process pid has used, all threads included.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// selfCPU is the bench's own user+system CPU time, at microsecond resolution.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter measures the CPU the server (when pid > 0) and the client use between start and
// stop.
type cpuMeter struct {
	pid              int
	server0, client0 time.Duration
	serverErr        error
}

func startCPU(pid int) *cpuMeter {
	m := &cpuMeter{pid: pid, client0: selfCPU()}
	if pid > 0 {
		m.server0, m.serverErr = processCPU(pid)
	}
	return m
}

// stop returns the CPU milliseconds the server (nil when unknown) and the client used since
// startCPU.
func (m *cpuMeter) stop() (server *float64, client float64) {
	client = ms(selfCPU() - m.client0)
	if m.pid > 0 && m.serverErr == nil {
		if s, err := processCPU(m.pid); err == nil {
			v := ms(s - m.server0)
			server = &v
		}
	}
	return server, client
}

// perOp renders CPU milliseconds spread over n operations as microseconds per operation, or
// "n/a".
func perOp(cpuMs *float64, n uint64) string {
	if cpuMs == nil || n == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f", *cpuMs*1000/float64(n))
}
