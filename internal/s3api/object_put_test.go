package s3api

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func crc32b64(data []byte) string {
	v := crc32.ChecksumIEEE(data)
	return b64([]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func TestPutObjectRoundTrip(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	data := []byte("hello, imgcdn")
	sum := md5.Sum(data)
	resp := e.put("bkt", "dir/hello.txt", data,
		"Content-Type", "text/plain", "Cache-Control", "max-age=3600", "Content-Disposition", "inline",
		"Content-Encoding", "identity", "Content-Language", "en", "Expires", "Thu, 01 Dec 1994 16:00:00 GMT",
		"X-Amz-Meta-Camera", "Leica", "X-Amz-Meta-Two-Words", "a b", "Content-MD5", b64(sum[:]),
		"X-Amz-Checksum-Crc32", crc32b64(data))
	wantETag := `"` + hex.EncodeToString(sum[:]) + `"`
	if resp.Header.Get("ETag") != wantETag || resp.Header.Get("X-Amz-Checksum-Crc32") != crc32b64(data) ||
		resp.Header.Get("X-Amz-Checksum-Type") != "FULL_OBJECT" {
		t.Fatalf("PUT answer headers %v", resp.Header)
	}
	info, err := e.store.HeadObject(context.Background(), "bkt", "dir/hello.txt", "")
	if err != nil {
		t.Fatal(err)
	}
	m := info.Meta
	if m.ContentType != "text/plain" || m.CacheControl != "max-age=3600" || m.User["camera"] != "Leica" ||
		m.User["two-words"] != "a b" || m.Expires != "Thu, 01 Dec 1994 16:00:00 GMT" || info.Size != int64(len(data)) {
		t.Errorf("stored %+v", info)
	}
	if info.Checksum == nil || info.Checksum.Algorithm != "CRC32" || info.Checksum.Value != crc32b64(data) {
		t.Errorf("stored checksum %+v", info.Checksum)
	}
	// GET returns the checksum only when asked.
	r, body := e.do(http.MethodGet, "/bkt/dir/hello.txt", nil, "X-Amz-Checksum-Mode", "ENABLED")
	mustStatus(t, r, body, 200)
	if !bytes.Equal(body, data) || r.Header.Get("X-Amz-Checksum-Crc32") != crc32b64(data) || r.Header.Get("ETag") != wantETag {
		t.Errorf("GET %q %v", body, r.Header)
	}
	r, _ = e.do(http.MethodGet, "/bkt/dir/hello.txt", nil)
	if r.Header.Get("X-Amz-Checksum-Crc32") != "" {
		t.Error("checksum returned without x-amz-checksum-mode")
	}

	// No Content-Type: S3's default.
	e.put("bkt", "untyped", []byte("x"))
	r, _ = e.do(http.MethodHead, "/bkt/untyped", nil)
	if r.Header.Get("Content-Type") != "binary/octet-stream" {
		t.Errorf("default Content-Type %q", r.Header.Get("Content-Type"))
	}
	// An empty object.
	resp = e.put("bkt", "empty", nil)
	if resp.Header.Get("ETag") != `"d41d8cd98f00b204e9800998ecf8427e"` {
		t.Errorf("empty ETag %q", resp.Header.Get("ETag"))
	}
}

func TestPutObjectIntegrityFailuresStoreNothing(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	data := []byte("payload")
	other := md5.Sum([]byte("other"))
	tests := []struct {
		name   string
		hdr    []string
		status int
		code   string
	}{
		{"bad-md5", []string{"Content-MD5", b64(other[:])}, 400, "BadDigest"},
		{"malformed-md5", []string{"Content-MD5", "not base64!"}, 400, "InvalidDigest"},
		{"short-md5", []string{"Content-MD5", b64([]byte("short"))}, 400, "InvalidDigest"},
		{"bad-crc32", []string{"X-Amz-Checksum-Crc32", crc32b64([]byte("other"))}, 400, "BadDigest"},
		{"malformed-crc32", []string{"X-Amz-Checksum-Crc32", "AAAA"}, 400, "InvalidRequest"},
		{"two-checksums", []string{"X-Amz-Checksum-Crc32", crc32b64(data), "X-Amz-Checksum-Sha1", b64(make([]byte, 20))}, 400, "InvalidRequest"},
		{"unknown-algorithm", []string{"X-Amz-Checksum-Foo", "AAAA"}, 400, "InvalidRequest"},
		{"sdk-alg-without-value", []string{"X-Amz-Sdk-Checksum-Algorithm", "CRC32"}, 400, "InvalidRequest"},
		{"if-none-match-etag", []string{"If-None-Match", `"abc"`}, 501, "NotImplemented"},
		{"sse-c", []string{"X-Amz-Server-Side-Encryption-Customer-Algorithm", "AES256"}, 501, "NotImplemented"},
		{"public-acl", []string{"X-Amz-Acl", "public-read"}, 400, "AccessControlListNotSupported"},
		{"storage-class", []string{"X-Amz-Storage-Class", "FLOPPY"}, 400, "InvalidStorageClass"},
		{"meta-too-large", []string{"X-Amz-Meta-Big", strings.Repeat("x", 2048)}, 400, "MetadataTooLarge"},
	}
	for _, tc := range tests {
		resp, body := e.do(http.MethodPut, "/bkt/"+tc.name, data, tc.hdr...)
		mustError(t, resp, body, tc.status, tc.code)
		if _, err := e.store.HeadObject(context.Background(), "bkt", tc.name, ""); err == nil {
			t.Errorf("%s: object stored despite %s", tc.name, tc.code)
		}
	}

	// The signed payload hash must match the body.
	r := e.req(http.MethodPut, "/bkt/sha-mismatch", data)
	e.sign(r, []byte("something else"))
	resp, body := e.send(r)
	mustError(t, resp, body, http.StatusBadRequest, "XAmzContentSHA256Mismatch")
	if _, err := e.store.HeadObject(context.Background(), "bkt", "sha-mismatch", ""); err == nil {
		t.Error("object stored despite a payload hash mismatch")
	}

	// A body without a length.
	r = e.req(http.MethodPut, "/bkt/no-length", nil)
	r.Body = readCloser{strings.NewReader("abc")}
	r.ContentLength = -1
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	resp, body = e.send(e.sign(r, nil))
	mustError(t, resp, body, http.StatusLengthRequired, "MissingContentLength")

	// An overwrite that fails leaves the previous object readable.
	e.put("bkt", "keep", []byte("v1"))
	resp, body = e.do(http.MethodPut, "/bkt/keep", []byte("v2"), "Content-MD5", b64(other[:]))
	mustError(t, resp, body, http.StatusBadRequest, "BadDigest")
	resp, body = e.do(http.MethodGet, "/bkt/keep", nil)
	if string(body) != "v1" {
		t.Errorf("previous object: %q", body)
	}
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

func TestPutObjectTooLarge(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxObjectSize = 10 })
	e.createBucket("bkt")
	resp, body := e.do(http.MethodPut, "/bkt/big", []byte("01234567890"))
	mustError(t, resp, body, http.StatusBadRequest, "EntityTooLarge")
	e.put("bkt", "fits", []byte("0123456789"))
}

func TestConditionalPut(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	e.put("bkt", "k", []byte("v1"), "If-None-Match", "*")
	resp, body := e.do(http.MethodPut, "/bkt/k", []byte("v2"), "If-None-Match", "*")
	mustError(t, resp, body, http.StatusPreconditionFailed, "PreconditionFailed")
	info, err := e.store.HeadObject(context.Background(), "bkt", "k", "")
	if err != nil {
		t.Fatal(err)
	}
	resp, body = e.do(http.MethodPut, "/bkt/k", []byte("v2"), "If-Match", `"0123456789abcdef0123456789abcdef"`)
	mustError(t, resp, body, http.StatusPreconditionFailed, "PreconditionFailed")
	e.put("bkt", "k", []byte("v2"), "If-Match", `"`+info.ETag+`"`)
	resp, body = e.do(http.MethodPut, "/bkt/absent", []byte("v"), "If-Match", `"`+info.ETag+`"`)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchKey")
	_, body = e.do(http.MethodGet, "/bkt/k", nil)
	if string(body) != "v2" {
		t.Errorf("got %q", body)
	}
}

func TestPutObjectUnsignedPayload(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	r := e.req(http.MethodPut, "/bkt/unsigned", []byte("data"))
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	resp, body := e.send(e.sign(r, nil))
	mustStatus(t, resp, body, 200)
	info, err := e.store.HeadObject(context.Background(), "bkt", "unsigned", "")
	if err != nil || info.Size != 4 {
		t.Fatalf("%+v %v", info, err)
	}
}

// trackedBody records whether the client transport ever read the body.
type trackedBody struct {
	r    *bytes.Reader
	read *atomic.Bool
}

func (b trackedBody) Read(p []byte) (int, error) { b.read.Store(true); return b.r.Read(p) }
func (b trackedBody) Close() error               { return nil }

// TestExpect100Continue checks that a refused upload is answered before its body is sent,
// and an accepted one proceeds: net/http sends "100 Continue" only once the handler reads.
func TestExpect100Continue(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	defer client.CloseIdleConnections()
	data := bytes.Repeat([]byte("x"), 1<<20)
	send := func(signed bool) (*http.Response, bool) {
		r := e.req(http.MethodPut, "/bkt/expect", nil)
		r.Header.Set("Expect", "100-continue")
		r.ContentLength = int64(len(data))
		if signed {
			e.sign(r, data)
		}
		var read atomic.Bool
		r.Body = trackedBody{bytes.NewReader(data), &read}
		resp, err := client.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp, read.Load()
	}
	resp, read := send(false)
	if resp.StatusCode != http.StatusForbidden || read {
		t.Errorf("anonymous upload: status %d, body sent %v", resp.StatusCode, read)
	}
	resp, read = send(true)
	if resp.StatusCode != http.StatusOK || !read {
		t.Errorf("signed upload: status %d, body sent %v", resp.StatusCode, read)
	}
	info, err := e.store.HeadObject(context.Background(), "bkt", "expect", "")
	if err != nil || info.Size != int64(len(data)) {
		t.Errorf("stored %+v %v", info, err)
	}
}

// TestExpect100ContinueEmptyBody checks that an empty upload with "Expect: 100-continue"
// gets "100 Continue" before its answer, as from S3, and that the connection then serves the
// next request normally: botocore misreads the next answer on the connection otherwise.
func TestExpect100ContinueEmptyBody(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	conn, err := net.Dial("tcp", e.ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	for i, body := range [][]byte{nil, []byte("after the empty one")} {
		r := e.req(http.MethodPut, "/bkt/k"+strconv.Itoa(i), body)
		r.Header.Set("Expect", "100-continue")
		e.sign(r, body)
		if err := r.Write(conn); err != nil { // writes headers and body at once
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, r)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusContinue {
			t.Fatalf("request %d: first answer %d, want 100 Continue", i, resp.StatusCode)
		}
		resp, err = http.ReadResponse(br, r)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
			t.Fatalf("request %d: final answer %d %v", i, resp.StatusCode, resp.Header)
		}
	}
}
