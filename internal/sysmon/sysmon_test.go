package sysmon

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestWithSetting(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want []string // nil: no re-exec
	}{
		{[]string{"PATH=/bin"}, []string{"PATH=/bin", "GODEBUG=" + Setting}},
		{[]string{"GODEBUG=madvdontneed=1", "HOME=/root"}, []string{"GODEBUG=madvdontneed=1," + Setting, "HOME=/root"}},
		{[]string{"GODEBUG="}, []string{"GODEBUG=" + Setting}},
		{[]string{"GODEBUG=schedtrace=1000"}, nil},
		{[]string{"GODEBUG=gctrace=1, schedtrace=5"}, nil},
		{[]string{"GODEBUG=" + Setting}, nil},
		{[]string{"PATH=/bin", OptOut + "=1"}, nil},
	} {
		got, ok := withSetting(tc.env)
		if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("withSetting(%q) = %q, %v; want %q", tc.env, got, ok, tc.want)
		}
	}
}

// TestReexec runs this test binary as a child that calls Reexec and reports the GODEBUG it
// ends up with: the exec must happen once, keep the arguments, and add Setting.
func TestReexec(t *testing.T) {
	if os.Getenv("SYSMON_TEST_CHILD") == "1" {
		if err := Reexec(); err != nil {
			t.Fatal(err)
		}
		// Reached only in the re-executed process (or if exec was refused).
		os.Stdout.WriteString("GODEBUG=" + os.Getenv("GODEBUG") + "\n")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestReexec$", "-test.v")
	cmd.Env = append(os.Environ(), "SYSMON_TEST_CHILD=1", "GODEBUG=gctrace=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "GODEBUG="); n != 1 {
		t.Fatalf("child printed GODEBUG %d times, want once (one exec, no loop):\n%s", n, out)
	}
	if !strings.Contains(string(out), "GODEBUG=gctrace=0,"+Setting+"\n") {
		t.Fatalf("child's GODEBUG lacks the setting:\n%s", out)
	}
}
