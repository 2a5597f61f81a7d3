package s3api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// seed stores an object straight into the store, bypassing the PUT handler.
func (e *testEnv) seed(bucket, key string, data []byte, meta objstore.Metadata) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.store.PutObject(context.Background(), objstore.PutInput{
		Bucket: bucket, Key: key, Body: bytes.NewReader(data), Size: int64(len(data)), Meta: meta,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return info
}

func TestGetAndHeadObject(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("photos")
	data := []byte("0123456789abcdefghij")
	info := e.seed("photos", "dir/a b+c.txt", data, objstore.Metadata{
		ContentType: "text/plain", CacheControl: "max-age=60", ContentDisposition: "inline",
		ContentEncoding: "identity", ContentLanguage: "en", Expires: "Thu, 01 Dec 1994 16:00:00 GMT",
		StorageClass: "STANDARD_IA", User: map[string]string{"color": "blue", "x-y": "z"},
	})
	path := "/photos/" + escapeKey("dir/a b+c.txt")

	for _, method := range []string{http.MethodGet, http.MethodHead} {
		resp, body := e.do(method, path, nil)
		mustStatus(t, resp, body, 200)
		h := resp.Header
		want := map[string]string{
			"ETag": `"` + info.ETag + `"`, "Last-Modified": info.LastModified.UTC().Format(http.TimeFormat),
			"Content-Length": "20", "Content-Type": "text/plain", "Accept-Ranges": "bytes",
			"Cache-Control": "max-age=60", "Content-Disposition": "inline", "Content-Encoding": "identity",
			"Content-Language": "en", "Expires": "Thu, 01 Dec 1994 16:00:00 GMT",
			"X-Amz-Storage-Class": "STANDARD_IA", "X-Amz-Meta-Color": "blue", "X-Amz-Meta-X-Y": "z",
		}
		for k, v := range want {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", method, k, h.Get(k), v)
			}
		}
		if h.Get("X-Amz-Version-Id") != "" || h.Get("X-Amz-Mp-Parts-Count") != "" {
			t.Errorf("%s: unexpected version/parts headers %v", method, h)
		}
		if method == http.MethodGet && !bytes.Equal(body, data) {
			t.Errorf("GET body %q", body)
		}
		if method == http.MethodHead && len(body) != 0 {
			t.Errorf("HEAD body %q", body)
		}
	}

	resp, body := e.do(http.MethodGet, "/photos/missing", nil)
	d := mustError(t, resp, body, http.StatusNotFound, "NoSuchKey")
	if d.Key != "missing" || d.Resource != "/photos/missing" {
		t.Errorf("NoSuchKey details %+v", d)
	}
	resp, body = e.do(http.MethodHead, "/photos/missing", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchKey")
	resp, body = e.do(http.MethodGet, "/nobucket/missing", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
}

func TestGetObjectRanges(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	data := []byte("0123456789")
	e.seed("bkt", "k", data, objstore.Metadata{})
	e.seed("bkt", "empty", nil, objstore.Metadata{})
	tests := []struct {
		rng          string
		status       int
		body, cRange string
	}{
		{"bytes=0-0", 206, "0", "bytes 0-0/10"},
		{"bytes=2-5", 206, "2345", "bytes 2-5/10"},
		{"bytes=7-", 206, "789", "bytes 7-9/10"},
		{"bytes=-3", 206, "789", "bytes 7-9/10"},
		{"bytes=5-100", 206, "56789", "bytes 5-9/10"},
		{"bytes=0-1,3-4", 200, "0123456789", ""}, // several ranges: the whole object, as S3
		{"bytes=5-2", 200, "0123456789", ""},     // invalid syntax is ignored
		{"items=0-1", 200, "0123456789", ""},
	}
	for _, tc := range tests {
		resp, body := e.do(http.MethodGet, "/bkt/k", nil, "Range", tc.rng)
		mustStatus(t, resp, body, tc.status)
		if string(body) != tc.body || resp.Header.Get("Content-Range") != tc.cRange ||
			resp.Header.Get("Content-Length") != strconv.Itoa(len(tc.body)) {
			t.Errorf("%s: body %q Content-Range %q Content-Length %q", tc.rng, body, resp.Header.Get("Content-Range"), resp.Header.Get("Content-Length"))
		}
	}
	for _, c := range []struct{ key, rng, size string }{{"k", "bytes=10-", "10"}, {"k", "bytes=-0", "10"}, {"empty", "bytes=0-", "0"}} {
		resp, body := e.do(http.MethodGet, "/bkt/"+c.key, nil, "Range", c.rng)
		d := mustError(t, resp, body, http.StatusRequestedRangeNotSatisfiable, "InvalidRange")
		if d.Size != c.size || resp.Header.Get("Content-Range") != "bytes */"+c.size {
			t.Errorf("%s %s: ActualObjectSize %q Content-Range %q", c.key, c.rng, d.Size, resp.Header.Get("Content-Range"))
		}
	}
	// partNumber on a single-part object: part 1 is the object.
	resp, body := e.do(http.MethodGet, "/bkt/k?partNumber=1", nil)
	mustStatus(t, resp, body, 206)
	if string(body) != "0123456789" || resp.Header.Get("Content-Range") != "bytes 0-9/10" {
		t.Errorf("part 1: %q %q", body, resp.Header.Get("Content-Range"))
	}
	resp, body = e.do(http.MethodGet, "/bkt/k?partNumber=2", nil)
	mustError(t, resp, body, http.StatusRequestedRangeNotSatisfiable, "InvalidPartNumber")
	resp, body = e.do(http.MethodGet, "/bkt/k?partNumber=0", nil)
	mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
	resp, body = e.do(http.MethodGet, "/bkt/k?partNumber=1", nil, "Range", "bytes=0-1")
	mustError(t, resp, body, http.StatusBadRequest, "InvalidRequest")
}

func TestGetObjectConditionals(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	info := e.seed("bkt", "k", []byte("hello"), objstore.Metadata{})
	etag := `"` + info.ETag + `"`
	before := info.LastModified.Add(-time.Hour).UTC().Format(http.TimeFormat)
	after := info.LastModified.Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name   string
		hdr    []string
		status int
	}{
		{"if-match", []string{"If-Match", etag}, 200},
		{"if-match-star", []string{"If-Match", "*"}, 200},
		{"if-match-fails", []string{"If-Match", `"nope"`}, 412},
		{"if-none-match", []string{"If-None-Match", etag}, 304},
		{"if-none-match-other", []string{"If-None-Match", `"nope"`}, 200},
		{"if-modified-since-before", []string{"If-Modified-Since", before}, 200},
		{"if-modified-since-after", []string{"If-Modified-Since", after}, 304},
		{"if-unmodified-since-before", []string{"If-Unmodified-Since", before}, 412},
		{"if-unmodified-since-after", []string{"If-Unmodified-Since", after}, 200},
		// S3's documented combinations.
		{"match-true-unmodified-false", []string{"If-Match", etag, "If-Unmodified-Since", before}, 200},
		{"nonematch-false-modified-true", []string{"If-None-Match", etag, "If-Modified-Since", before}, 304},
	}
	for _, tc := range tests {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			resp, body := e.do(method, "/bkt/k", nil, tc.hdr...)
			switch tc.status {
			case 412:
				mustError(t, resp, body, 412, "PreconditionFailed")
			case 304:
				mustStatus(t, resp, body, 304)
				if resp.Header.Get("ETag") != etag || len(body) != 0 {
					t.Errorf("%s %s: 304 without ETag or with a body", tc.name, method)
				}
			default:
				mustStatus(t, resp, body, tc.status)
			}
		}
	}
}

func TestGetObjectResponseOverrides(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	e.seed("bkt", "k", []byte("x"), objstore.Metadata{ContentType: "image/png"})
	q := "?response-content-type=text%2Fplain&response-content-language=fr&response-expires=Wed%2C%2021%20Oct%202015%2007%3A28%3A00%20GMT" +
		"&response-cache-control=no-cache&response-content-disposition=attachment%3B%20filename%3D%22a.txt%22&response-content-encoding=gzip"
	resp, body := e.do(http.MethodGet, "/bkt/k"+q, nil)
	mustStatus(t, resp, body, 200)
	for k, v := range map[string]string{
		"Content-Type": "text/plain", "Content-Language": "fr", "Expires": "Wed, 21 Oct 2015 07:28:00 GMT",
		"Cache-Control": "no-cache", "Content-Disposition": `attachment; filename="a.txt"`, "Content-Encoding": "gzip",
	} {
		if resp.Header.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, resp.Header.Get(k), v)
		}
	}
	// Anonymous requests may not use them: InvalidRequest (checked once the request is
	// authorized, so the authorizer must let anonymous reads through to see it).
	e2 := newTestEnv(t, func(c *Config) {
		c.Authorizer = AuthorizerFunc(func(context.Context, AuthzRequest) error { return nil })
	})
	e2.createBucket("bkt")
	e2.seed("bkt", "k", []byte("x"), objstore.Metadata{})
	resp, body = e2.send(e2.req(http.MethodGet, "/bkt/k?response-content-type=text%2Fplain", nil))
	d := mustError(t, resp, body, http.StatusBadRequest, "InvalidRequest")
	if !strings.Contains(d.Message, "anonymous") {
		t.Errorf("message %q", d.Message)
	}
	resp, body = e2.send(e2.req(http.MethodGet, "/bkt/k", nil))
	mustStatus(t, resp, body, 200)
}

func TestKeysAreData(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	keys := []string{"../x", "a//b", "a%2Fb", "sp ace", "plus+sign", "emoji😀", "trailing/", "q?uery#frag", "100%", strings.Repeat("k", 1024)}
	for _, k := range keys {
		e.seed("bkt", k, []byte(k), objstore.Metadata{})
	}
	for _, k := range keys {
		resp, body := e.do(http.MethodGet, "/bkt/"+escapeKey(k), nil)
		mustStatus(t, resp, body, 200)
		if string(body) != k {
			t.Errorf("key %q read back %q", k, body)
		}
	}
	resp, body := e.do(http.MethodGet, "/bkt/"+strings.Repeat("k", 1025), nil)
	mustError(t, resp, body, http.StatusBadRequest, "KeyTooLongError")
}

func TestDeleteObject(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	e.seed("bkt", "k", []byte("x"), objstore.Metadata{})
	for i := 0; i < 2; i++ { // the second time the key is absent: still 204
		resp, body := e.do(http.MethodDelete, "/bkt/k", nil)
		mustStatus(t, resp, body, http.StatusNoContent)
	}
	resp, body := e.do(http.MethodGet, "/bkt/k", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchKey")
	resp, body = e.do(http.MethodDelete, "/nobucket/k", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
}
