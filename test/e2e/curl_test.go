package e2e

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestCLIPresignCurl: aws s3 presign, then the URL fetched by curl; a tampered and an expired
// URL are refused with S3 XML errors.
func TestCLIPresignCurl(t *testing.T) {
	srv := sharedServer(t)
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	bucket := newBucketName("presign-cli")
	cli.ok(t, "s3", "mb", "s3://"+bucket)
	body := randBytes(77, 150_000)
	src := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(src, body, 0o600); err != nil {
		t.Fatal(err)
	}
	key := "shared/ü photo+1.jpg"
	cli.ok(t, "s3", "cp", src, "s3://"+bucket+"/"+key)

	signed := strings.TrimSpace(cli.ok(t, "s3", "presign", "s3://"+bucket+"/"+key, "--expires-in", "600"))
	if !strings.Contains(signed, "X-Amz-Signature=") || !strings.Contains(signed, "X-Amz-Algorithm=AWS4-HMAC-SHA256") {
		t.Fatalf("aws s3 presign did not produce a SigV4 URL: %s", signed)
	}
	resp, got := curl(t, signed)
	if resp.StatusCode != 200 || !bytes.Equal(got, body) {
		t.Fatalf("curl presigned URL: %s, %d bytes (%s); want 200 and the %d stored bytes", resp.Status, len(got), truncate(got), len(body))
	}
	if resp.Header.Get("ETag") != quotedMD5(body) || resp.Header.Get("X-Amz-Request-Id") == "" {
		t.Errorf("curl presigned URL: ETag %q request id %q", resp.Header.Get("ETag"), resp.Header.Get("X-Amz-Request-Id"))
	}

	u, _ := url.Parse(signed)
	q := u.Query()
	sig := q.Get("X-Amz-Signature")
	flip := "0"
	if strings.HasSuffix(sig, "0") {
		flip = "1"
	}
	q.Set("X-Amz-Signature", sig[:len(sig)-1]+flip)
	u.RawQuery = q.Encode()
	resp, got = curl(t, u.String())
	wantXMLError(t, "curl presigned URL with a tampered signature", resp, got, 403, "SignatureDoesNotMatch")

	q = u.Query()
	q.Set("X-Amz-Signature", sig)
	q.Set("X-Amz-Expires", "601")
	u.RawQuery = q.Encode()
	resp, got = curl(t, u.String())
	wantXMLError(t, "curl presigned URL with a changed X-Amz-Expires", resp, got, 403, "SignatureDoesNotMatch")

	short := strings.TrimSpace(cli.ok(t, "s3", "presign", "s3://"+bucket+"/"+key, "--expires-in", "1"))
	// X-Amz-Date has one-second resolution; two and a half seconds later the URL has expired
	// whatever the sub-second phase.
	time.Sleep(2500 * time.Millisecond)
	resp, got = curl(t, short)
	// AWS answers 403 AccessDenied "Request has expired"; the issue also allows ExpiredToken.
	if !strings.Contains(string(got), "<Code>ExpiredToken</Code>") {
		wantXMLError(t, "curl expired presigned URL", resp, got, 403, "AccessDenied")
	} else {
		wantXMLError(t, "curl expired presigned URL", resp, got, 403, "ExpiredToken")
	}
}

// TestCurl: health checks on every listener, an unsigned PUT, curl's own SigV4 signing, and
// operations imgcdn does not implement, which must be 501 NotImplemented, never a 200.
func TestCurl(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	bucket := mustBucket(t, c, "curl")
	body := []byte("hello from the origin")
	mustPut(t, c, bucket, "hello.txt", body)

	for _, u := range []string{"http://" + srv.api + "/healthz", "http://" + srv.httpAddr + "/healthz", "https://" + srv.https + "/healthz"} {
		resp, _ := curl(t, "-k", u)
		if resp.StatusCode != 200 {
			t.Errorf("curl %s: %s, want 200", u, resp.Status)
		}
	}

	resp, got := curl(t, "-X", "PUT", "--data-binary", "unsigned", srv.endpoint()+"/"+bucket+"/unsigned.txt")
	wantXMLError(t, "unsigned PUT", resp, got, 403, "AccessDenied")
	_, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("unsigned.txt")})
	wantAPIError(t, "HEAD after the unsigned PUT", err, "NotFound", 404)

	resp, got = curl(t, append(curlSigV4(), srv.endpoint()+"/"+bucket+"/hello.txt")...)
	if resp.StatusCode != 200 || !bytes.Equal(got, body) {
		t.Errorf("curl --aws-sigv4 GET: %s %s", resp.Status, truncate(got))
	}

	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/" + bucket + "/hello.txt?torrent", ""},
		{"POST", "/" + bucket + "/hello.txt?select&select-type=2", "<SelectObjectContentRequest/>"},
		{"POST", "/" + bucket + "/hello.txt?restore", "<RestoreRequest><Days>1</Days></RestoreRequest>"},
		{"GET", "/" + bucket + "?replication", ""},
		{"PUT", "/" + bucket + "?object-lock", "<ObjectLockConfiguration/>"},
		{"GET", "/" + bucket + "?analytics&id=e2e", ""},
		{"GET", "/" + bucket + "?inventory&id=e2e", ""},
	} {
		args := append(curlSigV4(), "-X", tc.method)
		if tc.body != "" {
			args = append(args, "-H", "Content-Type: application/xml", "--data-binary", tc.body)
		}
		resp, got := curl(t, append(args, srv.endpoint()+tc.path)...)
		wantXMLError(t, "curl "+tc.method+" "+tc.path, resp, got, 501, "NotImplemented")
	}
	if got, _ := mustGet(t, c, bucket, "hello.txt"); !bytes.Equal(got, body) {
		t.Errorf("object changed by unimplemented operations: %q", got)
	}
}
