package precond

import (
	"slices"
	"strings"
	"testing"
)

// tags parses a whole list with nextTag.
func tags(v string) []entityTag {
	var out []entityTag
	for rest := v; ; {
		t, r, ok := nextTag(rest)
		if !ok {
			return out
		}
		out = append(out, t)
		rest = r
	}
}

func TestNextTag(t *testing.T) {
	cases := []struct {
		in   string
		want []entityTag
	}{
		{"", nil},
		{" , ,", nil},
		{`"abc"`, []entityTag{{opaque: "abc"}}},
		{`W/"abc"`, []entityTag{{weak: true, opaque: "abc"}}},
		{`""`, []entityTag{{opaque: ""}}},
		{`*`, []entityTag{{opaque: "*", star: true}}},
		{`"*"`, []entityTag{{opaque: "*"}}},
		{`W/*`, []entityTag{{weak: true, opaque: "*"}}},
		{`"a", W/"b" ,"c"`, []entityTag{{opaque: "a"}, {weak: true, opaque: "b"}, {opaque: "c"}}},
		{`"a,b", "c"`, []entityTag{{opaque: "a,b"}, {opaque: "c"}}},
		{`abc`, []entityTag{{opaque: "abc"}}},
		{`abc , def`, []entityTag{{opaque: "abc"}, {opaque: "def"}}},
		{`W/abc`, []entityTag{{weak: true, opaque: "abc"}}},
		{`"abc`, []entityTag{{opaque: "abc"}}},
		{`"a",,"b"`, []entityTag{{opaque: "a"}, {opaque: "b"}}},
		{"\t\"a\"\t", []entityTag{{opaque: "a"}}},
	}
	for _, c := range cases {
		if got := tags(c.in); !slices.Equal(got, c.want) {
			t.Errorf("tags(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestComparisons(t *testing.T) {
	// RFC 9110 §8.8.3.2's table.
	cases := []struct {
		a, b         string
		strong, weak bool
	}{
		{`W/"1"`, `W/"1"`, false, true},
		{`W/"1"`, `W/"2"`, false, false},
		{`W/"1"`, `"1"`, false, true},
		{`"1"`, `"1"`, true, true},
	}
	for _, c := range cases {
		a, b := parseCurrent(c.a), parseCurrent(c.b)
		if got := strongMatch(a, b); got != c.strong {
			t.Errorf("strong(%s, %s) = %v, want %v", c.a, c.b, got, c.strong)
		}
		if got := weakMatch(a, b); got != c.weak {
			t.Errorf("weak(%s, %s) = %v, want %v", c.a, c.b, got, c.weak)
		}
	}
}

// FuzzEntityTagList feeds arbitrary If-Match / If-None-Match values to the list parser: it must
// terminate without panicking, always make progress, and find any well-formed tag appended to
// the list.
func FuzzEntityTagList(f *testing.F) {
	for _, s := range []string{"", "*", `"a", W/"b"`, `"a,b`, `W/`, `,,,`, `"`, `W/"`, "abc, def"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for rest := v; ; {
			_, r, ok := nextTag(rest)
			if !ok {
				break
			}
			if len(r) >= len(rest) {
				t.Fatalf("nextTag(%q) made no progress", rest)
			}
			rest = r
		}
		// Without quotes, every comma ends an element, so nothing v holds can swallow a tag
		// appended after it. (A stray quote in garbage legitimately opens a quoted tag.)
		current := entityTag{opaque: "fuzz-etag-1"}
		if !strings.Contains(v, `"`) && !matchAny(v+`, "fuzz-etag-1"`, current, strongMatch) {
			t.Fatalf("appended tag not found in %q", v)
		}
		// Any non-empty quote-free opaque string round-trips through a quoted list element.
		if v != "" && !strings.Contains(v, `"`) {
			if !matchAny(`"x", "`+v+`"`, entityTag{opaque: v}, strongMatch) {
				t.Fatalf("quoted %q not matched", v)
			}
		}
	})
}
