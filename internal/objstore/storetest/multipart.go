package storetest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

func (e *env) upload(b, key string) objstore.UploadInfo {
	e.t.Helper()
	u, err := e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: key})
	if err != nil {
		e.t.Fatalf("CreateMultipartUpload(%q): %v", key, err)
	}
	return u
}

func (e *env) part(u objstore.UploadInfo, n int, body []byte) objstore.PartInfo {
	e.t.Helper()
	p, err := e.s.UploadPart(e.ctx, objstore.UploadPartInput{Bucket: u.Bucket, Key: u.Key, UploadID: u.UploadID,
		PartNumber: n, Body: bytes.NewReader(body), Size: int64(len(body))})
	if err != nil {
		e.t.Fatalf("UploadPart(%d): %v", n, err)
	}
	if p.PartNumber != n || p.ETag != md5hex(body) || p.Size != int64(len(body)) {
		e.t.Fatalf("UploadPart(%d) = %+v, want ETag %s size %d", n, p, md5hex(body), len(body))
	}
	return p
}

func (e *env) complete(u objstore.UploadInfo, parts []objstore.PartInfo, cond objstore.WriteConditions) (objstore.ObjectInfo, error) {
	cps := make([]objstore.CompletePart, len(parts))
	for i, p := range parts {
		cps[i] = objstore.CompletePart{PartNumber: p.PartNumber, ETag: p.ETag}
	}
	return e.s.CompleteMultipartUpload(e.ctx, u.Bucket, u.Key, u.UploadID, cps, cond)
}

// multipartETag is S3's multipart ETag: hex(md5(md5(part1) || md5(part2) ...)) + "-N".
func multipartETag(parts ...[]byte) string {
	var cat []byte
	for _, p := range parts {
		sum := md5.Sum(p)
		cat = append(cat, sum[:]...)
	}
	sum := md5.Sum(cat)
	return hex.EncodeToString(sum[:]) + "-" + strconv.Itoa(len(parts))
}

// partBodies returns bodies for n parts: every part MinPartSize (plus i bytes), the last short.
func (e *env) partBodies(seed uint64, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		size := int(e.opts.MinPartSize) + i
		if i == n-1 {
			size = 3 + i
		}
		out[i] = payload(seed+uint64(i), size)
	}
	return out
}

func testMultipartBasic(e *env) {
	b := e.bucket("bkt")
	meta := objstore.Metadata{ContentType: "video/mp4", User: map[string]string{"k": "v"}}
	u, err := e.s.CreateMultipartUpload(e.ctx, objstore.UploadInfo{Bucket: b, Key: "big", Meta: meta, ChecksumAlgorithm: "CRC32", ChecksumType: "COMPOSITE"})
	if err != nil {
		e.t.Fatal(err)
	}
	if u.UploadID == "" || u.Initiated.IsZero() || u.Bucket != b || u.Key != "big" {
		e.t.Fatalf("CreateMultipartUpload = %+v", u)
	}
	got, err := e.s.GetUpload(e.ctx, b, "big", u.UploadID)
	if err != nil || got.ChecksumAlgorithm != "CRC32" || got.ChecksumType != "COMPOSITE" || got.Meta.ContentType != "video/mp4" || !got.Initiated.Equal(u.Initiated) {
		e.t.Fatalf("GetUpload = %+v, %v", got, err)
	}
	bodies := e.partBodies(10, 3)
	parts := make([]objstore.PartInfo, 3)
	for _, i := range []int{2, 0, 1} { // any upload order
		parts[i] = e.part(u, i+1, bodies[i])
	}
	sum := &objstore.Checksum{Algorithm: "CRC32", Value: "AAAAAA==-3", Type: "COMPOSITE"}
	info, err := e.complete(u, parts, objstore.WriteConditions{Checksum: sum})
	if err != nil {
		e.t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	whole := bytes.Join(bodies, nil)
	wantSizes := []int64{int64(len(bodies[0])), int64(len(bodies[1])), int64(len(bodies[2]))}
	for _, got := range []objstore.ObjectInfo{info, e.head(b, "big")} {
		if got.ETag != multipartETag(bodies...) || got.Size != int64(len(whole)) || got.PartsCount != 3 || !slices.Equal(got.PartSizes, wantSizes) {
			e.t.Fatalf("completed object = %+v, want ETag %s size %d sizes %v", got, multipartETag(bodies...), len(whole), wantSizes)
		}
		if got.Meta.ContentType != "video/mp4" || got.Meta.User["k"] != "v" || got.Checksum == nil || *got.Checksum != *sum {
			e.t.Fatalf("completed object meta %+v checksum %+v", got.Meta, got.Checksum)
		}
	}
	e.wantBody(b, "big", whole)
	_, err = e.s.GetUpload(e.ctx, b, "big", u.UploadID)
	e.wantErr("GetUpload after Complete", err, objstore.ErrNoSuchUpload)
	_, err = e.complete(u, parts, objstore.WriteConditions{})
	e.wantErr("Complete twice", err, objstore.ErrNoSuchUpload)
	res, err := e.s.ListMultipartUploads(e.ctx, b, objstore.ListUploadsInput{MaxUploads: 10})
	if err != nil || len(res.Uploads) != 0 {
		e.t.Fatalf("ListMultipartUploads after Complete = %+v, %v", res, err)
	}
	// A single-part upload is valid whatever its size, and so is an empty part.
	u2 := e.upload(b, "one")
	info, err = e.complete(u2, []objstore.PartInfo{e.part(u2, 7, nil)}, objstore.WriteConditions{})
	if err != nil || info.ETag != multipartETag(nil) || info.Size != 0 {
		e.t.Fatalf("one empty part = %+v, %v", info, err)
	}
	e.wantBody(b, "one", nil)
}

func testMultipartValidation(e *env) {
	b := e.bucket("bkt")
	u := e.upload(b, "k")
	bodies := e.partBodies(20, 3)
	p1, p2, p3 := e.part(u, 1, bodies[0]), e.part(u, 2, bodies[1]), e.part(u, 3, bodies[2])
	small := e.part(u, 4, []byte("tiny"))
	fake := objstore.PartInfo{PartNumber: 9, ETag: p1.ETag}
	wrongTag := p2
	wrongTag.ETag = md5hex([]byte("other"))
	for _, tc := range []struct {
		name  string
		parts []objstore.PartInfo
		want  error
	}{
		{"descending", []objstore.PartInfo{p2, p1, p3}, objstore.ErrInvalidPartOrder},
		{"duplicate", []objstore.PartInfo{p1, p1, p3}, objstore.ErrInvalidPartOrder},
		{"never uploaded", []objstore.PartInfo{p1, fake}, objstore.ErrInvalidPart},
		{"ETag mismatch", []objstore.PartInfo{p1, wrongTag, p3}, objstore.ErrInvalidPart},
		{"empty list", nil, objstore.ErrInvalidPart},
		{"small part not last", []objstore.PartInfo{p1, p2, p3, small}, objstore.ErrEntityTooSmall},
		{"part 0", []objstore.PartInfo{{PartNumber: 0, ETag: p1.ETag}}, objstore.ErrInvalidPart},
	} {
		_, err := e.complete(u, tc.parts, objstore.WriteConditions{})
		e.wantErr("Complete "+tc.name, err, tc.want)
		_, err = e.s.HeadObject(e.ctx, b, "k", "")
		e.wantErr("HeadObject after a failed Complete", err, objstore.ErrNoSuchKey)
	}
	// A part claim with a checksum other than the stored one is an invalid part.
	sum := &objstore.Checksum{Algorithm: "SHA256", Value: "c3VtMQ==", Type: "COMPOSITE"}
	pc, err := e.s.UploadPart(e.ctx, objstore.UploadPartInput{Bucket: b, Key: "k", UploadID: u.UploadID, PartNumber: 5,
		Body: bytes.NewReader([]byte("x")), Size: 1, Checksum: func() *objstore.Checksum { return sum }})
	if err != nil || pc.Checksum == nil || *pc.Checksum != *sum {
		e.t.Fatalf("UploadPart with a checksum = %+v, %v", pc, err)
	}
	_, err = e.s.CompleteMultipartUpload(e.ctx, b, "k", u.UploadID, []objstore.CompletePart{{PartNumber: 5, ETag: pc.ETag,
		Checksum: &objstore.Checksum{Algorithm: "SHA256", Value: "b3RoZXI="}}}, objstore.WriteConditions{})
	e.wantErr("Complete with a wrong part checksum", err, objstore.ErrInvalidPart)
	// The upload survived every failure and still completes (quoted ETags are accepted).
	quoted := []objstore.CompletePart{{PartNumber: 1, ETag: `"` + p1.ETag + `"`}, {PartNumber: 2, ETag: p2.ETag}, {PartNumber: 3, ETag: p3.ETag}}
	info, err := e.s.CompleteMultipartUpload(e.ctx, b, "k", u.UploadID, quoted, objstore.WriteConditions{})
	if err != nil || info.ETag != multipartETag(bodies...) {
		e.t.Fatalf("Complete after failures = %+v, %v", info, err)
	}
	e.wantBody(b, "k", bytes.Join(bodies, nil))

	// Part numbers and upload ids.
	u2 := e.upload(b, "k2")
	for _, n := range []int{0, -1, objstore.MaxPartNumber + 1} {
		_, err := e.s.UploadPart(e.ctx, objstore.UploadPartInput{Bucket: b, Key: "k2", UploadID: u2.UploadID, PartNumber: n, Body: bytes.NewReader(nil)})
		e.wantErr(fmt.Sprint("UploadPart number ", n), err, objstore.ErrInvalidPartNumber)
	}
	e.part(u2, objstore.MaxPartNumber, []byte("last"))
	for _, tc := range []struct{ key, id string }{{"k", u2.UploadID}, {"k2", "nonexistent"}, {"k2", "../../x"}, {"k2", ""}} {
		_, err := e.s.UploadPart(e.ctx, objstore.UploadPartInput{Bucket: b, Key: tc.key, UploadID: tc.id, PartNumber: 1, Body: bytes.NewReader(nil)})
		e.wantErr(fmt.Sprintf("UploadPart to key %q upload %q", tc.key, tc.id), err, objstore.ErrNoSuchUpload)
		_, err = e.s.GetUpload(e.ctx, b, tc.key, tc.id)
		e.wantErr("GetUpload", err, objstore.ErrNoSuchUpload)
	}
	_, err = e.s.GetUpload(e.ctx, "nobucket", "k2", u2.UploadID)
	e.wantErr("GetUpload in a missing bucket", err, objstore.ErrNoSuchBucket)
	// A failed part write leaves no part behind.
	bad := md5.Sum([]byte("not it"))
	_, err = e.s.UploadPart(e.ctx, objstore.UploadPartInput{Bucket: b, Key: "k2", UploadID: u2.UploadID, PartNumber: 2,
		Body: bytes.NewReader([]byte("body")), Size: 4, ContentMD5: bad[:]})
	e.wantErr("UploadPart with a bad Content-MD5", err, objstore.ErrBadDigest)
	parts, _, err := e.s.ListParts(e.ctx, b, "k2", u2.UploadID, 0, 100)
	if err != nil || len(parts) != 1 || parts[0].PartNumber != objstore.MaxPartNumber {
		e.t.Fatalf("ListParts after a failed part = %+v, %v", parts, err)
	}
}

func testMultipartReplacePart(e *env) {
	b := e.bucket("bkt")
	u := e.upload(b, "k")
	first, second := payload(1, int(e.opts.MinPartSize)), payload(2, int(e.opts.MinPartSize)+5)
	old := e.part(u, 1, first)
	p1 := e.part(u, 1, second)
	tail := e.part(u, 2, []byte("tail"))
	parts, _, err := e.s.ListParts(e.ctx, b, "k", u.UploadID, 0, 10)
	if err != nil || len(parts) != 2 || parts[0].ETag != md5hex(second) || parts[0].Size != int64(len(second)) {
		e.t.Fatalf("ListParts after replacing part 1 = %+v, %v", parts, err)
	}
	_, err = e.complete(u, []objstore.PartInfo{old, tail}, objstore.WriteConditions{})
	e.wantErr("Complete with the replaced part's ETag", err, objstore.ErrInvalidPart)
	if _, err := e.complete(u, []objstore.PartInfo{p1, tail}, objstore.WriteConditions{}); err != nil {
		e.t.Fatal(err)
	}
	e.wantBody(b, "k", append(bytes.Clone(second), "tail"...))
}

// testMultipartSubset completes with only some of the uploaded parts.
func testMultipartSubset(e *env) {
	b := e.bucket("bkt")
	u := e.upload(b, "k")
	bodies := e.partBodies(30, 4)
	var parts []objstore.PartInfo
	for i, body := range bodies {
		parts = append(parts, e.part(u, i+1, body))
	}
	info, err := e.complete(u, []objstore.PartInfo{parts[0], parts[2], parts[3]}, objstore.WriteConditions{})
	if err != nil || info.ETag != multipartETag(bodies[0], bodies[2], bodies[3]) {
		e.t.Fatalf("Complete of parts 1, 3, 4 = %+v, %v", info, err)
	}
	e.wantBody(b, "k", bytes.Join([][]byte{bodies[0], bodies[2], bodies[3]}, nil))
}

func testMultipartAbort(e *env) {
	b := e.bucket("bkt")
	prev := e.put(b, "k", []byte("previous"))
	u := e.upload(b, "k")
	e.part(u, 1, payload(1, int(e.opts.MinPartSize)))
	e.part(u, 2, []byte("x"))
	if err := e.s.AbortMultipartUpload(e.ctx, b, "k", u.UploadID); err != nil {
		e.t.Fatal(err)
	}
	e.wantErr("Abort twice", e.s.AbortMultipartUpload(e.ctx, b, "k", u.UploadID), objstore.ErrNoSuchUpload)
	_, err := e.s.UploadPart(e.ctx, objstore.UploadPartInput{Bucket: b, Key: "k", UploadID: u.UploadID, PartNumber: 3, Body: bytes.NewReader(nil)})
	e.wantErr("UploadPart after Abort", err, objstore.ErrNoSuchUpload)
	_, _, err = e.s.ListParts(e.ctx, b, "k", u.UploadID, 0, 10)
	e.wantErr("ListParts after Abort", err, objstore.ErrNoSuchUpload)
	if e.head(b, "k").ETag != prev.ETag {
		e.t.Fatal("Abort changed the existing object")
	}
	if _, err := e.s.DeleteObject(e.ctx, b, "k", ""); err != nil {
		e.t.Fatal(err)
	}
	if err := e.s.DeleteBucket(e.ctx, b); err != nil {
		e.t.Fatalf("DeleteBucket after Abort: %v", err)
	}
}

func testMultipartConditional(e *env) {
	b := e.bucket("bkt")
	old := payload(5, 1000)
	e.put(b, "k", old)
	u := e.upload(b, "k")
	bodies := e.partBodies(40, 2)
	parts := []objstore.PartInfo{e.part(u, 1, bodies[0]), e.part(u, 2, bodies[1])}
	// Until Complete commits, the previous object is what readers get.
	e.wantBody(b, "k", old)
	_, err := e.complete(u, parts, objstore.WriteConditions{IfNoneMatch: "*"})
	e.wantErr("Complete with If-None-Match * over an object", err, objstore.ErrPreconditionFailed)
	_, err = e.complete(u, parts, objstore.WriteConditions{IfMatch: md5hex([]byte("other"))})
	e.wantErr("Complete with a stale If-Match", err, objstore.ErrPreconditionFailed)
	e.wantBody(b, "k", old)
	if _, err := e.complete(u, parts, objstore.WriteConditions{IfMatch: md5hex(old)}); err != nil {
		e.t.Fatalf("Complete with the current If-Match: %v", err)
	}
	e.wantBody(b, "k", bytes.Join(bodies, nil))
}

func testMultipartRanges(e *env) {
	b := e.bucket("bkt")
	u := e.upload(b, "k")
	bodies := e.partBodies(50, 4)
	var parts []objstore.PartInfo
	var bounds []int64
	var at int64
	for i, body := range bodies {
		parts = append(parts, e.part(u, i+1, body))
		at += int64(len(body))
		bounds = append(bounds, at)
	}
	if _, err := e.complete(u, parts, objstore.WriteConditions{}); err != nil {
		e.t.Fatal(err)
	}
	o, err := e.s.OpenObject(e.ctx, b, "k", "")
	if err != nil {
		e.t.Fatal(err)
	}
	defer o.Close()
	e.checkRanges(o, bytes.Join(bodies, nil), bounds[:len(bounds)-1]...)
}

func testMultipartConcurrentParts(e *env) {
	b := e.bucket("bkt")
	u := e.upload(b, "k")
	bodies := e.partBodies(60, 8)
	parts := make([]objstore.PartInfo, len(bodies))
	errs := make(chan error, len(bodies))
	for i, body := range bodies {
		go func() {
			p, err := e.s.UploadPart(e.ctx, objstore.UploadPartInput{Bucket: b, Key: "k", UploadID: u.UploadID,
				PartNumber: i + 1, Body: bytes.NewReader(body), Size: int64(len(body))})
			parts[i] = p
			errs <- err
		}()
	}
	for range bodies {
		if err := <-errs; err != nil {
			e.t.Fatalf("concurrent UploadPart: %v", err)
		}
	}
	info, err := e.complete(u, parts, objstore.WriteConditions{})
	if err != nil || info.ETag != multipartETag(bodies...) {
		e.t.Fatalf("Complete = %+v, %v", info, err)
	}
	e.wantBody(b, "k", bytes.Join(bodies, nil))
}
