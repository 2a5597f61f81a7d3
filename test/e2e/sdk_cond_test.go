package e2e

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestSDKConditionalGet covers If-Match, If-None-Match, If-Modified-Since and
// If-Unmodified-Since on GET and HEAD as the GetObject reference documents them.
func TestSDKConditionalGet(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "cond")
	body := []byte("conditional body")
	etag := mustPut(t, c, bucket, "k", body)
	past := time.Now().Add(-48 * time.Hour)
	future := time.Now().Add(48 * time.Hour)
	const wrong = `"00000000000000000000000000000000"`

	type cond struct {
		ifMatch, ifNoneMatch     string
		ifModSince, ifUnmodSince time.Time
	}
	for _, tc := range []struct {
		name   string
		c      cond
		code   string // "" means 200 with the body
		status int
	}{
		{"If-None-Match current", cond{ifNoneMatch: etag}, "NotModified", 304},
		{"If-None-Match *", cond{ifNoneMatch: "*"}, "NotModified", 304},
		{"If-None-Match other", cond{ifNoneMatch: wrong}, "", 200},
		{"If-Match current", cond{ifMatch: etag}, "", 200},
		{"If-Match *", cond{ifMatch: "*"}, "", 200},
		{"If-Match wrong", cond{ifMatch: wrong}, "PreconditionFailed", 412},
		{"If-Modified-Since future", cond{ifModSince: future}, "NotModified", 304},
		{"If-Modified-Since past", cond{ifModSince: past}, "", 200},
		{"If-Unmodified-Since past", cond{ifUnmodSince: past}, "PreconditionFailed", 412},
		{"If-Unmodified-Since future", cond{ifUnmodSince: future}, "", 200},
		// The GetObject reference: If-Match true and If-Unmodified-Since false -> 200.
		{"If-Match true + If-Unmodified-Since false", cond{ifMatch: etag, ifUnmodSince: past}, "", 200},
		// If-None-Match false and If-Modified-Since true -> 304.
		{"If-None-Match false + If-Modified-Since true", cond{ifNoneMatch: etag, ifModSince: past}, "NotModified", 304},
	} {
		in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")}
		hin := &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")}
		if tc.c.ifMatch != "" {
			in.IfMatch, hin.IfMatch = aws.String(tc.c.ifMatch), aws.String(tc.c.ifMatch)
		}
		if tc.c.ifNoneMatch != "" {
			in.IfNoneMatch, hin.IfNoneMatch = aws.String(tc.c.ifNoneMatch), aws.String(tc.c.ifNoneMatch)
		}
		if !tc.c.ifModSince.IsZero() {
			in.IfModifiedSince, hin.IfModifiedSince = aws.Time(tc.c.ifModSince), aws.Time(tc.c.ifModSince)
		}
		if !tc.c.ifUnmodSince.IsZero() {
			in.IfUnmodifiedSince, hin.IfUnmodifiedSince = aws.Time(tc.c.ifUnmodSince), aws.Time(tc.c.ifUnmodSince)
		}
		out, err := c.GetObject(ctx, in)
		_, herr := c.HeadObject(ctx, hin)
		if tc.code == "" {
			if err != nil {
				t.Errorf("GET %s: %v, want 200", tc.name, err)
			} else {
				got, _ := io.ReadAll(out.Body)
				out.Body.Close()
				if !bytes.Equal(got, body) {
					t.Errorf("GET %s: body %q, want %q", tc.name, got, body)
				}
			}
			if herr != nil {
				t.Errorf("HEAD %s: %v, want 200", tc.name, herr)
			}
			continue
		}
		if err == nil {
			out.Body.Close()
		}
		wantAPIError(t, "GET "+tc.name, err, tc.code, tc.status)
		wantAPIError(t, "HEAD "+tc.name, herr, tc.code, tc.status)
		if tc.status == 304 {
			// RFC 9110 §15.4.5: a 304 carries the ETag a 200 would have carried.
			if h := responseHeader(err); h == nil || h.Get("ETag") != etag {
				t.Errorf("GET %s: 304 without ETag %s (headers %v)", tc.name, etag, h)
			}
		}
	}
}

// TestSDKConditionalPut: If-None-Match: * refuses to overwrite an existing key with 412 and
// leaves it as it was (the PutObject reference, conditional writes).
func TestSDKConditionalPut(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "condput")

	first := []byte("first writer wins")
	out, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("once"), Body: bytes.NewReader(first), IfNoneMatch: aws.String("*"),
	})
	if err != nil {
		t.Fatalf("PutObject If-None-Match * on a new key: %v", err)
	}
	if aws.ToString(out.ETag) != quotedMD5(first) {
		t.Errorf("ETag %s, want %s", aws.ToString(out.ETag), quotedMD5(first))
	}
	for _, size := range []int{10, 512 << 10} {
		_, err = c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket), Key: aws.String("once"), Body: bytes.NewReader(randBytes(3, size)), IfNoneMatch: aws.String("*"),
		})
		wantAPIError(t, "PutObject If-None-Match * on an existing key", err, "PreconditionFailed", 412)
	}
	if got, _ := mustGet(t, c, bucket, "once"); !bytes.Equal(got, first) {
		t.Errorf("after refused conditional PUTs the object is %q, want %q", truncate(got), first)
	}
}
