package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// TestSDKMetadataRoundTrip stores every header S3 keeps with an object and reads them back
// with GET and HEAD, byte for byte.
func TestSDKMetadataRoundTrip(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "meta")

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("<svg>imgcdn</svg>\n"), 200))
	zw.Close()
	body := gz.Bytes()
	expires := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)

	put, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket:             aws.String(bucket),
		Key:                aws.String("img/logo.svgz"),
		Body:               bytes.NewReader(body),
		ContentType:        aws.String("image/svg+xml"),
		CacheControl:       aws.String("public, max-age=31536000, immutable"),
		ContentDisposition: aws.String(`inline; filename="logo.svg"`),
		ContentEncoding:    aws.String("gzip"),
		ContentLanguage:    aws.String("en-GB"),
		Expires:            aws.Time(expires),
		Metadata:           map[string]string{"camera": "X100V", "Mixed-Case": "Value With Spaces"},
	})
	if err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	if got := aws.ToString(put.ETag); got != quotedMD5(body) {
		t.Errorf("PutObject ETag = %s, want %s", got, quotedMD5(body))
	}

	got, out := mustGet(t, c, bucket, "img/logo.svgz")
	if !bytes.Equal(got, body) {
		t.Errorf("GetObject body differs: got %d bytes, want %d (the stored gzip bytes, not decoded)", len(got), len(body))
	}
	// response-* overrides work on an ordinary signed GET too (GetObject reference).
	ov, err := c.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("img/logo.svgz"),
		ResponseContentType: aws.String("application/octet-stream"), ResponseCacheControl: aws.String("no-store"),
	})
	if err != nil {
		t.Fatalf("GetObject with response-* overrides: %v", err)
	}
	readBody(t, ov.Body)
	if aws.ToString(ov.ContentType) != "application/octet-stream" || aws.ToString(ov.CacheControl) != "no-store" || aws.ToString(ov.ContentDisposition) != `inline; filename="logo.svg"` {
		t.Errorf("GetObject with response-* overrides: Content-Type %q Cache-Control %q Content-Disposition %q", aws.ToString(ov.ContentType), aws.ToString(ov.CacheControl), aws.ToString(ov.ContentDisposition))
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("img/logo.svgz")})
	if err != nil {
		t.Fatalf("HeadObject: %v", err)
	}
	for _, v := range []struct {
		what                                             string
		etag, ctype, cache, disp, enc, lang, exp, accept *string
		length                                           *int64
		meta                                             map[string]string
		lastModified                                     *time.Time
	}{
		{"GET", out.ETag, out.ContentType, out.CacheControl, out.ContentDisposition, out.ContentEncoding, out.ContentLanguage, out.ExpiresString, out.AcceptRanges, out.ContentLength, out.Metadata, out.LastModified},
		{"HEAD", head.ETag, head.ContentType, head.CacheControl, head.ContentDisposition, head.ContentEncoding, head.ContentLanguage, head.ExpiresString, head.AcceptRanges, head.ContentLength, head.Metadata, head.LastModified},
	} {
		check := func(field string, got *string, want string) {
			if aws.ToString(got) != want {
				t.Errorf("%s %s = %q, want %q", v.what, field, aws.ToString(got), want)
			}
		}
		check("ETag", v.etag, quotedMD5(body))
		check("Content-Type", v.ctype, "image/svg+xml")
		check("Cache-Control", v.cache, "public, max-age=31536000, immutable")
		check("Content-Disposition", v.disp, `inline; filename="logo.svg"`)
		check("Content-Encoding", v.enc, "gzip")
		check("Content-Language", v.lang, "en-GB")
		check("Expires", v.exp, expires.Format(http.TimeFormat))
		check("Accept-Ranges", v.accept, "bytes")
		if aws.ToInt64(v.length) != int64(len(body)) {
			t.Errorf("%s Content-Length = %d, want %d", v.what, aws.ToInt64(v.length), len(body))
		}
		wantMeta := map[string]string{"camera": "X100V", "mixed-case": "Value With Spaces"}
		if len(v.meta) != len(wantMeta) {
			t.Errorf("%s metadata = %v, want %v", v.what, v.meta, wantMeta)
		}
		for k, want := range wantMeta {
			if v.meta[k] != want {
				t.Errorf("%s x-amz-meta-%s = %q, want %q (all: %v)", v.what, k, v.meta[k], want, v.meta)
			}
		}
		if v.lastModified == nil || time.Since(*v.lastModified) > time.Hour || time.Until(*v.lastModified) > time.Minute {
			t.Errorf("%s Last-Modified = %v, want about now", v.what, v.lastModified)
		}
	}
}

// TestSDKEmptyAndOversizedMetadata: an empty object has the MD5 of nothing as its ETag and no
// satisfiable range; user metadata over 2 KB is refused with MetadataTooLarge (the PutObject
// reference: "the user-defined metadata is limited to 2 KB").
func TestSDKEmptyAndOversizedMetadata(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "empty")

	mustPut(t, c, bucket, "empty", nil)
	got, out := mustGet(t, c, bucket, "empty")
	if len(got) != 0 || aws.ToInt64(out.ContentLength) != 0 || aws.ToString(out.ETag) != `"d41d8cd98f00b204e9800998ecf8427e"` {
		t.Errorf("empty object: %d bytes, Content-Length %d, ETag %s", len(got), aws.ToInt64(out.ContentLength), aws.ToString(out.ETag))
	}
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("empty"), Range: aws.String("bytes=0-0")})
	wantAPIError(t, "GET bytes=0-0 of an empty object", err, "InvalidRange", 416)

	_, err = c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("fat-meta"), Body: bytes.NewReader([]byte("x")),
		Metadata: map[string]string{"big": strings.Repeat("m", 2100)},
	})
	wantAPIError(t, "PutObject with 2.1 KB of user metadata", err, "MetadataTooLarge", 400)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("fat-meta")})
	wantAPIError(t, "HEAD after the refused PUT", err, "NotFound", 404)
}

// TestSDKRange checks single byte ranges (RFC 9110 §14) and the S3 InvalidRange error.
func TestSDKRange(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "range")
	body := randBytes(7, 300_000) // larger than any inline threshold
	small := []byte("0123456789abcdefghij")
	mustPut(t, c, bucket, "big", body)
	mustPut(t, c, bucket, "small", small)

	for _, tc := range []struct {
		key, rng, contentRange string
		want                   []byte
	}{
		{"small", "bytes=10-19", "bytes 10-19/20", small[10:20]},
		{"small", "bytes=5-", "bytes 5-19/20", small[5:]},
		{"small", "bytes=-3", "bytes 17-19/20", small[17:]},
		{"small", "bytes=15-999", "bytes 15-19/20", small[15:]},
		{"small", "bytes=0-0", "bytes 0-0/20", small[:1]},
		{"big", "bytes=131072-196607", "bytes 131072-196607/300000", body[131072:196608]},
		{"big", "bytes=-1", "bytes 299999-299999/300000", body[299999:]},
	} {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(tc.key), Range: aws.String(tc.rng)})
		if err != nil {
			t.Errorf("GET %s Range %s: %v", tc.key, tc.rng, err)
			continue
		}
		got, err := io.ReadAll(out.Body)
		out.Body.Close()
		if err != nil {
			t.Errorf("GET %s Range %s: body: %v", tc.key, tc.rng, err)
		}
		if st := resultStatus(out.ResultMetadata); st != http.StatusPartialContent {
			t.Errorf("GET %s Range %s: status %d, want 206", tc.key, tc.rng, st)
		}
		if aws.ToString(out.ContentRange) != tc.contentRange {
			t.Errorf("GET %s Range %s: Content-Range %q, want %q", tc.key, tc.rng, aws.ToString(out.ContentRange), tc.contentRange)
		}
		if aws.ToInt64(out.ContentLength) != int64(len(tc.want)) || !bytes.Equal(got, tc.want) {
			t.Errorf("GET %s Range %s: got %d bytes (Content-Length %d), want exactly bytes %s", tc.key, tc.rng, len(got), aws.ToInt64(out.ContentLength), tc.contentRange)
		}
		if aws.ToString(out.ETag) != quotedMD5(map[string][]byte{"big": body, "small": small}[tc.key]) {
			t.Errorf("GET %s Range %s: ETag %s is not the whole object's", tc.key, tc.rng, aws.ToString(out.ETag))
		}
	}
	for _, rng := range []string{"bytes=999999-", "bytes=20-", "bytes=20-30"} {
		_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("small"), Range: aws.String(rng)})
		wantAPIError(t, "GET small Range "+rng, err, "InvalidRange", 416)
	}
	// A range S3 does not parse is ignored: the whole object, 200.
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("small"), Range: aws.String("items=1-2")})
	if err != nil {
		t.Fatalf("GET with a non-bytes Range: %v", err)
	}
	got, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if st := resultStatus(out.ResultMetadata); st != 200 || !bytes.Equal(got, small) {
		t.Errorf("GET with Range items=1-2: status %d, %d bytes; want 200 and the whole object", st, len(got))
	}
}

// TestSDKContentMD5 checks Content-MD5 (RFC 1864): a mismatch is BadDigest and leaves the
// previous object untouched.
func TestSDKContentMD5(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "md5")
	old := []byte("the original object")
	mustPut(t, c, bucket, "k", old)

	for _, size := range []int{100, 1 << 20} {
		body := randBytes(uint64(size), size)
		wrong := md5.Sum([]byte("something else"))
		_, err := c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket), Key: aws.String("k"), Body: bytes.NewReader(body),
			ContentMD5: aws.String(base64.StdEncoding.EncodeToString(wrong[:])),
		})
		wantAPIError(t, "PutObject with a wrong Content-MD5", err, "BadDigest", 400)
		if got, _ := mustGet(t, c, bucket, "k"); !bytes.Equal(got, old) {
			t.Errorf("after a BadDigest PUT of %d bytes the object is %q, want the original", size, truncate(got))
		}
		_, err = c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket), Key: aws.String("new-" + strconv.Itoa(size)), Body: bytes.NewReader(body),
			ContentMD5: aws.String(base64.StdEncoding.EncodeToString(wrong[:])),
		})
		wantAPIError(t, "PutObject new key with a wrong Content-MD5", err, "BadDigest", 400)
		_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("new-" + strconv.Itoa(size))})
		wantAPIError(t, "HEAD after a BadDigest PUT", err, "NotFound", 404)
	}
	_, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("k"), Body: bytes.NewReader([]byte("x")), ContentMD5: aws.String("not-base64-md5!"),
	})
	wantAPIError(t, "PutObject with a malformed Content-MD5", err, "InvalidDigest", 400)
	good := []byte("a good body")
	sum := md5.Sum(good)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("k"), Body: bytes.NewReader(good),
		ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
	}); err != nil {
		t.Fatalf("PutObject with a correct Content-MD5: %v", err)
	}
	if got, _ := mustGet(t, c, bucket, "k"); !bytes.Equal(got, good) {
		t.Errorf("after a good PUT: %q, want %q", got, good)
	}
}

// TestSDKAnonymousDenied: until bucket policies exist, unsigned requests are refused with
// 403 AccessDenied in S3 XML.
func TestSDKAnonymousDenied(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	bucket := mustBucket(t, c, "anon")
	mustPut(t, c, bucket, "secret.txt", []byte("not for you"))
	for _, tc := range []struct{ method, path string }{
		{"GET", "/" + bucket + "/secret.txt"},
		{"HEAD", "/" + bucket + "/secret.txt"},
		{"GET", "/" + bucket},
		{"GET", "/"},
		{"PUT", "/" + bucket + "/anon.txt"},
		{"DELETE", "/" + bucket + "/secret.txt"},
	} {
		req, _ := http.NewRequest(tc.method, srv.endpoint()+tc.path, strings.NewReader(""))
		resp, body := do(t, http.DefaultClient, req)
		if tc.method == "HEAD" {
			if resp.StatusCode != 403 || resp.Header.Get("X-Amz-Request-Id") == "" {
				t.Errorf("anonymous HEAD %s: %s, request id %q; want 403 with x-amz-request-id", tc.path, resp.Status, resp.Header.Get("X-Amz-Request-Id"))
			}
			continue
		}
		e := wantXMLError(t, "anonymous "+tc.method+" "+tc.path, resp, body, 403, "AccessDenied")
		if tc.path != "/" && e.Resource != tc.path {
			t.Errorf("anonymous %s %s: Resource %q, want %q", tc.method, tc.path, e.Resource, tc.path)
		}
	}
	if got, _ := mustGet(t, c, bucket, "secret.txt"); string(got) != "not for you" {
		t.Errorf("object changed by anonymous requests: %q", got)
	}
	_, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("anon.txt")})
	wantAPIError(t, "HEAD of the anonymous PUT's key", err, "NotFound", 404)
}

// resultStatus is the HTTP status code of a successful SDK call.
func resultStatus(md middleware.Metadata) int {
	if r, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response); ok {
		return r.StatusCode
	}
	return 0
}
