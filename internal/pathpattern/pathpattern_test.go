package pathpattern

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		// "Path pattern" examples from the CloudFront Developer Guide.
		{"*.jpg", "/logo.jpg", true},
		{"*.jpg", "/images/a/b/logo.jpg", true},
		{"*.jpg", "/LOGO.JPG", false}, // "Path patterns are case-sensitive"
		{"images/*.jpg", "/images/sample.jpg", true},
		{"images/*.jpg", "/images/product1/sample.jpg", true}, // subdirectories too
		{"images/*.jpg", "/images/sample.gif", false},
		{"images/*.jpg", "/other/images/sample.jpg", false},
		{"/images/*.jpg", "/images/sample.jpg", true}, // leading '/' is optional
		{"images/*", "/images/sample.gif", true},
		{"/images/*", "/images/", true},
		{"/images/*", "/images", false},
		{"*.gif", "/images/sample.gif", true},
		{"a*.jpg", "/a.jpg", true},
		{"a*.jpg", "/abc.jpg", true},
		{"a*.jpg", "/b/a.jpg", false}, // anchored at the root
		{"a??.jpg", "/ant.jpg", true},
		{"a??.jpg", "/abe.jpg", true},
		{"a??.jpg", "/an.jpg", false},
		{"a??.jpg", "/antz.jpg", false},
		{"*.doc*", "/x.doc", true},
		{"*.doc*", "/x.docx", true},
		{"*.doc*", "/x.docm", true},
		{"*.doc?", "/x.doc", false}, // "? replaces exactly one character"
		{"*.doc?", "/x.docx", true},

		// The default behaviour.
		{"*", "/", true},
		{"*", "/anything/at/all?not-a-query", true},
		{"/*", "/x", true},

		// Literal patterns and anchoring at both ends.
		{"/index.html", "/index.html", true},
		{"index.html", "/index.html", true},
		{"/index.html", "/index.htm", false},
		{"/index.htm", "/index.html", false},
		{"/index.html", "index.html", true}, // a path without '/' is taken as rooted
		{"", "/", true},
		{"", "/x", false},
		{"/", "/", true},

		// Wildcards in odd places.
		{"**", "/", true},
		{"/a**b", "/ab", true},
		{"/a*b*c", "/aXbYc", true},
		{"/a*b*c", "/aXbY", false},
		{"/a*b", "/abab", true},
		{"/a*b", "/abac", false},
		{"/?", "/", false},
		{"/?", "/x", true},
		{"/?", "/xy", false},
		{"?x", "/x", false}, // '?' cannot eat the implicit leading '/' away from the path
		{"/*?", "/", false},
		{"/*?", "/a", true},
		{"/*/*/*", "/a/b/c", true},
		{"/*/*/*", "/a/b", false},

		// '?' is one character, not one byte.
		{"/?.jpg", "/ñ.jpg", true},
		{"/??.jpg", "/ñ.jpg", false},
		{"/*??", "/€", false},
		{"/*?", "/€", true},
		{"/a*€", "/a€", true},
		{"/a*€", "/ab€", true},

		// Characters the guide allows in patterns are literals.
		{"/$~\"'@:+_-.", "/$~\"'@:+_-.", true},
		{"/a&b", "/a&b", true},
	}
	for _, c := range cases {
		if got := Match(c.pattern, c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestSelect(t *testing.T) {
	// The guide's precedence example: images/*.jpg, images/*, *.gif in that order, "A request
	// for the file images/sample.gif doesn't satisfy the first path pattern ... does satisfy
	// the second path pattern, so the cache behaviors associated with the second path pattern
	// are applied even though the request also matches the third".
	patterns := []string{"images/*.jpg", "images/*", "*.gif"}
	cases := []struct {
		path string
		want int
	}{
		{"/images/sample.jpg", 0},
		{"/images/sample.gif", 1},
		{"/images/deep/x.txt", 1},
		{"/other/sample.gif", 2},
		{"/other/sample.jpg", -1},
		{"/", -1},
	}
	for _, c := range cases {
		if got := Select(patterns, c.path); got != c.want {
			t.Errorf("Select(%q) = %d, want %d", c.path, got, c.want)
		}
	}
	if got := Select(nil, "/x"); got != -1 {
		t.Errorf("Select(nil) = %d, want -1", got)
	}
	// First match wins even when a later pattern is more specific.
	if got := Select([]string{"*", "/images/*"}, "/images/a"); got != 0 {
		t.Errorf("Select with a leading catch-all = %d, want 0", got)
	}
}

// TestHostilePatternIsBounded proves the matcher stays within len(pattern)*len(path) steps on
// inputs that make naive recursive globbing exponential. It counts steps instead of timing.
func TestHostilePatternIsBounded(t *testing.T) {
	cases := []struct{ pattern, path string }{
		{strings.Repeat("*a", 40) + "b", "/" + strings.Repeat("a", 4000)},
		{"/" + strings.Repeat("*?", 60) + "x", "/" + strings.Repeat("y", 4000)},
		{"*" + strings.Repeat("a", 200) + "b", "/" + strings.Repeat("a", 8000)},
	}
	for _, c := range cases {
		ok, steps := match(c.pattern, c.path)
		if ok {
			t.Errorf("match(%.20q..., %.20q...) = true, want false", c.pattern, c.path)
		}
		bound := (len(c.pattern) + 2) * (len(c.path) + 2)
		if steps > bound {
			t.Errorf("pattern %.20q...: %d steps, more than the %d bound", c.pattern, steps, bound)
		}
	}
	// A linear input stays linear.
	_, steps := match("/*.jpg", "/"+strings.Repeat("x", 10000)+".jpg")
	if steps > 3*10010 {
		t.Errorf("plain suffix pattern took %d steps on a 10 kB path", steps)
	}
}
