package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// awsCLI runs the real aws CLI (aws-cli v1 / botocore) against one endpoint with a clean
// environment: static keys, empty config and credentials files, no instance metadata lookups.
type awsCLI struct {
	endpoint string
	env      []string
}

type cliOpts struct {
	secret string   // defaults to testSecretKey
	caFile string   // AWS_CA_BUNDLE, for the TLS front
	config string   // contents of the otherwise empty AWS_CONFIG_FILE
	env    []string // extra AWS_* settings
}

func newCLI(t testing.TB, endpoint string, o cliOpts) *awsCLI {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Fatalf("the aws CLI is required for the end-to-end suite: %v", err)
	}
	if o.secret == "" {
		o.secret = testSecretKey
	}
	home := t.TempDir()
	cfg := filepath.Join(home, "config")
	creds := filepath.Join(home, "credentials")
	for f, content := range map[string]string{cfg: o.config, creds: ""} {
		if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"LANG=C.UTF-8", "LC_ALL=C.UTF-8", "PYTHONUTF8=1",
		"AWS_ACCESS_KEY_ID=" + testAccessKey,
		"AWS_SECRET_ACCESS_KEY=" + o.secret,
		"AWS_CONFIG_FILE=" + cfg,
		"AWS_SHARED_CREDENTIALS_FILE=" + creds,
		"AWS_DEFAULT_REGION=" + testRegion,
		"AWS_DEFAULT_OUTPUT=json",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	}
	if o.caFile != "" {
		env = append(env, "AWS_CA_BUNDLE="+o.caFile)
	}
	env = append(env, o.env...)
	return &awsCLI{endpoint: endpoint, env: env}
}

// run executes `aws --endpoint-url <endpoint> args...` and returns stdout, stderr and the error.
func (c *awsCLI) run(t testing.TB, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "aws", append([]string{"--endpoint-url", c.endpoint}, args...)...)
	cmd.Env = c.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	t.Logf("aws %s: %v (exit %v)", strings.Join(args, " "), time.Since(start).Round(time.Millisecond), err)
	return out.String(), errb.String(), err
}

// ok runs the CLI and fails the test unless it exits 0.
func (c *awsCLI) ok(t testing.TB, args ...string) string {
	t.Helper()
	out, stderr, err := c.run(t, args...)
	if err != nil {
		t.Fatalf("aws %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, stderr)
	}
	return out
}

// json runs the CLI and decodes its JSON output into v.
func (c *awsCLI) json(t testing.TB, v any, args ...string) {
	t.Helper()
	out := c.ok(t, args...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("aws %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// fails runs the CLI, expects a non-zero exit and the botocore error text
// "An error occurred (<code>)" on stderr.
func (c *awsCLI) fails(t testing.TB, code string, args ...string) {
	t.Helper()
	out, stderr, err := c.run(t, args...)
	if err == nil {
		t.Errorf("aws %s: exit 0, want error %s\nstdout: %s", strings.Join(args, " "), code, out)
		return
	}
	if !strings.Contains(stderr, "An error occurred ("+code+")") {
		t.Errorf("aws %s: want error code %s, stderr: %s", strings.Join(args, " "), code, strings.TrimSpace(stderr))
	}
}
