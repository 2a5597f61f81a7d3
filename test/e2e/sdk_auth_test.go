package e2e

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestSDKPresign fetches SDK-presigned URLs with plain net/http: GetObject with response-*
// overrides, PutObject, and an expiry beyond the 7-day limit.
func TestSDKPresign(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "presign")
	body := randBytes(5, 100_000)
	key := "gallery/ü pic.avif"
	mustPut(t, c, bucket, key, body)
	ps := s3.NewPresignClient(c.Client)

	get, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key),
		ResponseContentType:        aws.String("image/avif"),
		ResponseCacheControl:       aws.String("no-cache"),
		ResponseContentDisposition: aws.String(`attachment; filename="pic.avif"`),
		ResponseContentLanguage:    aws.String("de"),
		ResponseExpires:            aws.Time(time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)),
	}, s3.WithPresignExpires(10*time.Minute))
	if err != nil {
		t.Fatalf("PresignGetObject: %v", err)
	}
	req, _ := http.NewRequest(get.Method, get.URL, nil)
	for k, v := range get.SignedHeader {
		if !strings.EqualFold(k, "Host") {
			req.Header[k] = v
		}
	}
	resp, got := do(t, http.DefaultClient, req)
	if resp.StatusCode != 200 || !bytes.Equal(got, body) {
		t.Fatalf("presigned GET: %s, %d bytes (%s); want 200 and the %d stored bytes", resp.Status, len(got), truncate(got), len(body))
	}
	for h, want := range map[string]string{
		"Content-Type":        "image/avif",
		"Cache-Control":       "no-cache",
		"Content-Disposition": `attachment; filename="pic.avif"`,
		"Content-Language":    "de",
		"Expires":             "Mon, 06 May 2030 07:08:09 GMT",
		"ETag":                quotedMD5(body),
	} {
		if resp.Header.Get(h) != want {
			t.Errorf("presigned GET with response-* overrides: %s = %q, want %q", h, resp.Header.Get(h), want)
		}
	}
	if resp.Header.Get("X-Amz-Request-Id") == "" {
		t.Errorf("presigned GET: no x-amz-request-id")
	}

	put, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("uploaded via url")})
	if err != nil {
		t.Fatalf("PresignPutObject: %v", err)
	}
	up := []byte("bytes PUT through a presigned URL")
	req, _ = http.NewRequest(put.Method, put.URL, bytes.NewReader(up))
	for k, v := range put.SignedHeader {
		if !strings.EqualFold(k, "Host") {
			req.Header[k] = v
		}
	}
	resp, rb := do(t, http.DefaultClient, req)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") != quotedMD5(up) {
		t.Errorf("presigned PUT: %s ETag %q (%s); want 200 and %s", resp.Status, resp.Header.Get("ETag"), truncate(rb), quotedMD5(up))
	}
	if g, _ := mustGet(t, c, bucket, "uploaded via url"); !bytes.Equal(g, up) {
		t.Errorf("object stored by presigned PUT = %q, want %q", g, up)
	}

	// X-Amz-Expires is limited to 604800 seconds (7 days), SigV4 query-string auth reference.
	long, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}, s3.WithPresignExpires(7*24*time.Hour+time.Second))
	if err != nil {
		t.Fatalf("PresignGetObject: %v", err)
	}
	req, _ = http.NewRequest("GET", long.URL, nil)
	resp, rb = do(t, http.DefaultClient, req)
	wantXMLError(t, "presigned GET with X-Amz-Expires=604801", resp, rb, 400, "AuthorizationQueryParametersError")

	// Tampering with any signed part of the URL breaks the signature.
	u, _ := url.Parse(get.URL)
	q := u.Query()
	q.Set("response-content-type", "text/html")
	u.RawQuery = q.Encode()
	req, _ = http.NewRequest("GET", u.String(), nil)
	resp, rb = do(t, http.DefaultClient, req)
	wantXMLError(t, "presigned GET with a changed response-content-type", resp, rb, 403, "SignatureDoesNotMatch")
}

// TestSigV4Errors sends requests signed by the SDK's standalone SigV4 signer with one thing
// wrong each, and checks the typed error AWS documents for it.
func TestSigV4Errors(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	bucket := mustBucket(t, c, "sigv4")
	u := srv.endpoint() + "/" + bucket + "/raw.txt"
	body := []byte("signed by hand")
	now := time.Now()

	resp, rb := do(t, http.DefaultClient, signedRequest(t, "PUT", u, body, testAccessKey, testSecretKey, now))
	if resp.StatusCode != 200 || resp.Header.Get("ETag") != quotedMD5(body) {
		t.Fatalf("correctly signed PUT: %s ETag %q %s", resp.Status, resp.Header.Get("ETag"), truncate(rb))
	}

	resp, rb = do(t, http.DefaultClient, signedRequest(t, "GET", u, nil, testAccessKey, testSecretKey, now.Add(-20*time.Minute)))
	wantXMLError(t, "GET signed 20 minutes ago", resp, rb, 403, "RequestTimeTooSkewed")
	resp, rb = do(t, http.DefaultClient, signedRequest(t, "GET", u, nil, testAccessKey, testSecretKey, now.Add(20*time.Minute)))
	wantXMLError(t, "GET signed 20 minutes ahead", resp, rb, 403, "RequestTimeTooSkewed")
	resp, rb = do(t, http.DefaultClient, signedRequest(t, "GET", u, nil, "AKIANOSUCHKEYE2E0000", testSecretKey, now))
	wantXMLError(t, "GET with an unknown access key", resp, rb, 403, "InvalidAccessKeyId")
	resp, rb = do(t, http.DefaultClient, signedRequest(t, "GET", u, nil, testAccessKey, testSecretKey+"x", now))
	wantXMLError(t, "GET with a wrong secret", resp, rb, 403, "SignatureDoesNotMatch")

	// The signed x-amz-content-sha256 does not match the body actually sent.
	req := signedRequest(t, "PUT", u, []byte("what was signed"), testAccessKey, testSecretKey, now)
	other := []byte("what was sent!!")
	req.Body, req.ContentLength = readCloser(other), int64(len(other))
	resp, rb = do(t, http.DefaultClient, req)
	wantXMLError(t, "PUT whose body does not match x-amz-content-sha256", resp, rb, 400, "XAmzContentSHA256Mismatch")
	if got, _ := mustGet(t, c, bucket, "raw.txt"); !bytes.Equal(got, body) {
		t.Errorf("object after a refused PUT = %q, want %q", got, body)
	}
}

// TestSDKVirtualHosted drives the API with virtual-hosted-style addressing: the SDK puts the
// bucket in the Host header (bucket.s3.localhost:port) and the server must take it from there.
func TestSDKVirtualHosted(t *testing.T) {
	srv := sharedServer(t)
	_, port, _ := strings.Cut(srv.api, ":")
	vh := newSDK(t, sdkOpts{endpoint: "http://s3.localhost:" + port})
	path := pathSDK(t, srv)
	ctx := context.Background()
	bucket := newBucketName("vhost")

	if _, err := vh.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("virtual-hosted CreateBucket: %v", err)
	}
	if !vh.audit.sawHost(bucket + ".s3.localhost:" + port) {
		t.Fatalf("the SDK did not use virtual-hosted addressing (Host %s.s3.localhost:%s)", bucket, port)
	}
	body := randBytes(9, 200_000)
	mustPut(t, vh, bucket, "dir/ü file.bin", body)
	if got, _ := mustGet(t, path, bucket, "dir/ü file.bin"); !bytes.Equal(got, body) {
		t.Errorf("object PUT virtual-hosted, GET path-style: differs")
	}
	mustPut(t, path, bucket, "path.txt", []byte("from path style"))
	if got, _ := mustGet(t, vh, bucket, "path.txt"); string(got) != "from path style" {
		t.Errorf("object PUT path-style, GET virtual-hosted: %q", got)
	}
	if keys := strings.Join(listAll(t, vh, bucket), ","); keys != "dir/ü file.bin,path.txt" {
		t.Errorf("virtual-hosted ListObjectsV2: %q", keys)
	}
	// With the bucket in the Host header the whole path is the key, so these keys start the
	// path with "/..", "//" or "/./": nothing may clean or redirect them.
	for _, k := range []string{"../x", "/lead//double", "./dot", "a//b"} {
		mustPut(t, vh, bucket, k, []byte("vh:"+k))
		if got, _ := mustGet(t, path, bucket, k); string(got) != "vh:"+k {
			t.Errorf("virtual-hosted PUT %q, path-style GET: %q", k, got)
		}
		if got, _ := mustGet(t, vh, bucket, k); string(got) != "vh:"+k {
			t.Errorf("virtual-hosted GET %q: %q", k, got)
		}
		if _, err := vh.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)}); err != nil {
			t.Errorf("virtual-hosted DeleteObject %q: %v", k, err)
		}
	}
	lb, err := vh.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets at s3.localhost: %v", err)
	}
	found := false
	for _, b := range lb.Buckets {
		found = found || aws.ToString(b.Name) == bucket
	}
	if !found {
		t.Errorf("ListBuckets at s3.localhost does not list %s", bucket)
	}
	_, err = vh.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")})
	wantAPIError(t, "virtual-hosted GET missing key", err, "NoSuchKey", 404)
	_, err = vh.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("e2e-vhost-missing-bucket")})
	wantAPIError(t, "virtual-hosted HEAD missing bucket", err, "NotFound", 404)
	for _, k := range []string{"dir/ü file.bin", "path.txt"} {
		if _, err := vh.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)}); err != nil {
			t.Errorf("virtual-hosted DeleteObject %q: %v", k, err)
		}
	}
	if _, err := vh.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("virtual-hosted DeleteBucket: %v", err)
	}
}
