package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// bucketSeq makes bucket names unique across tests and -count runs in one process.
var bucketSeq atomic.Int64

// newBucketName returns a valid, unique bucket name starting with "e2e-<stem>-".
func newBucketName(stem string) string {
	return fmt.Sprintf("e2e-%s-%d-%d", stem, time.Now().UnixNano()%1e6, bucketSeq.Add(1))
}

// mustBucket creates a fresh bucket on the client's server and returns its name.
func mustBucket(t testing.TB, c *sdkClient, stem string) string {
	t.Helper()
	name := newBucketName(stem)
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("CreateBucket %s: %v", name, err)
	}
	return name
}

// mustPut stores body at bucket/key with the client's defaults and returns the quoted ETag.
func mustPut(t testing.TB, c *sdkClient, bucket, key string, body []byte) string {
	t.Helper()
	out, err := c.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
	})
	if err != nil {
		t.Fatalf("PutObject %s/%q: %v", bucket, key, err)
	}
	if got, want := aws.ToString(out.ETag), quotedMD5(body); got != want {
		t.Errorf("PutObject %s/%q ETag = %s, want %s (quoted hex MD5 of the body)", bucket, key, got, want)
	}
	return aws.ToString(out.ETag)
}

// mustGet reads bucket/key whole.
func mustGet(t testing.TB, c *sdkClient, bucket, key string) ([]byte, *s3.GetObjectOutput) {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObject %s/%q: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("GetObject %s/%q: reading body: %v", bucket, key, err)
	}
	return b, out
}

// wantAPIError asserts err is an S3 error with this code and HTTP status, as a typed
// smithy.APIError the way SDK users see it.
func wantAPIError(t testing.TB, what string, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: succeeded, want %s (%d)", what, code, status)
		return
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Errorf("%s: error %v is not an S3 API error, want %s (%d)", what, err, code, status)
		return
	}
	var re *awshttp.ResponseError
	gotStatus := 0
	if errors.As(err, &re) {
		gotStatus = re.HTTPStatusCode()
	}
	if ae.ErrorCode() != code || gotStatus != status {
		t.Errorf("%s: got %s (%d) %q, want %s (%d)", what, ae.ErrorCode(), gotStatus, ae.ErrorMessage(), code, status)
	}
}

// responseHeader is the raw header of the HTTP response behind an SDK error, if any.
func responseHeader(err error) http.Header {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.Header
	}
	return nil
}

// s3Error is S3's XML error document (the REST error responses reference).
type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource"`
	RequestID string   `xml:"RequestId"`
	HostID    string   `xml:"HostId"`
}

// wantXMLError checks an HTTP response is an S3 error with this status and code, with an XML
// content type, a message, and a RequestId that matches the x-amz-request-id header.
func wantXMLError(t testing.TB, what string, resp *http.Response, body []byte, status int, code string) s3Error {
	t.Helper()
	var e s3Error
	if resp.StatusCode != status {
		t.Errorf("%s: status %d, want %d; body: %s", what, resp.StatusCode, status, truncate(body))
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "xml") {
		t.Errorf("%s: Content-Type %q, want application/xml", what, ct)
	}
	if err := xml.Unmarshal(body, &e); err != nil {
		t.Errorf("%s: body is not an S3 <Error> document: %v; body: %s", what, err, truncate(body))
		return e
	}
	if e.Code != code {
		t.Errorf("%s: Code %q, want %q (Message %q)", what, e.Code, code, e.Message)
	}
	if e.Message == "" {
		t.Errorf("%s: empty Message", what)
	}
	rid := resp.Header.Get("X-Amz-Request-Id")
	if rid == "" || e.RequestID != rid {
		t.Errorf("%s: RequestId %q, x-amz-request-id header %q: want both set and equal", what, e.RequestID, rid)
	}
	if resp.Header.Get("X-Amz-Id-2") == "" {
		t.Errorf("%s: no x-amz-id-2 header", what)
	}
	return e
}

func truncate(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "..."
	}
	return string(b)
}

// do sends req and returns the response with its body read.
func do(t testing.TB, c *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return resp, b
}

// signedRequest builds a request signed with SigV4 by the SDK's standalone signer, with the
// body's SHA-256 as x-amz-content-sha256. It lets tests send what no high-level client would:
// a skewed clock, a wrong payload hash, an operation the SDK does not model.
func signedRequest(t testing.TB, method, rawURL string, body []byte, access, secret string, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	hash := sha256Hex(body)
	req.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: access, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, "s3", testRegion, at); err != nil {
		t.Fatal(err)
	}
	return req
}

func md5Hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

func quotedMD5(b []byte) string { return `"` + md5Hex(b) + `"` }

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// multipartETag is S3's multipart ETag: the MD5 of the concatenated binary MD5s of the parts,
// then "-<number of parts>", quoted.
func multipartETag(parts ...[]byte) string {
	var cat []byte
	for _, p := range parts {
		s := md5.Sum(p)
		cat = append(cat, s[:]...)
	}
	return fmt.Sprintf(`"%s-%d"`, md5Hex(cat), len(parts))
}

// randBytes is n deterministic pseudo-random bytes.
func randBytes(seed uint64, n int) []byte {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	b := make([]byte, n)
	_, _ = rand.NewChaCha8(s).Read(b)
	return b
}

// readBody reads and closes an object body.
func readBody(t testing.TB, rc io.ReadCloser) []byte {
	t.Helper()
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return b
}

func readCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
