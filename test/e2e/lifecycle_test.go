package e2e

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestGracefulShutdownDrains: SIGTERM while an upload is still streaming in. The upload
// completes with 200, the process exits 0, and after a restart the object is there, whole.
func TestGracefulShutdownDrains(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	srv, err := launchServer(pkg.bin, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			t.Logf("imgcdn output (tail):\n%s", srv.logs())
		}
		_ = srv.kill()
	}()
	bucket := mustBucket(t, pathSDK(t, srv), "drain")
	body := randBytes(8, 8*mib)

	pr, pw := io.Pipe()
	req, err := http.NewRequest("PUT", srv.endpoint()+"/"+bucket+"/in-flight.bin", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(body))
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	// With Expect: 100-continue the client sends no body byte before the server's handler
	// asks for it, so the first pipe write below returns only once the request is being
	// served. Without it, a megabyte fits in loopback socket buffers before the server has
	// even accepted the connection, and SIGTERM could close the listener with the connection
	// still in its backlog (a reset, not a drain).
	req.Header.Set("Expect", "100-continue")
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, "UNSIGNED-PAYLOAD", "s3", testRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	type result struct {
		resp *http.Response
		body []byte
		err  error
	}
	done := make(chan result, 1)
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	defer client.CloseIdleConnections()
	go func() {
		resp, err := client.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- result{resp, b, err}
	}()

	// The first MiB is taken by the transport after the server's 100 Continue, then SIGTERM,
	// then the rest, in slices, while the server drains.
	if _, err := pw.Write(body[:mib]); err != nil {
		t.Fatalf("streaming the body: %v", err)
	}
	if err := srv.terminate(); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	for off := mib; off < len(body); off += mib {
		time.Sleep(50 * time.Millisecond)
		if _, err := pw.Write(body[off : off+mib]); err != nil {
			t.Fatalf("streaming the body after SIGTERM, at %d: %v", off, err)
		}
	}
	pw.Close()
	r := <-done
	if r.err != nil {
		t.Fatalf("PUT in flight during SIGTERM: %v", r.err)
	}
	if r.resp.StatusCode != 200 || r.resp.Header.Get("ETag") != quotedMD5(body) {
		t.Fatalf("PUT in flight during SIGTERM: %s ETag %q %s; want 200 %s", r.resp.Status, r.resp.Header.Get("ETag"), truncate(r.body), quotedMD5(body))
	}
	if err := srv.waitExit(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}

	srv, err = srv.restart()
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	if got, _ := mustGet(t, pathSDK(t, srv), bucket, "in-flight.bin"); !bytes.Equal(got, body) {
		t.Errorf("after restart the drained upload reads back %d bytes, not the %d sent", len(got), len(body))
	}
	if err := srv.stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
}

var exportLine = regexp.MustCompile(`export AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)=(\S+)`)

// TestGeneratedRootCredentials: without IMGCDN_ROOT_ACCESS_KEY/SECRET_KEY, imgcdn generates a
// pair on first start, keeps it in the data dir with mode 0600, prints it once as export
// lines, and accepts it on every later start.
func TestGeneratedRootCredentials(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	unset := []string{"IMGCDN_ROOT_ACCESS_KEY=", "IMGCDN_ROOT_SECRET_KEY="}
	srv, err := launchServer(pkg.bin, data, unset)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			t.Logf("imgcdn output (tail):\n%s", srv.logs())
		}
		_ = srv.kill()
	}()
	printed := map[string]string{}
	for _, m := range exportLine.FindAllStringSubmatch(srv.logs(), -1) {
		printed[m[1]] = m[2]
	}
	ak, sk := printed["ACCESS_KEY_ID"], printed["SECRET_ACCESS_KEY"]
	if ak == "" || sk == "" || ak == testAccessKey {
		t.Fatalf("first start without root keys did not print a generated pair as export lines:\n%s", srv.logs())
	}
	c := newSDK(t, sdkOpts{endpoint: srv.endpoint(), pathStyle: true, access: ak, secret: sk})
	bucket := mustBucket(t, c, "genkeys")
	_, err = pathSDK(t, srv).ListBuckets(context.Background(), &s3.ListBucketsInput{})
	wantAPIError(t, "ListBuckets with keys that are not the generated pair", err, "InvalidAccessKeyId", 403)

	holders := 0
	err = filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(sk)) {
			holders++
			if st, err := os.Stat(p); err == nil && st.Mode().Perm() != 0o600 {
				t.Errorf("%s holds the secret key with mode %v, want 0600", p, st.Mode().Perm())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if holders == 0 {
		t.Errorf("no file in the data dir holds the generated secret key")
	}

	if err := srv.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	srv, err = srv.restart()
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	if bytes.Contains([]byte(srv.logs()), []byte(sk)) {
		t.Errorf("the secret key was printed again on the second start (it is shown once)")
	}
	c = newSDK(t, sdkOpts{endpoint: srv.endpoint(), pathStyle: true, access: ak, secret: sk})
	if _, err := c.HeadBucket(context.Background(), &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("the generated keys after a restart: %v", err)
	}
	if err := srv.stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
}
