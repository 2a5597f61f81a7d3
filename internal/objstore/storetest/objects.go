package storetest

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// sizes straddle the usual inline thresholds (4, 64 KiB) and buffer sizes (32, 256 KiB).
var sizes = []int{0, 1, 4095, 4096, 64<<10 - 1, 64 << 10, 64<<10 + 1, 256<<10 + 7, 1<<20 + 3}

func testRoundTrip(e *env) {
	b := e.bucket("bkt")
	for i, n := range sizes {
		key := "obj/" + strings.Repeat("x", i)
		body := payload(uint64(i), n)
		before := time.Now().Add(-time.Second)
		info := e.put(b, key, body)
		if info.Bucket != b || info.Key != key || info.VersionID != objstore.NullVersionID || info.PartsCount != 0 {
			e.t.Fatalf("PutObject info = %+v", info)
		}
		if info.LastModified.Before(before) || info.LastModified.After(time.Now().Add(time.Second)) {
			e.t.Fatalf("LastModified %v is not now", info.LastModified)
		}
		h := e.head(b, key)
		if h.ETag != info.ETag || h.Size != int64(n) || !h.LastModified.Equal(info.LastModified) || !h.IsLatest {
			e.t.Fatalf("HeadObject = %+v, want %+v", h, info)
		}
		e.wantBody(b, key, body)
		// Size -1: the body is read to its end.
		info2, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: key + "-unsized", Body: bytes.NewReader(body), Size: -1})
		if err != nil || info2.Size != int64(n) || info2.ETag != md5hex(body) {
			e.t.Fatalf("PutObject with Size -1 = %+v, %v", info2, err)
		}
		e.wantBody(b, key+"-unsized", body)
	}
	// Version ids: unversioned buckets hold the "null" version only.
	if _, err := e.s.HeadObject(e.ctx, b, "obj/", objstore.NullVersionID); err != nil {
		e.t.Fatalf("HeadObject(versionId=null): %v", err)
	}
	_, err := e.s.HeadObject(e.ctx, b, "obj/", "3HL4kqtJlcpXroDTDmJ")
	e.wantErr("HeadObject of another version", err, objstore.ErrNoSuchVersion)
	_, err = e.s.OpenObject(e.ctx, b, "missing", "")
	e.wantErr("OpenObject of a missing key", err, objstore.ErrNoSuchKey)
}

func testMetadata(e *env) {
	b := e.bucket("bkt")
	meta := objstore.Metadata{
		ContentType:        "image/webp",
		CacheControl:       "max-age=31536000, immutable",
		ContentDisposition: `attachment; filename="a b.webp"`,
		ContentEncoding:    "identity",
		ContentLanguage:    "fr-CA",
		Expires:            "Thu, 01 Dec 1994 16:00:00 GMT",
		User:               map[string]string{"author": "Zoë", "empty": "", "x-y": "1=2; 3"},
		StorageClass:       "STANDARD_IA",
	}
	sum := &objstore.Checksum{Algorithm: "CRC32", Value: "AAAAAA==", Type: "FULL_OBJECT"}
	r := &eofTracker{r: bytes.NewReader(payload(1, 100<<10))}
	calledAfterEOF := false
	info, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: "m", Meta: meta, Body: r, Size: 100 << 10,
		Checksum: func() *objstore.Checksum { calledAfterEOF = r.eof; return sum }})
	if err != nil {
		e.t.Fatal(err)
	}
	if !calledAfterEOF {
		e.t.Fatal("PutInput.Checksum was called before the body returned io.EOF")
	}
	for _, got := range []objstore.ObjectInfo{info, e.head(b, "m")} {
		if !reflect.DeepEqual(got.Meta, meta) {
			e.t.Fatalf("Meta = %+v, want %+v", got.Meta, meta)
		}
		if got.Checksum == nil || *got.Checksum != *sum {
			e.t.Fatalf("Checksum = %+v, want %+v", got.Checksum, sum)
		}
	}
	o, err := e.s.OpenObject(e.ctx, b, "m", "")
	if err != nil {
		e.t.Fatal(err)
	}
	defer o.Close()
	if got := o.Info(); !maps.Equal(got.Meta.User, meta.User) || got.Meta.ContentType != meta.ContentType {
		e.t.Fatalf("Object.Info().Meta = %+v", got.Meta)
	}
	// Listings carry size, ETag, time and storage class.
	res, err := e.s.ListObjects(e.ctx, b, objstore.ListInput{MaxKeys: 10})
	if err != nil || len(res.Objects) != 1 {
		e.t.Fatalf("ListObjects = %+v, %v", res, err)
	}
	if l := res.Objects[0]; l.Size != info.Size || l.ETag != info.ETag || !l.LastModified.Equal(info.LastModified) || l.Meta.StorageClass != "STANDARD_IA" {
		e.t.Fatalf("listed %+v, want %+v", l, info)
	}
}

// eofTracker records whether its reader has returned io.EOF.
type eofTracker struct {
	r   io.Reader
	eof bool
}

func (t *eofTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err == io.EOF {
		t.eof = true
	}
	return n, err
}

func testOverwrite(e *env) {
	b := e.bucket("bkt")
	// Every pair of sizes, so inline and file bodies replace each other both ways.
	for i, n := range []int{10, 300 << 10, 0, 70 << 10, 5} {
		body := payload(uint64(100+i), n)
		e.put(b, "k", body)
		e.wantBody(b, "k", body)
	}
	if keys := e.keysOf(b); !slices.Equal(keys, []string{"k"}) {
		e.t.Fatalf("after overwrites the bucket lists %v", keys)
	}
}

func testDelete(e *env) {
	b := e.bucket("bkt")
	for i, n := range []int{3, 200 << 10} {
		body := payload(uint64(i), n)
		want := e.put(b, "k", body)
		got, err := e.s.DeleteObject(e.ctx, b, "k", "")
		if err != nil || got.ETag != want.ETag || got.Key != "k" {
			e.t.Fatalf("DeleteObject = %+v, %v; want the deleted object's info", got, err)
		}
		_, err = e.s.HeadObject(e.ctx, b, "k", "")
		e.wantErr("HeadObject after delete", err, objstore.ErrNoSuchKey)
		if _, err := e.s.DeleteObject(e.ctx, b, "k", ""); err != nil {
			e.t.Fatalf("deleting an absent key: %v", err)
		}
	}
	// A version id that is not current deletes nothing.
	body := []byte("stay")
	e.put(b, "k", body)
	if _, err := e.s.DeleteObject(e.ctx, b, "k", "3HL4kqtJlcpXroDTDmJ"); err != nil {
		e.t.Fatal(err)
	}
	e.wantBody(b, "k", body)
	if _, err := e.s.DeleteObject(e.ctx, b, "k", objstore.NullVersionID); err != nil {
		e.t.Fatal(err)
	}
	if keys := e.keysOf(b); len(keys) != 0 {
		e.t.Fatalf("after deleting version null the bucket lists %v", keys)
	}
}

func testKeyValidation(e *env) {
	b := e.bucket("bkt")
	long := strings.Repeat("k", objstore.MaxKeyLength)
	e.put(b, long, []byte("max"))
	e.wantBody(b, long, []byte("max"))
	for _, tc := range []struct {
		key  string
		want error
	}{
		{"", objstore.ErrInvalidKey},
		{long + "k", objstore.ErrKeyTooLong},
		{strings.Repeat("é", objstore.MaxKeyLength/2) + "x", objstore.ErrKeyTooLong}, // bytes, not runes
		{"bad\xffutf8", objstore.ErrInvalidKey},
	} {
		_, err := e.s.PutObject(e.ctx, objstore.PutInput{Bucket: b, Key: tc.key, Body: bytes.NewReader(nil)})
		e.wantErr(fmt.Sprintf("PutObject with a %d-byte key", len(tc.key)), err, tc.want)
		_, err = e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: tc.key})
		e.wantErr("CreateMultipartUpload", err, tc.want)
	}
}

// awkwardKeys are keys that would escape or alias a directory if a store used them as paths.
var awkwardKeys = []string{
	"../x", "../../../../etc/passwd", "..", ".", "./a", "a/../b", "a//b", "//", "/leading",
	"trailing/", "%2F", "a%2Fb", "%2e%2e%2f", " spaced key ", "tab\tkey", "new\nline",
	"emoji 🎉📦", "ünïcödé/キー", `back\slash\..\x`, "C:\\x", "CON", "x?y#z&w=1", "*", "a:b",
	strings.Repeat("é", objstore.MaxKeyLength/2),
}

func testAwkwardKeys(e *env) {
	b := e.bucket("bkt")
	for i, k := range awkwardKeys {
		body := append([]byte(k), byte(i))
		e.put(b, k, body)
	}
	for i, k := range awkwardKeys {
		e.wantBody(b, k, append([]byte(k), byte(i)))
	}
	want := slices.Clone(awkwardKeys)
	slices.Sort(want)
	if got := e.keysOf(b); !slices.Equal(got, want) {
		e.t.Fatalf("listed keys\n%q\nwant\n%q", got, want)
	}
	for _, k := range awkwardKeys {
		if _, err := e.s.DeleteObject(e.ctx, b, k, ""); err != nil {
			e.t.Fatalf("DeleteObject(%q): %v", k, err)
		}
	}
	if got := e.keysOf(b); len(got) != 0 {
		e.t.Fatalf("after deleting every key the bucket lists %q", got)
	}
}
