package e2e

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// curl runs the real curl binary with -sS -D - and parses what it printed (status line,
// headers, body) back into an http.Response, skipping 1xx interim responses.
func curl(t testing.TB, args ...string) (*http.Response, []byte) {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatalf("curl is required for the end-to-end suite: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"-sS", "-D", "-", "--http1.1"}
	var req *http.Request // nil: a GET-like response with a body
	if slices.Contains(args, "-I") || slices.Contains(args, "--head") {
		base = []string{"-sS", "--http1.1"} // -I prints the headers itself; -D - would print them twice
		req = &http.Request{Method: http.MethodHead}
	}
	cmd := exec.CommandContext(ctx, "curl", append(base, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("curl %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	r := bufio.NewReader(&out)
	for {
		resp, err := http.ReadResponse(r, req)
		if err != nil {
			t.Fatalf("curl %s: cannot parse its output: %v\n%s", strings.Join(args, " "), err, truncate(out.Bytes()))
		}
		if resp.StatusCode >= 200 || resp.StatusCode < 100 {
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("curl %s: body: %v", strings.Join(args, " "), err)
			}
			return resp, body
		}
	}
}

// curlSigV4 are curl's own SigV4 options (--aws-sigv4, curl >= 7.75), a third, independent
// signer implementation next to the Go SDK's and botocore's. S3 requires x-amz-content-sha256
// with SigV4 header auth (AWS answers InvalidRequest without it) and curl 7.88 does not add it
// by itself; given one, curl signs it and uses its value as the payload hash.
func curlSigV4() []string {
	return []string{"--aws-sigv4", "aws:amz:" + testRegion + ":s3", "--user", testAccessKey + ":" + testSecretKey,
		"-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"}
}
