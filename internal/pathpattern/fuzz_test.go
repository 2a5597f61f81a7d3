package pathpattern

import (
	"testing"
	"unicode/utf8"
)

// FuzzMatch checks the linear matcher against a plain recursive reference on short inputs and
// that it always stays within its step bound.
func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{
		{"images/*.jpg", "/images/a/b.jpg"}, {"a??.jpg", "/abe.jpg"}, {"*.doc*", "/x.docx"},
		{"/*a*a*b", "/aaaa"}, {"?", "/"}, {"*", ""}, {"/?.x", "/ñ.x"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, path string) {
		if len(pattern) > 64 || len(path) > 256 || !utf8.ValidString(pattern) || !utf8.ValidString(path) {
			return
		}
		got, steps := match(pattern, path)
		if bound := (len(pattern) + 2) * (len(path) + 2); steps > bound {
			t.Fatalf("match(%q, %q): %d steps > bound %d", pattern, path, steps, bound)
		}
		if want := reference([]byte(rooted(pattern)), []rune(rooted(path))); got != want {
			t.Fatalf("match(%q, %q) = %v, reference says %v", pattern, path, got, want)
		}
	})
}

// reference is the obvious exponential recursive glob over runes, trusted for small inputs.
func reference(p []byte, s []rune) bool {
	if len(p) == 0 {
		return len(s) == 0
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if reference(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return len(s) > 0 && reference(p[1:], s[1:])
	}
	// A literal: compare the pattern's next rune.
	r, w := utf8.DecodeRune(p)
	return len(s) > 0 && s[0] == r && reference(p[w:], s[1:])
}
