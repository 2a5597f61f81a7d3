package e2e

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestCLIPresignCurl: aws s3 presign, then the URL fetched by curl; a tampered and an expired
// URL are refused with S3 XML errors.
func TestCLIPresignCurl(t *testing.T) {
	t.Parallel()
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

	// aws-cli v1 presigns with query-string SigV2 (AWSAccessKeyId, Expires, Signature) when
	// no signature_version is configured, as here; SDK-presigned SigV4 URLs are covered by
	// TestSDKPresign. Whichever the CLI produced, the server must honour it.
	signed := strings.TrimSpace(cli.ok(t, "s3", "presign", "s3://"+bucket+"/"+key, "--expires-in", "600"))
	sigParam, expParam := "Signature", "Expires"
	if strings.Contains(signed, "X-Amz-Signature=") {
		sigParam, expParam = "X-Amz-Signature", "X-Amz-Expires"
	} else if !strings.Contains(signed, "Signature=") || !strings.Contains(signed, "AWSAccessKeyId=") {
		t.Fatalf("aws s3 presign produced neither a SigV4 nor a SigV2 URL: %s", signed)
	}
	t.Logf("aws s3 presign: %s", signed)
	resp, got := curl(t, signed)
	if resp.StatusCode != 200 || !bytes.Equal(got, body) {
		t.Fatalf("curl presigned URL: %s, %d bytes (%s); want 200 and the %d stored bytes", resp.Status, len(got), truncate(got), len(body))
	}
	if resp.Header.Get("ETag") != quotedMD5(body) || resp.Header.Get("X-Amz-Request-Id") == "" {
		t.Errorf("curl presigned URL: ETag %q request id %q", resp.Header.Get("ETag"), resp.Header.Get("X-Amz-Request-Id"))
	}

	u, _ := url.Parse(signed)
	q := u.Query()
	sig := q.Get(sigParam)
	flip := "A"
	if strings.HasPrefix(sig, "A") {
		flip = "B"
	}
	q.Set(sigParam, flip+sig[1:])
	u.RawQuery = q.Encode()
	resp, got = curl(t, u.String())
	wantXMLError(t, "curl presigned URL with a tampered signature", resp, got, 403, "SignatureDoesNotMatch")

	q = u.Query()
	q.Set(sigParam, sig)
	exp, _ := strconv.ParseInt(q.Get(expParam), 10, 64)
	q.Set(expParam, strconv.FormatInt(exp+1, 10))
	u.RawQuery = q.Encode()
	resp, got = curl(t, u.String())
	wantXMLError(t, "curl presigned URL with a changed "+expParam, resp, got, 403, "SignatureDoesNotMatch")

	short := strings.TrimSpace(cli.ok(t, "s3", "presign", "s3://"+bucket+"/"+key, "--expires-in", "1"))
	// Both Expires (SigV2) and X-Amz-Date (SigV4) have one-second resolution; two and a half
	// seconds later the URL has expired whatever the sub-second phase.
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
	for _, u := range []string{"http://" + srv.api + "/healthz", "http://" + srv.httpAddr + "/healthz", "https://" + srv.https + "/healthz"} {
		resp, _ := curl(t, "-k", u)
		if resp.StatusCode != 200 {
			t.Errorf("curl %s: %s, want 200", u, resp.Status)
		}
	}

	c := pathSDK(t, srv)
	bucket := mustBucket(t, c, "curl")
	resp, got := curl(t, "-X", "PUT", "--data-binary", "unsigned", srv.endpoint()+"/"+bucket+"/unsigned.txt")
	wantXMLError(t, "unsigned PUT", resp, got, 403, "AccessDenied")
	_, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("unsigned.txt")})
	wantAPIError(t, "HEAD after the unsigned PUT", err, "NotFound", 404)

	body := []byte("hello from the origin")
	mustPut(t, c, bucket, "hello.txt", body)
	resp, got = curl(t, append(curlSigV4(), srv.endpoint()+"/"+bucket+"/hello.txt")...)
	if resp.StatusCode != 200 || !bytes.Equal(got, body) {
		t.Errorf("curl --aws-sigv4 GET: %s %s", resp.Status, truncate(got))
	}

	// Queries are written the way SigV4 canonicalizes them, sorted and with an explicit "=":
	// curl 7.88's signer neither sorts parameters nor adds the "=" of a valueless one (S3
	// signs "torrent="), so "?torrent" or "?inventory&id=x" would not verify.
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/" + bucket + "/hello.txt?torrent=", ""},
		{"POST", "/" + bucket + "/hello.txt?select=&select-type=2", "<SelectObjectContentRequest/>"},
		{"POST", "/" + bucket + "/hello.txt?restore=", "<RestoreRequest><Days>1</Days></RestoreRequest>"},
		{"GET", "/" + bucket + "?replication=", ""},
		{"PUT", "/" + bucket + "?object-lock=", "<ObjectLockConfiguration/>"},
		{"GET", "/" + bucket + "?analytics=&id=e2e", ""},
		{"GET", "/" + bucket + "?id=e2e&inventory=", ""},
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
