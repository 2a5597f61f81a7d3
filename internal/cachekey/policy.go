package cachekey

import (
	"errors"
	"fmt"
	"strings"
)

// Selector behaviours, as CloudFront names them in cache policies and origin request policies
// (the legacy ForwardedValues values map onto them: QueryString false/true -> none/all, a
// QueryStringCacheKeys list -> whitelist, Forward none/whitelist/all for cookies).
const (
	None      = "none"      // nothing is selected
	Whitelist = "whitelist" // only Names
	AllExcept = "allExcept" // everything but Names
	All       = "all"       // everything
)

// ErrBehavior is returned by Validate for a Selector whose Behavior is not one of the four.
var ErrBehavior = errors.New("cachekey: selector behavior must be none, whitelist, allExcept or all")

// Selector chooses which query parameters, headers or cookies of a viewer request are used.
type Selector struct {
	// Behavior is None, Whitelist, AllExcept or All. The zero value "" means None.
	Behavior string
	// Names lists the names Whitelist keeps or AllExcept drops. Header names are
	// case-insensitive; query string and cookie names are case-sensitive, and cookie names may
	// use the * (any run) and ? (one character) wildcards of "Whitelist cookies".
	Names []string
}

// Policy is one cache behaviour's cache key settings (or origin request settings, for the
// forward argument of OriginRequest).
type Policy struct {
	Query, Headers, Cookies Selector
	// Gzip and Brotli are the cache policy's EnableAcceptEncodingGzip / EnableAcceptEncodingBrotli:
	// the viewer's Accept-Encoding is normalised to the enabled codings it accepts and that
	// normalised value is part of the key and of the origin request.
	Gzip, Brotli bool
}

// Validate reports a selector with an unknown behaviour, naming which one.
func (p Policy) Validate() error {
	for _, s := range []struct {
		what string
		sel  Selector
	}{{"query strings", p.Query}, {"headers", p.Headers}, {"cookies", p.Cookies}} {
		switch s.sel.Behavior {
		case "", None, Whitelist, AllExcept, All:
		default:
			return fmt.Errorf("%w (%s: %q)", ErrBehavior, s.what, s.sel.Behavior)
		}
	}
	return nil
}

// CachingDisabled reports whether the policy forwards all viewer headers, in which case
// "CloudFront doesn't cache the objects that are associated with this cache behavior. Instead,
// CloudFront sends every request to the origin" ("Cache based on selected request headers").
func (p Policy) CachingDisabled() bool {
	return p.Headers.Behavior == All
}

// selects reports whether name is chosen; match compares a configured name with it. An unknown
// behaviour selects nothing, the safe reading for a key (Validate reports it).
func (s Selector) selects(name string, match func(configured, name string) bool) bool {
	switch s.Behavior {
	case All:
		return true
	case Whitelist:
		return s.listed(name, match)
	case AllExcept:
		return !s.listed(name, match)
	}
	return false
}

// none reports whether s selects no name at all, so that callers can skip the work.
func (s Selector) none() bool {
	switch s.Behavior {
	case All, AllExcept:
		return false
	case Whitelist:
		return len(s.Names) == 0
	}
	return true
}

func (s Selector) listed(name string, match func(configured, name string) bool) bool {
	for _, n := range s.Names {
		if match(n, name) {
			return true
		}
	}
	return false
}

func exactName(configured, name string) bool { return configured == name }

func headerName(configured, name string) bool { return strings.EqualFold(configured, name) }

// cookieName matches a cookie name against a whitelist entry with the * and ? wildcards of
// "Whitelist cookies" ("userid_*" forwards "all of the cookies that begin with userid_"). It
// backtracks only to the last '*', so it is linear in practice and never exponential.
func cookieName(pattern, name string) bool {
	p, s := 0, 0
	starP, starS := -1, 0
	for s < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			starP, starS = p+1, s
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == name[s]):
			p++
			s++
		case starP >= 0:
			starS++
			p, s = starP, starS
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
