package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Bounds on process lifecycle waits. They are deadlines for hung processes, not timing
// assertions: a healthy server is ready and gone in well under a second.
const (
	startDeadline = 30 * time.Second
	stopDeadline  = 60 * time.Second
)

// server is one imgcdn child process.
type server struct {
	bin, data            string
	api, httpAddr, https string
	extraEnv             []string
	cmd                  *exec.Cmd
	out                  *tailBuffer
	exited               chan struct{}
	waitErr              error
	stopOnce             sync.Once
	stopErr              error
}

// startServer starts imgcdn on data for the duration of the test: SIGTERM on cleanup, and a
// test error unless it exits 0. Its output is logged when the test fails.
func startServer(t testing.TB, data string) *server {
	t.Helper()
	s, err := launchServer(pkg.bin, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("imgcdn did not stop gracefully: %v", err)
		}
		if t.Failed() {
			t.Logf("imgcdn output (tail):\n%s", s.logs())
		}
	})
	return s
}

// launchServer starts `imgcdn serve` on three free loopback ports and waits until
// GET /healthz on the API answers 200.
func launchServer(bin, data string, extraEnv []string) (*server, error) {
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	s := &server{
		bin: bin, data: data, extraEnv: extraEnv,
		api: ports[0], httpAddr: ports[1], https: ports[2],
		out:    newTailBuffer(1 << 20),
		exited: make(chan struct{}),
	}
	s.cmd = exec.Command(bin, "serve", "--data", data,
		"--api", s.api, "--http", s.httpAddr, "--https", s.https)
	s.cmd.Env = serverEnv(extraEnv)
	s.cmd.Stdout = s.out
	s.cmd.Stderr = s.out
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitHealthy(); err != nil {
		_ = s.kill()
		return nil, fmt.Errorf("%w\nimgcdn output:\n%s", err, s.logs())
	}
	return s, nil
}

// serverEnv is the parent's environment without any IMGCDN_* setting, plus the test root keys.
func serverEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "IMGCDN_") {
			env = append(env, kv)
		}
	}
	env = append(env, "IMGCDN_ROOT_ACCESS_KEY="+testAccessKey, "IMGCDN_ROOT_SECRET_KEY="+testSecretKey)
	return append(env, extra...)
}

// restart starts a new process on the same data dir (fresh ports), as after a crash.
func (s *server) restart() (*server, error) {
	return launchServer(s.bin, s.data, s.extraEnv)
}

func (s *server) endpoint() string { return "http://" + s.api }

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) waitHealthy() error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startDeadline)
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("imgcdn exited before it was healthy: %v", s.waitErr)
		default:
		}
		resp, err := client.Get(s.endpoint() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("GET %s/healthz not 200 within %v (last: %v)", s.endpoint(), startDeadline, describe(resp, err))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func describe(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	return resp.Status
}

// stop sends SIGTERM and waits; anything but exit status 0 is an error. It is idempotent.
func (s *server) stop() error {
	s.stopOnce.Do(func() {
		select {
		case <-s.exited:
			s.stopErr = fmt.Errorf("imgcdn had already exited: %v", s.waitErr)
			return
		default:
		}
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			s.stopErr = err
			return
		}
		s.stopErr = s.waitExit()
	})
	return s.stopErr
}

// terminate sends SIGTERM without waiting; waitExit then collects the exit status.
func (s *server) terminate() error {
	var err error
	s.stopOnce.Do(func() {
		err = s.cmd.Process.Signal(syscall.SIGTERM)
		s.stopErr = errors.New("terminated")
	})
	return err
}

// waitExit waits (bounded) for the process to exit and reports a non-zero status.
func (s *server) waitExit() error {
	select {
	case <-s.exited:
		if s.waitErr != nil {
			return fmt.Errorf("after SIGTERM: %w", s.waitErr)
		}
		return nil
	case <-time.After(stopDeadline):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("still running %v after SIGTERM; killed", stopDeadline)
	}
}

// kill sends SIGKILL, as a crash, and waits for the process to be gone.
func (s *server) kill() error {
	var err error
	s.stopOnce.Do(func() {
		err = s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.exited
		s.stopErr = errors.New("killed")
	})
	return err
}

func (s *server) logs() string { return s.out.String() }

// freePorts reserves n distinct loopback ports by listening on port 0, then releases them for
// the child to bind.
func freePorts(n int) ([]string, error) {
	var addrs []string
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		addrs = append(addrs, l.Addr().String())
	}
	return addrs, nil
}

// tailBuffer keeps the last max bytes written to it; it is safe for concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	const show = 16 << 10
	out := b.buf
	if len(out) > show {
		out = out[len(out)-show:]
	}
	return string(bytes.Clone(out))
}
