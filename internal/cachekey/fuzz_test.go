package cachekey

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// decodeKey parses a key back into its fields, failing on anything malformed. That every key
// decodes to exactly the parts it was built from is what makes Key injective.
func decodeKey(t *testing.T, k string) (host, path string, query, headers, cookies []string, ae string) {
	t.Helper()
	rest, ok := strings.CutPrefix(k, keyVersion)
	if !ok {
		t.Fatalf("key %q lacks its version", k)
	}
	field := func() string {
		n, after, ok := strings.Cut(rest, ":")
		l, err := strconv.Atoi(n)
		if !ok || err != nil || l < 0 || l > len(after) {
			t.Fatalf("bad field at %q", rest)
		}
		rest = after[l:]
		return after[:l]
	}
	count := func(tag byte) int {
		if rest == "" || rest[0] != tag {
			t.Fatalf("want list %c at %q", tag, rest)
		}
		n, after, ok := strings.Cut(rest[1:], ";")
		c, err := strconv.Atoi(n)
		if !ok || err != nil || c < 0 {
			t.Fatalf("bad count at %q", rest)
		}
		rest = after
		return c
	}
	host, path = field(), field()
	for range count('q') {
		query = append(query, field())
	}
	for range count('h') {
		name := field()
		for range count('v') {
			headers = append(headers, name+": "+field())
		}
	}
	for range count('c') {
		cookies = append(cookies, field())
	}
	ae = field()
	if rest != "" {
		t.Fatalf("trailing %q", rest)
	}
	return
}

// FuzzKey checks that every key decodes back to its inputs (so no two different inputs share
// one) and that the key does not depend on the order of query parameters with distinct names.
func FuzzKey(f *testing.F) {
	f.Add("h.example", "/a", "b=2&a=1", "X", "1", "a=1; b=2", "gzip, br;q=0")
	f.Add("", "", "", "", "", "", "")
	f.Add("3:x", "1:", "a&a=&=a", "Connection", "close", "=; ;a", "br")
	p := Policy{Query: Selector{Behavior: All}, Headers: Selector{Behavior: All}, Cookies: Selector{Behavior: All}, Gzip: true, Brotli: true}
	f.Fuzz(func(t *testing.T, host, path, q, hname, hval, cookie, ae string) {
		h := http.Header{}
		if hname != "" {
			h[hname] = []string{hval}
		}
		h.Set("Cookie", cookie)
		h.Set("Accept-Encoding", ae)
		k := Key(p, host, path, q, h)
		gh, gp, gq, _, gc, gae := decodeKey(t, k)
		if gh != strings.ToLower(host) || gp != path {
			t.Fatalf("host/path %q %q decoded as %q %q", host, path, gh, gp)
		}
		if want := queryPairs(q, func(string) bool { return true }); len(want) != len(gq) {
			t.Fatalf("query %q: %d items keyed, want %d", q, len(gq), len(want))
		} else {
			for i := range want {
				if want[i].raw != gq[i] {
					t.Fatalf("query item %d = %q, want %q", i, gq[i], want[i].raw)
				}
			}
		}
		if len(gc) != len(cookiePairs(h, func(string) bool { return true })) {
			t.Fatalf("cookie %q: %d keyed", cookie, len(gc))
		}
		if gae != NormalizeAcceptEncoding(p, ae) {
			t.Fatalf("accept-encoding %q keyed as %q", ae, gae)
		}
		// Reversing distinct-name parameters never changes the key.
		items := strings.Split(q, "&")
		seen := map[string]bool{}
		for _, it := range items {
			n, _, _ := strings.Cut(it, "=")
			if dec, err := url.QueryUnescape(n); err == nil {
				n = dec
			}
			if seen[n] {
				return
			}
			seen[n] = true
		}
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
		if k2 := Key(p, host, path, strings.Join(items, "&"), h); k2 != k {
			t.Fatalf("reordering %q changed the key", q)
		}
	})
}
