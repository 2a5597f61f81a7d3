package edge

import (
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/cachekey"
	"github.com/imgcdn/imgcdn/internal/imaging"
)

// FuzzSplitOptionQuery: whatever a viewer's query holds, splitting it never panics, every
// item lands on exactly one side, the options side holds only option names, and the source
// side keeps items as written and never the signature once dropped.
func FuzzSplitOptionQuery(f *testing.F) {
	for _, s := range []string{"width=300&format=auto", "w=1&v=2&sig=abc", "a=%zz&width=%31", "&&w&=x&q=high&&", "width=1&width=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		opts, rest := splitOptionQuery(raw, cachekey.Selector{Behavior: cachekey.All})
		n := 0
		for name, vs := range opts {
			if !isOptionName(name) {
				t.Fatalf("%q: %q is not an option", raw, name)
			}
			n += len(vs)
		}
		kept := 0
		if rest != "" {
			kept = len(strings.Split(rest, "&"))
		}
		items := 0
		for it := range strings.SplitSeq(raw, "&") {
			if it != "" {
				items++
			}
		}
		if n+kept != items {
			t.Fatalf("%q: %d options + %d kept != %d items", raw, n, kept, items)
		}
		_, _, _ = imaging.ParseQuery(opts)
		for it := range strings.SplitSeq(dropParam(rest, imaging.SignatureParam), "&") {
			if k, _, _ := strings.Cut(it, "="); k == imaging.SignatureParam {
				t.Fatalf("%q: signature kept in %q", raw, rest)
			}
		}
		if strings.Contains(rest, "&&") || strings.HasPrefix(rest, "&") {
			t.Fatalf("%q: empty items kept in %q", raw, rest)
		}
	})
}
