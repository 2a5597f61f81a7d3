package ttl

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxDelta is the value RFC 9111 1.2.2 says a cache must use when a delta-seconds value is larger
// than it can represent: "the cache MUST consider the value to be 2147483648 (2^31)".
const maxDelta = 2147483648 * time.Second

// directives is the part of a response's Cache-Control header the edge acts on.
type directives struct {
	noStore, noCache, private      bool
	mustRevalidate, proxyRevalid   bool
	maxAge, sMaxAge                time.Duration
	hasMaxAge, hasSMaxAge          bool
	staleWhileRevalidate, staleErr time.Duration
}

// parseCacheControl reads every Cache-Control field line of h (RFC 9111 5.2: a list of
// directive[=value], names case-insensitive, values a token or a quoted-string, which
// "Recipients SHOULD accept ... even if a specific form is required").
//
// When a directive repeats, the first occurrence is used (RFC 9111 4.2.1: "either the first
// occurrence should be used or the response should be considered stale"). A delta-seconds
// directive with an invalid value is taken as 0, because "Caches are encouraged to consider
// responses that have invalid freshness information (e.g., a max-age directive with non-integer
// content) to be stale" (4.2.1).
func parseCacheControl(h http.Header) directives {
	var d directives
	seen := map[string]bool{}
	for _, line := range h.Values("Cache-Control") {
		for _, item := range splitList(line) {
			name, value, _ := strings.Cut(item, "=")
			name = strings.ToLower(strings.TrimSpace(name))
			value = unquote(strings.TrimSpace(value))
			if name == "" || seen[name] {
				continue
			}
			seen[name] = true
			switch name {
			case "no-store":
				d.noStore = true
			case "no-cache":
				// The qualified form no-cache="field" (5.2.2.4) is treated like the
				// unqualified one: the edge does not strip fields from stored responses.
				d.noCache = true
			case "private":
				d.private = true
			case "must-revalidate":
				d.mustRevalidate = true
			case "proxy-revalidate":
				d.proxyRevalid = true
			case "max-age":
				d.maxAge, d.hasMaxAge = deltaSeconds(value), true
			case "s-maxage":
				d.sMaxAge, d.hasSMaxAge = deltaSeconds(value), true
			case "stale-while-revalidate":
				d.staleWhileRevalidate = deltaSeconds(value)
			case "stale-if-error":
				d.staleErr = deltaSeconds(value)
			}
		}
	}
	return d
}

// deltaSeconds parses a non-negative integer number of seconds (RFC 9111 1.2.2), 0 when invalid
// and 2^31 seconds when larger than that.
func deltaSeconds(v string) time.Duration {
	if v == "" {
		return 0
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0
		}
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n >= uint64(maxDelta/time.Second) {
		return maxDelta
	}
	return time.Duration(n) * time.Second
}

// splitList splits a comma-separated field value, leaving commas inside quoted strings alone
// (no-cache="Set-Cookie, Set-Cookie2" is one directive).
func splitList(v string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			if quoted {
				i++
			}
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}

// unquote strips a quoted-string's quotes and backslash escapes (RFC 9110 5.6.4).
func unquote(v string) string {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return v
	}
	v = v[1 : len(v)-1]
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
