// Package e2e runs imgcdn end to end: it builds the real binary, starts it as a child process
// on free loopback ports and drives it with real S3 clients (the aws CLI, aws-sdk-go-v2,
// minio-go and curl), asserting typed S3 errors, exact bytes and exact headers. Nothing is
// mocked: every request crosses a TCP socket into a separate imgcdn process.
package e2e

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Root credentials handed to every server the tests start. The secret holds '/' and '+' on
// purpose: both need care in SigV4 and in shells.
const (
	testAccessKey = "AKIAIMGCDNE2ETEST001"
	testSecretKey = "e2e/Secret+Key0123456789abcdefghijklmnop"
	testRegion    = "us-east-1"
)

// suite holds what TestMain prepares once for every test in the package: the built binary and
// the lazily started shared server used by tests that do not need a process of their own.
type suite struct {
	bin string

	once      sync.Once
	shared    *server
	sharedErr error
}

// pkg is set by TestMain before any test runs and never reassigned.
var pkg *suite

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "imgcdn-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "imgcdn")
	build := exec.Command("go", "build", "-o", bin, "./cmd/imgcdn")
	build.Dir = repoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/imgcdn in %s: %v\n%s", build.Dir, err, out)
		return 1
	}
	pkg = &suite{bin: bin}

	code := m.Run()
	if code != 0 && pkg.shared != nil {
		fmt.Fprintf(os.Stderr, "e2e: shared server output (tail):\n%s\n", pkg.shared.logs())
	}
	if err := pkg.closeShared(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: shared server:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// repoRoot is the module root: two directories above this file.
func repoRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "../.."
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// sharedServer returns the package's shared imgcdn, starting it on first use. Tests that use
// it create their own uniquely named buckets, so they stay independent of each other.
func sharedServer(t testing.TB) *server {
	t.Helper()
	pkg.once.Do(func() {
		dir, err := os.MkdirTemp("", "imgcdn-e2e-shared-")
		if err != nil {
			pkg.sharedErr = err
			return
		}
		pkg.shared, pkg.sharedErr = launchServer(pkg.bin, filepath.Join(dir, "data"), nil)
	})
	if pkg.sharedErr != nil {
		t.Fatalf("starting the shared imgcdn: %v", pkg.sharedErr)
	}
	return pkg.shared
}

// closeShared stops the shared server with SIGTERM and reports a non-graceful exit.
func (s *suite) closeShared() error {
	if s.shared == nil {
		return nil
	}
	defer os.RemoveAll(filepath.Dir(s.shared.data))
	if err := s.shared.stop(); err != nil {
		return fmt.Errorf("%w\nserver output (tail):\n%s", err, s.shared.logs())
	}
	return nil
}
