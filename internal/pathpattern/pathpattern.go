// Package pathpattern matches request paths against CloudFront cache-behaviour PathPatterns and
// picks the behaviour that applies to a request.
//
// The rules are those of the CloudFront Developer Guide, "Values that you specify when you create
// or update a distribution", section "Path pattern":
//
//   - "the requested path is compared with path patterns in the order in which cache behaviors
//     are listed in the distribution. The first match determines which cache behavior is applied"
//     (Select);
//   - "You can optionally include a slash (/) at the beginning of the path pattern ... CloudFront
//     behavior is the same with or without the leading /";
//   - "* matches 0 or more characters" (slashes included: images/*.jpg applies to .jpg files "in
//     the images directory and in subdirectories under the images directory") and "? matches
//     exactly 1 character";
//   - "Path patterns are case-sensitive, so the path pattern *.jpg doesn't apply to the file
//     LOGO.JPG";
//   - "CloudFront does not consider query strings or cookies when evaluating the path pattern":
//     callers pass the path only.
//
// Matching never backtracks more than one level (only to the most recent '*'), so it takes at
// most O(len(pattern) * len(path)) steps whatever the input: a hostile pattern such as
// "*a*a*a*a*b" cannot trigger the exponential blow-up of naive recursive globbing.
package pathpattern

import "unicode/utf8"

// Match reports whether path matches the CloudFront path pattern.
//
// Both the pattern and the path are taken as if they began with '/', so "images/*.jpg" and
// "/images/*.jpg" are the same pattern, and the default behaviour's "*" matches every path.
// Callers should pass the decoded URL path (http.Request.URL.Path), the same form behaviours are
// written in; the query string is never part of it. Both are read as UTF-8 (the guide limits
// patterns to an ASCII set, so a pattern that is not valid UTF-8 has no defined meaning).
func Match(pattern, path string) bool {
	ok, _ := match(pattern, path)
	return ok
}

// Select returns the index of the first pattern in patterns that matches path, in the order
// given (the order of the distribution's CacheBehaviors), or -1 when none matches and the
// default cache behaviour applies.
func Select(patterns []string, path string) int {
	for i, p := range patterns {
		if Match(p, path) {
			return i
		}
	}
	return -1
}

// match is Match that also returns how many comparison steps it took, so tests can prove the
// bound without timing anything.
func match(pattern, path string) (bool, int) {
	pattern = rooted(pattern)
	path = rooted(path)
	steps := 0
	p, s := 0, 0
	// starP is the pattern index just after the most recent '*' (-1 when none yet); starS is
	// the path index that star is currently assumed to stop at. Only this one point is ever
	// retried: a later '*' subsumes every choice an earlier one could have made, so
	// backtracking further never finds a match this loop misses.
	starP, starS := -1, 0
	for s < len(path) {
		steps++
		switch {
		case p < len(pattern) && pattern[p] == '*':
			starP, starS = p+1, s
			p++
		case p < len(pattern) && pattern[p] == '?':
			// "exactly 1 character": one UTF-8 sequence, not one byte.
			_, w := utf8.DecodeRuneInString(path[s:])
			p++
			s += w
		case p < len(pattern) && pattern[p] == path[s]:
			p++
			s++
		case starP >= 0:
			// Let the last '*' swallow one more character and retry from there. Whole
			// characters, so a later '?' never starts inside a multi-byte sequence.
			_, w := utf8.DecodeRuneInString(path[starS:])
			starS += w
			p, s = starP, starS
		default:
			return false, steps
		}
	}
	// The path is used up: what is left of the pattern must be stars only.
	for p < len(pattern) && pattern[p] == '*' {
		steps++
		p++
	}
	return p == len(pattern), steps
}

// rooted adds the leading '/' CloudFront treats as implicit.
func rooted(s string) string {
	if len(s) > 0 && s[0] == '/' {
		return s
	}
	return "/" + s
}
