package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stat builds a /proc/<pid>/stat line with the given parent, utime, stime and rss pages.
func stat(pid, comm, ppid, utime, stime, rss string) string {
	f := make([]string, 52)
	for i := range f {
		f[i] = "0"
	}
	f[0], f[1], f[2], f[3] = pid, "("+comm+")", "S", ppid
	f[13], f[14], f[23] = utime, stime, rss
	return strings.Join(f, " ") + "\n"
}

func TestTreeUsageSumsDescendantsOnly(t *testing.T) {
	dir := t.TempDir()
	procs := map[string]string{
		"10": stat("10", "nginx", "1", "100", "50", "1000"),
		"11": stat("11", "nginx) worker (x", "10", "300", "200", "2000"), // parentheses in the name
		"12": stat("12", "cache", "11", "5", "5", "10"),
		"20": stat("20", "other", "1", "999", "999", "99999"),
	}
	for pid, line := range procs {
		if err := os.MkdirAll(filepath.Join(dir, pid), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, pid, "stat"), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cpu, rss, n, err := treeUsage(dir, 10)
	if err != nil {
		t.Fatal(err)
	}
	if cpu != 6.6 || rss != 3010*int64(os.Getpagesize()) || n != 3 {
		t.Fatalf("got cpu %v rss %d n %d, want 6.6 s, 3010 pages, 3 processes", cpu, rss, n)
	}
	if _, _, _, err := treeUsage(dir, 42); err == nil {
		t.Fatal("a missing root gave no error")
	}
}

func TestParseStatRejectsShortLines(t *testing.T) {
	for _, line := range []string{"", "1 (x) S 0 1", "1 x S"} {
		if _, err := parseStat(line); err == nil {
			t.Errorf("parseStat(%q) gave no error", line)
		}
	}
}
