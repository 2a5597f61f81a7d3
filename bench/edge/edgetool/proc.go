package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Each server under test is a process tree: nginx is a master and worker processes, varnishd
// a manager and a cache child, imgcdn one process. CPU time and RSS are therefore summed over
// the started process and all its descendants, read from /proc/<pid>/stat (proc(5)): utime and
// stime (fields 14 and 15, in USER_HZ = 100 ticks per second, all threads included) and rss
// (field 24, in pages). Shared pages (nginx's cache zone, mapped by every worker) count once
// per process, as RSS always does.

// clockTicks is USER_HZ, fixed at 100 by the kernel ABI on every architecture Go supports.
const clockTicks = 100

// procStat is what one /proc/<pid>/stat line tells the benchmark.
type procStat struct {
	ppid     int
	ticks    int64 // utime + stime
	rssPages int64
}

// parseStat reads a /proc/<pid>/stat line. The command (field 2) is in parentheses and may
// hold spaces or parentheses, so fields are counted from the last ')'.
func parseStat(line string) (procStat, error) {
	end := strings.LastIndexByte(line, ')')
	if end < 0 {
		return procStat{}, fmt.Errorf("malformed stat line %q", line)
	}
	f := strings.Fields(line[end+1:])
	// f[0] is field 3 (state): field n is f[n-3].
	if len(f) < 22 {
		return procStat{}, fmt.Errorf("stat line has %d fields after the command", len(f))
	}
	nums := make([]int64, 0, 4)
	for _, i := range []int{4 - 3, 14 - 3, 15 - 3, 24 - 3} {
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return procStat{}, fmt.Errorf("stat field %d: %w", i+3, err)
		}
		nums = append(nums, n)
	}
	return procStat{ppid: int(nums[0]), ticks: nums[1] + nums[2], rssPages: nums[3]}, nil
}

// treeUsage sums CPU seconds and RSS bytes over root and its descendants, reading procfs at
// dir (normally /proc). Processes that exit during the walk are skipped.
func treeUsage(dir string, root int) (cpu float64, rss int64, n int, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, 0, err
	}
	stats := map[int]procStat{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name(), "stat"))
		if err != nil {
			continue
		}
		if st, err := parseStat(string(b)); err == nil {
			stats[pid] = st
		}
	}
	if _, ok := stats[root]; !ok {
		return 0, 0, 0, fmt.Errorf("process %d not found in %s", root, dir)
	}
	children := map[int][]int{}
	for pid, st := range stats {
		children[st.ppid] = append(children[st.ppid], pid)
	}
	var ticks, pages int64
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		st := stats[pid]
		ticks += st.ticks
		pages += st.rssPages
		n++
		queue = append(queue, children[pid]...)
	}
	return float64(ticks) / clockTicks, pages * int64(os.Getpagesize()), n, nil
}

// printProc prints "<cpu seconds> <rss KiB> <processes>" for the tree rooted at pid.
func printProc(w io.Writer, dir, pid string) error {
	root, err := strconv.Atoi(pid)
	if err != nil {
		return fmt.Errorf("bad pid %q", pid)
	}
	cpu, rss, n, err := treeUsage(dir, root)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%.2f %d %d\n", cpu, rss/1024, n)
	return err
}
