package s3api

import (
	"context"
	"encoding/xml"
	"net/http"
	"testing"
	"time"
)

type copyResultDoc struct {
	ETag, LastModified, ChecksumCRC32, ChecksumType string
}

func TestCopyObject(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("src-bkt")
	e.createBucket("dst-bkt")
	data := []byte("copy me")
	put := e.put("src-bkt", "a b/src+1.txt", data, "Content-Type", "text/plain", "X-Amz-Meta-Origin", "camera",
		"X-Amz-Checksum-Crc32", crc32b64(data))
	etag := put.Header.Get("ETag")

	// COPY (default): the source's metadata; the checksum is recomputed.
	resp, body := e.do(http.MethodPut, "/dst-bkt/copy", nil, "X-Amz-Copy-Source", "/src-bkt/"+escapeKey("a b/src+1.txt"))
	mustStatus(t, resp, body, 200)
	var res copyResultDoc
	if err := xml.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if res.ETag != etag || res.ChecksumCRC32 != crc32b64(data) || res.ChecksumType != "FULL_OBJECT" {
		t.Errorf("CopyObjectResult %+v (source ETag %s)", res, etag)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", res.LastModified); err != nil {
		t.Errorf("LastModified %q: %v", res.LastModified, err)
	}
	r, got := e.do(http.MethodGet, "/dst-bkt/copy", nil)
	if string(got) != string(data) || r.Header.Get("Content-Type") != "text/plain" || r.Header.Get("X-Amz-Meta-Origin") != "camera" {
		t.Errorf("copy reads %q %v", got, r.Header)
	}

	// REPLACE: the request's metadata.
	resp, body = e.do(http.MethodPut, "/dst-bkt/replaced", nil, "X-Amz-Copy-Source", "src-bkt/"+escapeKey("a b/src+1.txt"),
		"X-Amz-Metadata-Directive", "REPLACE", "Content-Type", "image/png", "X-Amz-Meta-New", "yes")
	mustStatus(t, resp, body, 200)
	info, err := e.store.HeadObject(context.Background(), "dst-bkt", "replaced", "")
	if err != nil || info.Meta.ContentType != "image/png" || info.Meta.User["new"] != "yes" || info.Meta.User["origin"] != "" {
		t.Errorf("replaced metadata %+v %v", info.Meta, err)
	}

	// Onto itself: only with a change.
	resp, body = e.do(http.MethodPut, "/src-bkt/"+escapeKey("a b/src+1.txt"), nil, "X-Amz-Copy-Source", "src-bkt/"+escapeKey("a b/src+1.txt"))
	mustError(t, resp, body, http.StatusBadRequest, "InvalidRequest")
	resp, body = e.do(http.MethodPut, "/src-bkt/"+escapeKey("a b/src+1.txt"), nil, "X-Amz-Copy-Source", "src-bkt/"+escapeKey("a b/src+1.txt"),
		"X-Amz-Metadata-Directive", "REPLACE", "Content-Type", "text/html")
	mustStatus(t, resp, body, 200)

	// Errors.
	resp, body = e.do(http.MethodPut, "/dst-bkt/x", nil, "X-Amz-Copy-Source", "src-bkt/missing")
	d := mustError(t, resp, body, http.StatusNotFound, "NoSuchKey")
	if d.Key != "missing" {
		t.Errorf("NoSuchKey names %q, want the source key", d.Key)
	}
	resp, body = e.do(http.MethodPut, "/dst-bkt/x", nil, "X-Amz-Copy-Source", "nobucket/k")
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
	resp, body = e.do(http.MethodPut, "/dst-bkt/x", nil, "X-Amz-Copy-Source", "src-bkt/k", "X-Amz-Metadata-Directive", "MERGE")
	mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
	resp, body = e.do(http.MethodPut, "/dst-bkt/x", nil, "X-Amz-Copy-Source", "src-bkt")
	mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
}

func TestCopyObjectSourceConditions(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	put := e.put("bkt", "src", []byte("x"))
	etag := put.Header.Get("ETag")
	info, _ := e.store.HeadObject(context.Background(), "bkt", "src", "")
	before := info.LastModified.Add(-time.Hour).UTC().Format(http.TimeFormat)
	after := info.LastModified.Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		hdr []string
		ok  bool
	}{
		{[]string{"X-Amz-Copy-Source-If-Match", etag}, true},
		{[]string{"X-Amz-Copy-Source-If-Match", `"other"`}, false},
		{[]string{"X-Amz-Copy-Source-If-None-Match", etag}, false},
		{[]string{"X-Amz-Copy-Source-If-None-Match", `"other"`}, true},
		{[]string{"X-Amz-Copy-Source-If-Modified-Since", before}, true},
		{[]string{"X-Amz-Copy-Source-If-Modified-Since", after}, false},
		{[]string{"X-Amz-Copy-Source-If-Unmodified-Since", before}, false},
		{[]string{"X-Amz-Copy-Source-If-Unmodified-Since", after}, true},
		// The documented combinations.
		{[]string{"X-Amz-Copy-Source-If-Match", etag, "X-Amz-Copy-Source-If-Unmodified-Since", before}, true},
		{[]string{"X-Amz-Copy-Source-If-None-Match", etag, "X-Amz-Copy-Source-If-Modified-Since", before}, false},
	}
	for _, tc := range tests {
		hdr := append([]string{"X-Amz-Copy-Source", "bkt/src"}, tc.hdr...)
		resp, body := e.do(http.MethodPut, "/bkt/dst", nil, hdr...)
		if tc.ok {
			mustStatus(t, resp, body, 200)
		} else {
			mustError(t, resp, body, http.StatusPreconditionFailed, "PreconditionFailed")
		}
	}
}
