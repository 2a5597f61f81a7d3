package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// keyDeadline bounds the wait for a running server to load a key written to its keys.json
// ("a running server picks up changes within a second"). It is a deadline for a server that
// never does, not a timing assertion.
const keyDeadline = 20 * time.Second

// startServerEnv is startServer with extra IMGCDN_* settings (such as IMGCDN_MASTER_KEY).
func startServerEnv(t testing.TB, data string, env []string) *server {
	t.Helper()
	s, err := launchServer(pkg.bin, data, env)
	if err != nil {
		t.Fatal(err)
	}
	stopOnCleanup(t, s)
	return s
}

// stopOnCleanup stops s when the test ends (a no-op when the test already stopped it) and
// logs its output if the test failed.
func stopOnCleanup(t testing.TB, s *server) {
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("imgcdn did not stop gracefully: %v", err)
		}
		if t.Failed() {
			t.Logf("imgcdn output (tail):\n%s", s.logs())
		}
	})
}

// createKey runs `imgcdn keys create --data <srv's data dir> args...` (--name NAME or
// --oai ID), returns the access key pair it printed, and waits until srv authenticates it.
func createKey(t testing.TB, srv *server, args ...string) (access, secret string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, pkg.bin, append([]string{"keys", "create", "--data", srv.data}, args...)...)
	cmd.Env = serverEnv(nil)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("imgcdn keys create %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	printed := map[string]string{}
	for _, m := range exportLine.FindAllStringSubmatch(string(out), -1) {
		printed[m[1]] = m[2]
	}
	access, secret = printed["ACCESS_KEY_ID"], printed["SECRET_ACCESS_KEY"]
	if access == "" || secret == "" || access == testAccessKey {
		t.Fatalf("imgcdn keys create %s did not print a new pair as export lines:\n%s", strings.Join(args, " "), out)
	}
	waitKeyLoaded(t, srv, access, secret)
	return access, secret
}

// waitKeyLoaded polls ListBuckets signed with the key until the server stops answering
// InvalidAccessKeyId. ListBuckets is the account root's alone, so a loaded user or OAI key
// gets AccessDenied.
func waitKeyLoaded(t testing.TB, srv *server, access, secret string) {
	t.Helper()
	deadline := time.Now().Add(keyDeadline)
	for {
		req := signedRequest(t, "GET", srv.endpoint()+"/", nil, access, secret, time.Now())
		resp, body := do(t, http.DefaultClient, req)
		if !bytes.Contains(body, []byte("<Code>InvalidAccessKeyId</Code>")) {
			if resp.StatusCode != http.StatusForbidden || !bytes.Contains(body, []byte("<Code>AccessDenied</Code>")) {
				t.Fatalf("ListBuckets with the new non-root key %s: %s %s, want 403 AccessDenied", access, resp.Status, truncate(body))
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the running server did not load key %s within %v of `imgcdn keys create`", access, keyDeadline)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cliAs is an aws CLI with the given key pair instead of the root one.
func cliAs(t testing.TB, srv *server, access, secret string) *awsCLI {
	return newCLI(t, srv.endpoint(), cliOpts{secret: secret, env: []string{"AWS_ACCESS_KEY_ID=" + access}})
}

// sameJSON reports whether two JSON documents decode to equal values.
func sameJSON(t testing.TB, a, b string) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Fatalf("not JSON: %v: %s", err, a)
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	return reflect.DeepEqual(va, vb)
}

// scanDir reads every byte of every regular file under dir and returns, for each needle,
// the files (relative to dir) that contain it, and how many bytes were scanned in total.
func scanDir(t testing.TB, dir string, needles map[string][]byte) (map[string][]string, int64) {
	t.Helper()
	found := map[string][]string{}
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		total += int64(len(b))
		rel, _ := filepath.Rel(dir, path)
		for name, n := range needles {
			if bytes.Contains(b, n) {
				found[name] = append(found[name], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("scanning %s: %v", dir, err)
	}
	return found, total
}

// listFiles returns the regular files under dir (relative paths, sorted); a missing dir is
// empty.
func listFiles(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatalf("listing %s: %v", dir, err)
	}
	sort.Strings(files)
	return files
}
