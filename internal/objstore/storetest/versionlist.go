package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// versionModel is the brute-force definition of a bucket's versions: per key, newest first.
type versionModel map[string][]modelVersion

type modelVersion struct {
	id     string
	marker bool
	etag   string
}

// entry is one line of a versions listing: a version, or a common prefix (id "").
type entry struct {
	key, id string
	marker  bool
	latest  bool
	prefix  bool
	etag    string
}

func (en entry) String() string {
	switch {
	case en.prefix:
		return en.key + " (prefix)"
	case en.marker:
		return fmt.Sprintf("%s@%s marker latest=%v", en.key, en.id, en.latest)
	}
	return fmt.Sprintf("%s@%s %s latest=%v", en.key, en.id, en.etag, en.latest)
}

// page is ListObjectVersions by brute force.
func (m versionModel) page(in objstore.ListVersionsInput) (page []entry, truncated bool) {
	if in.MaxKeys <= 0 {
		return nil, false
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	var all []entry
	seen := map[string]bool{}
	for _, k := range keys {
		if !strings.HasPrefix(k, in.Prefix) || len(m[k]) == 0 {
			continue
		}
		if in.Delimiter != "" {
			if i := strings.Index(k[len(in.Prefix):], in.Delimiter); i >= 0 {
				p := k[:len(in.Prefix)+i+len(in.Delimiter)]
				if p > in.KeyMarker && !seen[p] {
					seen[p] = true
					all = append(all, entry{key: p, prefix: true})
				}
				continue
			}
		}
		vs := m[k]
		from := 0
		switch {
		case in.KeyMarker == "" || k > in.KeyMarker:
		case k == in.KeyMarker && in.VersionIDMarker != "":
			from = len(vs)
			for i, v := range vs {
				if v.id == in.VersionIDMarker {
					from = i + 1
				}
			}
		default:
			continue
		}
		for i := from; i < len(vs); i++ {
			all = append(all, entry{key: k, id: vs[i].id, marker: vs[i].marker, latest: i == 0, etag: vs[i].etag})
		}
	}
	if len(all) > in.MaxKeys {
		return all[:in.MaxKeys], true
	}
	return all, false
}

// entries flattens a store result in listing order (prefixes interleaved by name).
func entries(res objstore.ListVersionsResult) []entry {
	var out []entry
	for _, v := range res.Versions {
		out = append(out, entry{key: v.Key, id: v.VersionID, marker: v.DeleteMarker, latest: v.IsLatest, etag: v.ETag})
	}
	for _, p := range res.CommonPrefixes {
		out = append(out, entry{key: p, prefix: true})
	}
	slices.SortStableFunc(out, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	return out
}

func (e *env) checkVersionPage(b string, m versionModel, in objstore.ListVersionsInput) objstore.ListVersionsResult {
	e.t.Helper()
	res, err := e.s.ListObjectVersions(e.ctx, b, in)
	if err != nil {
		e.t.Fatalf("ListObjectVersions(%+v): %v", in, err)
	}
	want, truncated := m.page(in)
	got := entries(res)
	if !slices.Equal(got, want) || res.IsTruncated != truncated {
		e.t.Fatalf("ListObjectVersions(%+v)\n got %v truncated %v\nwant %v truncated %v", in, got, res.IsTruncated, want, truncated)
	}
	if truncated {
		last := want[len(want)-1]
		if res.NextKeyMarker != last.key || res.NextVersionIDMarker != last.id {
			e.t.Fatalf("ListObjectVersions(%+v): next markers %q %q, want %q %q", in, res.NextKeyMarker, res.NextVersionIDMarker, last.key, last.id)
		}
	}
	return res
}

// testListVersionsModel drives a bucket through random writes and deletes in every
// versioning state, then checks random pages and complete paged walks against the model,
// and ListObjects against the keys whose latest version is an object.
func testListVersionsModel(e *env) {
	b := e.bucket("bkt")
	seed := uint64(20250301)
	r := rand.New(rand.NewPCG(seed, 2))
	keys := []string{"a", "a/b", "a/b/c", "a/c", "b", "b/", "b/x/y", "c", "é", "é/z", "k"}
	m := versionModel{}
	state := objstore.VersioningUnversioned
	setNull := func(k string, v modelVersion) {
		m[k] = slices.DeleteFunc(m[k], func(x modelVersion) bool { return x.id == objstore.NullVersionID })
		m[k] = append([]modelVersion{v}, m[k]...)
	}
	for op := 0; op < 260; op++ {
		if op == 40 || (op > 40 && r.IntN(25) == 0) {
			state = []objstore.VersioningState{objstore.VersioningEnabled, objstore.VersioningSuspended}[r.IntN(2)]
			e.setVersioning(b, state)
		}
		k := keys[r.IntN(len(keys))]
		switch n := r.IntN(10); {
		case n < 5:
			body := []byte(fmt.Sprint(k, op))
			info := e.put(b, k, body)
			if state == objstore.VersioningEnabled {
				m[k] = append([]modelVersion{{id: info.VersionID, etag: info.ETag}}, m[k]...)
			} else {
				setNull(k, modelVersion{id: objstore.NullVersionID, etag: info.ETag})
			}
		case n < 7:
			info := e.del(b, k, "")
			switch state {
			case objstore.VersioningUnversioned:
				delete(m, k)
			case objstore.VersioningEnabled:
				m[k] = append([]modelVersion{{id: info.VersionID, marker: true}}, m[k]...)
			default:
				setNull(k, modelVersion{id: objstore.NullVersionID, marker: true})
			}
		default:
			if len(m[k]) == 0 {
				continue
			}
			i := r.IntN(len(m[k]))
			e.del(b, k, m[k][i].id)
			m[k] = slices.Delete(m[k], i, i+1)
		}
	}
	var current []string
	for _, k := range keys {
		if vs := m[k]; len(vs) > 0 && !vs[0].marker {
			current = append(current, k)
		}
	}
	slices.Sort(current)
	if got := e.keysOf(b); !slices.Equal(got, current) {
		e.t.Fatalf("ListObjects = %q, want %q", got, current)
	}
	pick := func() (string, string) {
		k := keys[r.IntN(len(keys))]
		switch r.IntN(4) {
		case 0:
			return "", ""
		case 1:
			return k[:r.IntN(len(k)+1)], ""
		}
		if vs := m[k]; len(vs) > 0 && r.IntN(2) == 0 {
			return k, vs[r.IntN(len(vs))].id
		}
		return k, ""
	}
	randomIn := func() objstore.ListVersionsInput {
		in := objstore.ListVersionsInput{MaxKeys: 1 + r.IntN(6)}
		in.Prefix, _ = pick()
		in.KeyMarker, in.VersionIDMarker = pick()
		if r.IntN(3) > 0 {
			in.Delimiter = []string{"/", "b", "é"}[r.IntN(3)]
		}
		if r.IntN(5) == 0 {
			in.MaxKeys = 1000
		}
		return in
	}
	for i := 0; i < 300; i++ {
		e.checkVersionPage(b, m, randomIn())
	}
	// Walking every page with the next markers yields the whole listing exactly once.
	for i := 0; i < 40; i++ {
		in := randomIn()
		in.KeyMarker, in.VersionIDMarker = "", ""
		whole, _ := m.page(objstore.ListVersionsInput{Prefix: in.Prefix, Delimiter: in.Delimiter, MaxKeys: 1 << 20})
		var got []entry
		for {
			res := e.checkVersionPage(b, m, in)
			got = append(got, entries(res)...)
			if !res.IsTruncated {
				break
			}
			in.KeyMarker, in.VersionIDMarker = res.NextKeyMarker, res.NextVersionIDMarker
		}
		if !slices.Equal(got, whole) {
			e.t.Fatalf("paging %+v (seed %d):\n got %v\nwant %v", in, seed, got, whole)
		}
	}
	_, err := e.s.ListObjectVersions(e.ctx, b, objstore.ListVersionsInput{KeyMarker: "a", VersionIDMarker: "bad id", MaxKeys: 10})
	e.wantErr("ListObjectVersions with a malformed version-id-marker", err, objstore.ErrInvalidVersionID)
	_, err = e.s.ListObjectVersions(e.ctx, "nope", objstore.ListVersionsInput{MaxKeys: 10})
	e.wantErr("ListObjectVersions of a missing bucket", err, objstore.ErrNoSuchBucket)
}

// testListVersionsMarkerGone: paging resumes correctly when the version named by the
// markers was deleted between pages.
func testListVersionsMarkerGone(e *env) {
	b := e.bucket("bkt")
	e.setVersioning(b, objstore.VersioningEnabled)
	var ids []string
	for i := 0; i < 4; i++ {
		ids = append([]string{e.put(b, "k", []byte{byte(i)}).VersionID}, ids...)
	}
	e.put(b, "z", []byte("z"))
	res, err := e.s.ListObjectVersions(e.ctx, b, objstore.ListVersionsInput{MaxKeys: 2})
	if err != nil || !res.IsTruncated || res.NextVersionIDMarker != ids[1] {
		e.t.Fatalf("first page = %+v, %v", res, err)
	}
	e.del(b, "k", ids[1])
	res, err = e.s.ListObjectVersions(e.ctx, b, objstore.ListVersionsInput{MaxKeys: 10, KeyMarker: "k", VersionIDMarker: ids[1]})
	if err != nil || len(res.Versions) != 3 || res.Versions[0].VersionID != ids[2] || res.Versions[1].VersionID != ids[3] || res.Versions[2].Key != "z" {
		e.t.Fatalf("page after a deleted marker version = %+v, %v", res.Versions, err)
	}
}
