package storetest

import (
	"fmt"
	"slices"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

func testListParts(e *env) {
	b := e.bucket("bkt")
	u := e.upload(b, "k")
	want := map[int]objstore.PartInfo{}
	for _, n := range []int{5, 1, 3, 10, 2, 9999} {
		want[n] = e.part(u, n, []byte(fmt.Sprint("part ", n)))
	}
	numbers := []int{1, 2, 3, 5, 10, 9999}
	for _, max := range []int{1, 2, 4, 6, 100} {
		var got []int
		marker := 0
		for page := 0; ; page++ {
			parts, truncated, err := e.s.ListParts(e.ctx, b, "k", u.UploadID, marker, max)
			if err != nil {
				e.t.Fatal(err)
			}
			if len(parts) > max || truncated && len(parts) != max {
				e.t.Fatalf("ListParts max %d page %d: %d parts, truncated %v", max, page, len(parts), truncated)
			}
			for _, p := range parts {
				w := want[p.PartNumber]
				if p.ETag != w.ETag || p.Size != w.Size || p.LastModified.IsZero() {
					e.t.Fatalf("ListParts part %+v, uploaded %+v", p, w)
				}
				got = append(got, p.PartNumber)
			}
			if !truncated {
				break
			}
			marker = parts[len(parts)-1].PartNumber
		}
		if !slices.Equal(got, numbers) {
			e.t.Fatalf("ListParts paging by %d: %v, want %v", max, got, numbers)
		}
	}
	parts, truncated, err := e.s.ListParts(e.ctx, b, "k", u.UploadID, 5, 2)
	if err != nil || truncated || len(parts) != 2 || parts[0].PartNumber != 10 || parts[1].PartNumber != 9999 {
		e.t.Fatalf("ListParts after marker 5 = %+v %v %v", parts, truncated, err)
	}
	_, _, err = e.s.ListParts(e.ctx, b, "other", u.UploadID, 0, 10)
	e.wantErr("ListParts with another key", err, objstore.ErrNoSuchUpload)
}

func testListUploads(e *env) {
	b := e.bucket("bkt")
	// Two uploads of "a" in creation order, then keys with and without the delimiter.
	var want []objstore.UploadInfo
	for _, k := range []string{"a", "a", "b/c", "b/d", "c", "b/c"} {
		want = append(want, e.upload(b, k))
	}
	byKey := func(x, y objstore.UploadInfo) int {
		if x.Key != y.Key {
			return cmpString(x.Key, y.Key)
		}
		return x.Initiated.Compare(y.Initiated)
	}
	slices.SortStableFunc(want, byKey)
	ids := func(us []objstore.UploadInfo) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.Key+" "+u.UploadID)
		}
		return out
	}
	res, err := e.s.ListMultipartUploads(e.ctx, b, objstore.ListUploadsInput{MaxUploads: 100})
	if err != nil || res.IsTruncated || !slices.Equal(ids(res.Uploads), ids(want)) {
		e.t.Fatalf("ListMultipartUploads = %q, %v; want %q", ids(res.Uploads), err, ids(want))
	}
	// Paging by 2 with both markers visits every upload once.
	var got []objstore.UploadInfo
	in := objstore.ListUploadsInput{MaxUploads: 2}
	for {
		res, err := e.s.ListMultipartUploads(e.ctx, b, in)
		if err != nil || len(res.Uploads) > 2 {
			e.t.Fatalf("page %+v: %+v, %v", in, res, err)
		}
		got = append(got, res.Uploads...)
		if !res.IsTruncated {
			break
		}
		in.KeyMarker, in.UploadIDMarker = res.NextKeyMarker, res.NextUploadIDMarker
	}
	if !slices.Equal(ids(got), ids(want)) {
		e.t.Fatalf("paged uploads %q, want %q", ids(got), ids(want))
	}
	// Delimiter: b/c, b/d and b/c roll into "b/".
	res, err = e.s.ListMultipartUploads(e.ctx, b, objstore.ListUploadsInput{MaxUploads: 100, Delimiter: "/"})
	if err != nil || !slices.Equal(res.CommonPrefixes, []string{"b/"}) || len(res.Uploads) != 3 {
		e.t.Fatalf("with delimiter: %+v, %v", res, err)
	}
	res, err = e.s.ListMultipartUploads(e.ctx, b, objstore.ListUploadsInput{MaxUploads: 2, Delimiter: "/", KeyMarker: "a"})
	if err != nil || !slices.Equal(res.CommonPrefixes, []string{"b/"}) || len(res.Uploads) != 1 || res.Uploads[0].Key != "c" || res.IsTruncated {
		e.t.Fatalf("with delimiter after a: %+v, %v", res, err)
	}
	res, err = e.s.ListMultipartUploads(e.ctx, b, objstore.ListUploadsInput{MaxUploads: 1, Delimiter: "/", KeyMarker: "a"})
	if err != nil || !res.IsTruncated || res.NextKeyMarker != "b/" || res.NextUploadIDMarker != "" {
		e.t.Fatalf("a page ending in a prefix: %+v, %v", res, err)
	}
	// Prefix, and the second upload of "a" after the first one's id.
	res, err = e.s.ListMultipartUploads(e.ctx, b, objstore.ListUploadsInput{MaxUploads: 100, Prefix: "b/"})
	if err != nil || len(res.Uploads) != 3 || len(res.CommonPrefixes) != 0 {
		e.t.Fatalf("prefix b/: %+v, %v", res, err)
	}
	res, err = e.s.ListMultipartUploads(e.ctx, b, objstore.ListUploadsInput{MaxUploads: 1, KeyMarker: "a", UploadIDMarker: want[0].UploadID})
	if err != nil || len(res.Uploads) != 1 || res.Uploads[0].UploadID != want[1].UploadID {
		e.t.Fatalf("after the first upload of a: %+v, %v", res, err)
	}
	if res, _ := e.s.ListMultipartUploads(e.ctx, b, objstore.ListUploadsInput{}); len(res.Uploads) != 0 || res.IsTruncated {
		e.t.Fatalf("MaxUploads 0 = %+v", res)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
