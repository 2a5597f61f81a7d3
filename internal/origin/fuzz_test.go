package origin

import (
	"strings"
	"testing"
)

// FuzzCanonicalQuery: a viewer's query, whatever it holds, canonicalizes to a form that is
// its own canonical form (so the wire query is exactly the signed one) and holds only
// unreserved characters, '%', '=' and '&'.
func FuzzCanonicalQuery(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "z&a=", "x=a+b%20c", "%zz=1", "k=%2F&&=", "ü=😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c := canonicalQuery(raw)
		if again := canonicalQuery(c); again != c {
			t.Fatalf("canonicalQuery(%q) = %q, not stable: %q", raw, c, again)
		}
		const allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%=&"
		if strings.ContainsFunc(c, func(r rune) bool { return !strings.ContainsRune(allowed, r) }) {
			t.Fatalf("canonicalQuery(%q) = %q has characters outside the canonical set", raw, c)
		}
	})
}
