package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// listModel is the brute-force definition of a listing page (objstore.ListInput's doc):
// keys under the prefix, those with the delimiter after the prefix rolled into common
// prefixes, entries strictly after After, at most MaxKeys of them.
func listModel(sorted []string, in objstore.ListInput) (objs, prefixes []string, truncated bool, next string) {
	if in.MaxKeys <= 0 {
		return nil, nil, false, "" // an empty page, by definition
	}
	type entry struct {
		s      string
		prefix bool
	}
	var all []entry
	seen := map[string]bool{}
	for _, k := range sorted {
		if !strings.HasPrefix(k, in.Prefix) {
			continue
		}
		if in.Delimiter != "" {
			if i := strings.Index(k[len(in.Prefix):], in.Delimiter); i >= 0 {
				p := k[:len(in.Prefix)+i+len(in.Delimiter)]
				if p > in.After && !seen[p] {
					seen[p] = true
					all = append(all, entry{p, true})
				}
				continue
			}
		}
		if k > in.After {
			all = append(all, entry{k, false})
		}
	}
	slices.SortFunc(all, func(a, b entry) int { return strings.Compare(a.s, b.s) })
	if len(all) > in.MaxKeys {
		all, truncated = all[:in.MaxKeys], true
	}
	for _, en := range all {
		if en.prefix {
			prefixes = append(prefixes, en.s)
		} else {
			objs = append(objs, en.s)
		}
		if truncated {
			next = en.s
		}
	}
	return objs, prefixes, truncated, next
}

// checkList compares one page of the store with the model.
func (e *env) checkList(b string, keys []string, in objstore.ListInput) objstore.ListResult {
	e.t.Helper()
	res, err := e.s.ListObjects(e.ctx, b, in)
	if err != nil {
		e.t.Fatalf("ListObjects(%+v): %v", in, err)
	}
	var objs []string
	for _, o := range res.Objects {
		objs = append(objs, o.Key)
	}
	wo, wp, wt, wn := listModel(keys, in)
	if !slices.Equal(objs, wo) || !slices.Equal(res.CommonPrefixes, wp) || res.IsTruncated != wt || (wt && res.Next != wn) {
		e.t.Fatalf("ListObjects(%+v)\n got objects %q prefixes %q truncated %v next %q\nwant objects %q prefixes %q truncated %v next %q",
			in, objs, res.CommonPrefixes, res.IsTruncated, res.Next, wo, wp, wt, wn)
	}
	return res
}

var tableKeys = []string{"a", "a/b", "a/b/c", "a/c", "b", "b/", "c/d/e", "photos/2024/feb.jpg",
	"photos/2024/jan.jpg", "photos/2025/x.jpg", "photos/index.html", "readme", "é/x", "éa"}

func testListTable(e *env) {
	b := e.bucket("bkt")
	for _, k := range tableKeys {
		e.put(b, k, []byte(k))
	}
	// Hand-written expectations, so that a bug shared by the model and the store still shows.
	for _, tc := range []struct {
		in       objstore.ListInput
		objs     []string
		prefixes []string
		next     string
	}{
		{objstore.ListInput{MaxKeys: 1000, Delimiter: "/"}, []string{"a", "b", "readme", "éa"}, []string{"a/", "b/", "c/", "photos/", "é/"}, ""},
		{objstore.ListInput{MaxKeys: 1000, Delimiter: "/", Prefix: "photos/"}, []string{"photos/index.html"}, []string{"photos/2024/", "photos/2025/"}, ""},
		{objstore.ListInput{MaxKeys: 1000, Prefix: "photos/2024/"}, []string{"photos/2024/feb.jpg", "photos/2024/jan.jpg"}, nil, ""},
		{objstore.ListInput{MaxKeys: 3, Delimiter: "/"}, []string{"a", "b"}, []string{"a/"}, "b"},
		{objstore.ListInput{MaxKeys: 2, Delimiter: "/", After: "a/"}, []string{"b"}, []string{"b/"}, "b/"},
		{objstore.ListInput{MaxKeys: 1000, Delimiter: "/", After: "photos/2024/zzz", Prefix: "photos/"}, []string{"photos/index.html"}, []string{"photos/2025/"}, ""},
		{objstore.ListInput{MaxKeys: 1000, Delimiter: "/", After: "photos/2024/a", Prefix: "photos/"}, []string{"photos/index.html"}, []string{"photos/2025/"}, ""},
		{objstore.ListInput{MaxKeys: 1000, Delimiter: "b", Prefix: "a/"}, []string{"a/c"}, []string{"a/b"}, ""},
		{objstore.ListInput{MaxKeys: 1000, Delimiter: "/", Prefix: "zzz"}, nil, nil, ""},
		{objstore.ListInput{MaxKeys: 1000, After: "readme"}, []string{"é/x", "éa"}, nil, ""},
		{objstore.ListInput{MaxKeys: 0}, nil, nil, ""},
		{objstore.ListInput{MaxKeys: 1000, Prefix: "a/b/c"}, []string{"a/b/c"}, nil, ""},
	} {
		res := e.checkList(b, tableKeys, tc.in)
		var objs []string
		for _, o := range res.Objects {
			objs = append(objs, o.Key)
		}
		if !slices.Equal(objs, tc.objs) || !slices.Equal(res.CommonPrefixes, tc.prefixes) ||
			res.IsTruncated != (tc.next != "") || res.Next != tc.next && res.IsTruncated {
			e.t.Fatalf("ListObjects(%+v) = %q %q next %q, want %q %q next %q", tc.in, objs, res.CommonPrefixes, res.Next, tc.objs, tc.prefixes, tc.next)
		}
	}
}

// randomKeys draws n distinct keys from a small alphabet, so that prefixes and delimiters
// collide often; it includes a two-byte rune and keys ending in the delimiter.
func randomKeys(r *rand.Rand, n int) []string {
	alphabet := []string{"a", "b", "/", "-", "é", "z"}
	set := map[string]bool{}
	for len(set) < n {
		var sb strings.Builder
		for l := 1 + r.IntN(7); l > 0; l-- {
			sb.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		set[sb.String()] = true
	}
	keys := make([]string, 0, n)
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// randomInput picks a listing query; prefixes and markers often come from real keys.
func randomInput(r *rand.Rand, keys []string) objstore.ListInput {
	pick := func() string {
		switch r.IntN(4) {
		case 0:
			return ""
		case 1:
			k := keys[r.IntN(len(keys))]
			return k[:r.IntN(len(k)+1)]
		case 2:
			return keys[r.IntN(len(keys))]
		default:
			return []string{"a", "a/", "b-", "z", "é", "/", "a/b"}[r.IntN(7)]
		}
	}
	in := objstore.ListInput{Prefix: pick(), After: pick(), MaxKeys: 1 + r.IntN(8)}
	if r.IntN(3) > 0 {
		in.Delimiter = []string{"/", "-", "a/", "é", "zz"}[r.IntN(5)]
	}
	if r.IntN(4) == 0 {
		in.MaxKeys = 1000
	}
	return in
}

func testListModel(e *env) {
	b := e.bucket("bkt")
	seed := uint64(20240601)
	r := rand.New(rand.NewPCG(seed, 1))
	keys := randomKeys(r, 160)
	e.putAll(b, keys)
	for i := 0; i < 400; i++ {
		e.checkList(b, keys, randomInput(r, keys))
	}
	// Walking every page with Next as After yields the whole listing exactly once.
	for i := 0; i < 60; i++ {
		in := randomInput(r, keys)
		in.After = ""
		wo, wp, _, _ := listModel(keys, objstore.ListInput{Prefix: in.Prefix, Delimiter: in.Delimiter, MaxKeys: len(keys)})
		var objs, prefixes []string
		for page := 0; ; page++ {
			res := e.checkList(b, keys, in)
			if n := len(res.Objects) + len(res.CommonPrefixes); n > in.MaxKeys || (res.IsTruncated && n != in.MaxKeys) {
				e.t.Fatalf("page %d of %+v has %d entries", page, in, n)
			}
			for _, o := range res.Objects {
				objs = append(objs, o.Key)
			}
			prefixes = append(prefixes, res.CommonPrefixes...)
			if !res.IsTruncated {
				break
			}
			in.After = res.Next
		}
		if !slices.Equal(objs, wo) || !slices.Equal(prefixes, wp) {
			e.t.Fatalf("paging %+v (seed %d) gave %q %q, want %q %q", in, seed, objs, prefixes, wo, wp)
		}
	}
}

// testListPaging pages through a bucket larger than one page of MaxListKeys.
func testListPaging(e *env) {
	b := e.bucket("bkt")
	var keys []string
	for i := 0; i < 2100; i++ {
		keys = append(keys, fmt.Sprintf("dir%d/file%05d", i%3, i))
	}
	e.putAll(b, keys)
	slices.Sort(keys)
	if got := e.keysOf(b); !slices.Equal(got, keys) {
		e.t.Fatalf("paging listed %d keys, want %d", len(got), len(keys))
	}
	res := e.checkList(b, keys, objstore.ListInput{MaxKeys: 1000, Delimiter: "/"})
	if !slices.Equal(res.CommonPrefixes, []string{"dir0/", "dir1/", "dir2/"}) {
		e.t.Fatalf("CommonPrefixes = %q", res.CommonPrefixes)
	}
	e.checkList(b, keys, objstore.ListInput{MaxKeys: 1000, Prefix: "dir1/", After: "dir1/file01000"})
}
