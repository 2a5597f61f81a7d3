package s3api

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"net/http"
	"strings"
	"testing"
)

type initiateDoc struct{ Bucket, Key, UploadId string }

func (e *testEnv) createUpload(bucket, key string, hdr ...string) string {
	e.t.Helper()
	resp, body := e.do(http.MethodPost, "/"+bucket+"/"+escapeKey(key)+"?uploads", nil, hdr...)
	mustStatus(e.t, resp, body, 200)
	var d initiateDoc
	if err := xml.Unmarshal(body, &d); err != nil {
		e.t.Fatal(err)
	}
	if d.Bucket != bucket || d.Key != key || d.UploadId == "" {
		e.t.Fatalf("InitiateMultipartUploadResult %+v", d)
	}
	return d.UploadId
}

func (e *testEnv) uploadPart(bucket, key, id string, n int, data []byte, hdr ...string) string {
	e.t.Helper()
	resp, body := e.do(http.MethodPut, fmt.Sprintf("/%s/%s?partNumber=%d&uploadId=%s", bucket, escapeKey(key), n, id), data, hdr...)
	mustStatus(e.t, resp, body, 200)
	return resp.Header.Get("ETag")
}

func completeBody(etags []string, checksums []string) []byte {
	var b strings.Builder
	b.WriteString(`<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)
	for i, et := range etags {
		fmt.Fprintf(&b, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag>", i+1, et)
		if checksums != nil {
			fmt.Fprintf(&b, "<ChecksumCRC32>%s</ChecksumCRC32>", checksums[i])
		}
		b.WriteString("</Part>")
	}
	b.WriteString("</CompleteMultipartUpload>")
	return []byte(b.String())
}

func TestMultipartUpload(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	key := "big/object name.bin"
	id := e.createUpload("bkt", key, "Content-Type", "video/mp2t", "X-Amz-Meta-Take", "3",
		"X-Amz-Checksum-Algorithm", "CRC32")
	parts := [][]byte{bytes.Repeat([]byte("a"), testMinPart), bytes.Repeat([]byte("b"), testMinPart), []byte("tail")}
	var etags, sums []string
	md5s := md5.New()
	crcs := crc32.NewIEEE()
	for i, p := range parts {
		// Part 2 sends its checksum; parts 1 and 3 let the server compute it.
		var hdr []string
		if i == 1 {
			hdr = []string{"X-Amz-Checksum-Crc32", crc32b64(p)}
		}
		etag := e.uploadPart("bkt", key, id, i+1, p, hdr...)
		sum := md5.Sum(p)
		if etag != `"`+hex.EncodeToString(sum[:])+`"` {
			t.Fatalf("part %d ETag %s", i+1, etag)
		}
		etags, sums = append(etags, etag), append(sums, crc32b64(p))
		md5s.Write(sum[:])
		c := crc32.ChecksumIEEE(p)
		crcs.Write([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
	}

	// ListParts, paged.
	resp, body := e.do(http.MethodGet, "/bkt/"+escapeKey(key)+"?uploadId="+id+"&max-parts=2", nil)
	mustStatus(t, resp, body, 200)
	var lp struct {
		Bucket, Key, UploadId, StorageClass, ChecksumAlgorithm string
		PartNumberMarker, NextPartNumberMarker, MaxParts       int
		IsTruncated                                            bool
		Initiator, Owner                                       struct{ ID, DisplayName string }
		Part                                                   []struct {
			PartNumber          int
			ETag, ChecksumCRC32 string
			Size                int64
		}
	}
	if err := xml.Unmarshal(body, &lp); err != nil {
		t.Fatal(err)
	}
	if lp.Key != key || len(lp.Part) != 2 || !lp.IsTruncated || lp.NextPartNumberMarker != 2 || lp.Part[1].ChecksumCRC32 != sums[1] ||
		lp.Part[0].ChecksumCRC32 != sums[0] || lp.Initiator.ID != testOwner.CanonicalID || lp.Owner.DisplayName != "imgcdn" || lp.ChecksumAlgorithm != "CRC32" {
		t.Fatalf("ListParts %+v", lp)
	}
	resp, body = e.do(http.MethodGet, "/bkt/"+escapeKey(key)+"?uploadId="+id+"&part-number-marker=2", nil)
	mustStatus(t, resp, body, 200)
	lp.Part = nil
	if err := xml.Unmarshal(body, &lp); err != nil || len(lp.Part) != 1 || lp.Part[0].PartNumber != 3 || lp.IsTruncated {
		t.Fatalf("ListParts page 2 %+v %v", lp, err)
	}

	// ListMultipartUploads.
	resp, body = e.do(http.MethodGet, "/bkt?uploads&prefix=big/", nil)
	mustStatus(t, resp, body, 200)
	var lu struct {
		Upload []struct{ Key, UploadId, Initiated string }
	}
	if err := xml.Unmarshal(body, &lu); err != nil || len(lu.Upload) != 1 || lu.Upload[0].UploadId != id || lu.Upload[0].Key != key {
		t.Fatalf("ListMultipartUploads %+v %v: %s", lu, err, body)
	}

	// Errors before completing.
	resp, body = e.do(http.MethodPost, "/bkt/"+escapeKey(key)+"?uploadId="+id, []byte(`<CompleteMultipartUpload></CompleteMultipartUpload>`))
	mustError(t, resp, body, http.StatusBadRequest, "MalformedXML")
	resp, body = e.do(http.MethodPost, "/bkt/"+escapeKey(key)+"?uploadId="+id, completeBody(etags, nil))
	mustError(t, resp, body, http.StatusBadRequest, "InvalidRequest") // checksums required
	resp, body = e.do(http.MethodPost, "/bkt/"+escapeKey(key)+"?uploadId="+id,
		completeBody([]string{etags[0], etags[1], `"00000000000000000000000000000000"`}, sums))
	mustError(t, resp, body, http.StatusBadRequest, "InvalidPart")
	swapped := completeBody(etags, sums)
	swapped = bytes.Replace(swapped, []byte("<PartNumber>1<"), []byte("<PartNumber>9<"), 1)
	resp, body = e.do(http.MethodPost, "/bkt/"+escapeKey(key)+"?uploadId="+id, swapped)
	mustError(t, resp, body, http.StatusBadRequest, "InvalidPartOrder")

	// Complete, with the composite value the way minio-go sends it (no part count).
	wantCRC := b64(crcs.Sum(nil)) + "-3"
	resp, body = e.do(http.MethodPost, "/bkt/"+escapeKey(key)+"?uploadId="+id, completeBody(etags, sums),
		"X-Amz-Checksum-Crc32", strings.TrimSuffix(wantCRC, "-3"), "X-Amz-Checksum-Type", "FULL_OBJECT")
	mustError(t, resp, body, http.StatusBadRequest, "InvalidRequest") // the upload is COMPOSITE
	resp, body = e.do(http.MethodPost, "/bkt/"+escapeKey(key)+"?uploadId="+id, completeBody(etags, sums),
		"X-Amz-Checksum-Crc32", strings.TrimSuffix(wantCRC, "-3"), "X-Amz-Checksum-Type", "COMPOSITE")
	mustStatus(t, resp, body, 200)
	var done struct{ Location, Bucket, Key, ETag, ChecksumCRC32, ChecksumType string }
	if err := xml.Unmarshal(body, &done); err != nil {
		t.Fatal(err)
	}
	wantETag := `"` + hex.EncodeToString(md5s.Sum(nil)) + `-3"`
	if done.ETag != wantETag || done.ChecksumCRC32 != wantCRC || done.ChecksumType != "COMPOSITE" || done.Key != key ||
		done.Location != e.ts.URL+"/bkt/big/object%20name.bin" {
		t.Fatalf("CompleteMultipartUploadResult %+v, want ETag %s checksum %s", done, wantETag, wantCRC)
	}

	// The object reads back whole and by part.
	resp, body = e.do(http.MethodGet, "/bkt/"+escapeKey(key), nil, "X-Amz-Checksum-Mode", "ENABLED")
	mustStatus(t, resp, body, 200)
	if !bytes.Equal(body, bytes.Join(parts, nil)) || resp.Header.Get("ETag") != wantETag || resp.Header.Get("Content-Type") != "video/mp2t" ||
		resp.Header.Get("X-Amz-Meta-Take") != "3" || resp.Header.Get("X-Amz-Checksum-Crc32") != wantCRC || resp.Header.Get("X-Amz-Checksum-Type") != "COMPOSITE" {
		t.Errorf("multipart object: %d bytes, headers %v", len(body), resp.Header)
	}
	resp, body = e.do(http.MethodGet, "/bkt/"+escapeKey(key)+"?partNumber=2", nil)
	mustStatus(t, resp, body, http.StatusPartialContent)
	if !bytes.Equal(body, parts[1]) || resp.Header.Get("X-Amz-Mp-Parts-Count") != "3" ||
		resp.Header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", testMinPart, 2*testMinPart-1, 2*testMinPart+4) {
		t.Errorf("part 2: %d bytes, headers %v", len(body), resp.Header)
	}
	resp, body = e.do(http.MethodHead, "/bkt/"+escapeKey(key)+"?partNumber=3", nil)
	mustStatus(t, resp, body, http.StatusPartialContent)
	if resp.Header.Get("Content-Length") != "4" {
		t.Errorf("HEAD part 3 Content-Length %q", resp.Header.Get("Content-Length"))
	}
	resp, body = e.do(http.MethodGet, "/bkt/"+escapeKey(key)+"?partNumber=4", nil)
	mustError(t, resp, body, http.StatusRequestedRangeNotSatisfiable, "InvalidPartNumber")

	// The upload is gone.
	resp, body = e.do(http.MethodGet, "/bkt/"+escapeKey(key)+"?uploadId="+id, nil)
	d := mustError(t, resp, body, http.StatusNotFound, "NoSuchUpload")
	if !strings.Contains(string(body), "<UploadId>"+id+"</UploadId>") {
		t.Errorf("NoSuchUpload lacks UploadId: %s (%+v)", body, d)
	}
}

func TestMultipartFullObjectChecksum(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	id := e.createUpload("bkt", "k", "X-Amz-Checksum-Algorithm", "CRC32", "X-Amz-Checksum-Type", "FULL_OBJECT")
	a, b := bytes.Repeat([]byte("x"), testMinPart), []byte("yz")
	etags := []string{e.uploadPart("bkt", "k", id, 1, a), e.uploadPart("bkt", "k", id, 2, b)}
	whole := crc32b64(append(append([]byte{}, a...), b...))
	// A wrong whole-object value is refused before anything is committed.
	resp, body := e.do(http.MethodPost, "/bkt/k?uploadId="+id, completeBody(etags, []string{crc32b64(a), crc32b64(b)}),
		"X-Amz-Checksum-Crc32", crc32b64([]byte("nope")))
	mustError(t, resp, body, http.StatusBadRequest, "BadDigest")
	resp, body = e.do(http.MethodPost, "/bkt/k?uploadId="+id, completeBody(etags, []string{crc32b64(a), crc32b64(b)}),
		"X-Amz-Checksum-Crc32", whole, "X-Amz-Mp-Object-Size", fmt.Sprint(len(a)+len(b)))
	mustStatus(t, resp, body, 200)
	var done struct{ ChecksumCRC32, ChecksumType string }
	if err := xml.Unmarshal(body, &done); err != nil || done.ChecksumCRC32 != whole || done.ChecksumType != "FULL_OBJECT" {
		t.Fatalf("%+v %v", done, err)
	}
}

func TestMultipartErrors(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	resp, body := e.do(http.MethodPut, "/bkt/k?partNumber=1&uploadId=nosuchupload", []byte("x"))
	mustError(t, resp, body, http.StatusNotFound, "NoSuchUpload")
	id := e.createUpload("bkt", "k")
	for _, n := range []string{"0", "10001", "x", ""} {
		resp, body = e.do(http.MethodPut, "/bkt/k?partNumber="+n+"&uploadId="+id, []byte("x"))
		d := mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
		if d.ArgName != "partNumber" {
			t.Errorf("partNumber=%s: ArgumentName %q", n, d.ArgName)
		}
	}
	// A small part that is not the last: EntityTooSmall.
	et1 := e.uploadPart("bkt", "k", id, 1, []byte("small"))
	et2 := e.uploadPart("bkt", "k", id, 2, []byte("last"))
	resp, body = e.do(http.MethodPost, "/bkt/k?uploadId="+id, completeBody([]string{et1, et2}, nil))
	mustError(t, resp, body, http.StatusBadRequest, "EntityTooSmall")
	// Parts of an upload created with CRC32 must not use another algorithm.
	id2 := e.createUpload("bkt", "k2", "X-Amz-Checksum-Algorithm", "CRC32")
	resp, body = e.do(http.MethodPut, "/bkt/k2?partNumber=1&uploadId="+id2, []byte("x"), "X-Amz-Checksum-Sha1", b64(make([]byte, 20)))
	mustError(t, resp, body, http.StatusBadRequest, "InvalidRequest")
	// Invalid checksum options at creation.
	for _, hdr := range [][]string{
		{"X-Amz-Checksum-Algorithm", "SHA256", "X-Amz-Checksum-Type", "FULL_OBJECT"},
		{"X-Amz-Checksum-Algorithm", "CRC64NVME", "X-Amz-Checksum-Type", "COMPOSITE"},
		{"X-Amz-Checksum-Type", "COMPOSITE"},
		{"X-Amz-Checksum-Algorithm", "MD4"},
	} {
		resp, body = e.do(http.MethodPost, "/bkt/k?uploads", nil, hdr...)
		mustError(t, resp, body, http.StatusBadRequest, "InvalidRequest")
	}
	// Abort, then the upload is gone.
	resp, body = e.do(http.MethodDelete, "/bkt/k?uploadId="+id, nil)
	mustStatus(t, resp, body, http.StatusNoContent)
	resp, body = e.do(http.MethodDelete, "/bkt/k?uploadId="+id, nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchUpload")
	resp, body = e.do(http.MethodPost, "/bkt/k?uploadId="+id, completeBody([]string{et1}, nil))
	mustError(t, resp, body, http.StatusNotFound, "NoSuchUpload")
}

func TestUploadPartCopy(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	src := bytes.Repeat([]byte("0123456789"), testMinPart/5)
	e.put("bkt", "source", src)
	id := e.createUpload("bkt", "dst")
	resp, body := e.do(http.MethodPut, "/bkt/dst?partNumber=1&uploadId="+id, nil,
		"X-Amz-Copy-Source", "/bkt/source", "X-Amz-Copy-Source-Range", fmt.Sprintf("bytes=0-%d", testMinPart-1))
	mustStatus(t, resp, body, 200)
	var cp struct{ ETag, LastModified string }
	if err := xml.Unmarshal(body, &cp); err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(src[:testMinPart])
	if cp.ETag != `"`+hex.EncodeToString(sum[:])+`"` || cp.LastModified == "" {
		t.Fatalf("CopyPartResult %+v", cp)
	}
	resp, body = e.do(http.MethodPut, "/bkt/dst?partNumber=2&uploadId="+id, nil, "X-Amz-Copy-Source", "bkt/source",
		"X-Amz-Copy-Source-Range", "bytes=5-9")
	mustStatus(t, resp, body, 200)
	var cp2 struct{ ETag string }
	xml.Unmarshal(body, &cp2)
	for _, rng := range []string{"bytes=0-", "bytes=5-1", "0-9"} {
		resp, body = e.do(http.MethodPut, "/bkt/dst?partNumber=3&uploadId="+id, nil, "X-Amz-Copy-Source", "bkt/source", "X-Amz-Copy-Source-Range", rng)
		mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
	}
	resp, body = e.do(http.MethodPut, "/bkt/dst?partNumber=3&uploadId="+id, nil, "X-Amz-Copy-Source", "bkt/source",
		"X-Amz-Copy-Source-Range", fmt.Sprintf("bytes=0-%d", len(src)))
	d := mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
	if !strings.Contains(d.Message, fmt.Sprint(len(src))) {
		t.Errorf("message %q lacks the source size", d.Message)
	}
	resp, body = e.do(http.MethodPost, "/bkt/dst?uploadId="+id, completeBody([]string{cp.ETag, cp2.ETag}, nil))
	mustStatus(t, resp, body, 200)
	_, got := e.do(http.MethodGet, "/bkt/dst", nil)
	if !bytes.Equal(got, append(append([]byte{}, src[:testMinPart]...), src[5:10]...)) {
		t.Errorf("copied object has %d bytes", len(got))
	}
}

func TestListMultipartUploadsPaging(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket("bkt")
	ids := map[string]string{}
	for _, k := range []string{"a", "b", "dir/c", "dir/d"} {
		ids[k] = e.createUpload("bkt", k)
	}
	type uploads struct {
		KeyMarker, UploadIdMarker, NextKeyMarker, NextUploadIdMarker, Prefix, Delimiter string
		MaxUploads                                                                      int
		IsTruncated                                                                     bool
		Upload                                                                          []struct {
			Key, UploadId, StorageClass string
			Owner, Initiator            struct{ ID string }
		}
		CommonPrefixes []struct{ Prefix string }
	}
	get := func(q string) uploads {
		resp, body := e.do(http.MethodGet, "/bkt?uploads"+q, nil)
		mustStatus(t, resp, body, 200)
		var u uploads
		if err := xml.Unmarshal(body, &u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	u := get("&max-uploads=2")
	if len(u.Upload) != 2 || u.Upload[0].Key != "a" || u.Upload[0].UploadId != ids["a"] || !u.IsTruncated ||
		u.NextKeyMarker != "b" || u.NextUploadIdMarker != ids["b"] || u.MaxUploads != 2 ||
		u.Upload[0].Owner.ID != testOwner.CanonicalID || u.Upload[0].StorageClass != "STANDARD" {
		t.Fatalf("page 1 %+v", u)
	}
	u = get("&key-marker=b&upload-id-marker=" + ids["b"] + "&delimiter=/")
	if len(u.Upload) != 0 || len(u.CommonPrefixes) != 1 || u.CommonPrefixes[0].Prefix != "dir/" || u.IsTruncated || u.KeyMarker != "b" {
		t.Errorf("page 2 %+v", u)
	}
	u = get("&prefix=dir/")
	if len(u.Upload) != 2 || u.Prefix != "dir/" {
		t.Errorf("prefix %+v", u)
	}
	resp, body := e.do(http.MethodGet, "/bkt?uploads&max-uploads=-1", nil)
	mustError(t, resp, body, http.StatusBadRequest, "InvalidArgument")
	resp, body = e.do(http.MethodGet, "/nobucket?uploads", nil)
	mustError(t, resp, body, http.StatusNotFound, "NoSuchBucket")
}
