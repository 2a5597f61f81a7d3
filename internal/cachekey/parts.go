package cachekey

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// pair is one query parameter or cookie as the viewer sent it: raw is the exact text ("a=1",
// "a", "a="), name the name it is selected and sorted by.
type pair struct{ name, raw string }

// queryPairs splits a raw query on '&' (empty items dropped). Names are matched decoded
// (split%2Dpages is split-pages) and case-sensitively ("Caching content based on query string
// parameters"); the raw text is what goes into the key and to the origin, so two spellings of one
// parameter are two keys, never one key for two different origin requests.
func queryPairs(rawQuery string, sel func(name string) bool) []pair {
	var out []pair
	for item := range strings.SplitSeq(rawQuery, "&") {
		if item == "" {
			continue
		}
		name, _, _ := strings.Cut(item, "=")
		if dec, err := url.QueryUnescape(name); err == nil {
			name = dec
		}
		if sel(name) {
			out = append(out, pair{name, item})
		}
	}
	sortPairs(out)
	return out
}

// cookiePairs reads every Cookie field line ("cookie-string" of RFC 6265 5.4: pairs separated by
// "; "). Cookie names are case-sensitive.
func cookiePairs(h http.Header, sel func(name string) bool) []pair {
	var out []pair
	for _, line := range h.Values("Cookie") {
		for item := range strings.SplitSeq(line, ";") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			name, _, _ := strings.Cut(item, "=")
			name = strings.TrimSpace(name)
			if sel(name) {
				out = append(out, pair{name, item})
			}
		}
	}
	sortPairs(out)
	return out
}

// sortPairs orders by name and keeps the viewer's order among equal names: a=1&a=2 and a=2&a=1
// can mean different things to an origin, so they stay different keys, while b=1&a=1 and
// a=1&b=1 share one.
func sortPairs(ps []pair) {
	slices.SortStableFunc(ps, func(a, b pair) int { return strings.Compare(a.name, b.name) })
}

// field is one request header chosen for the key or the origin: its lower-cased name and its
// values in order.
type field struct {
	name   string
	values []string
}

// headerFields returns the viewer headers sel chooses, sorted by lower-cased name, leaving out
// the ones that are never keyed or forwarded (forbidden) and, when skipAE, Accept-Encoding
// (normalised separately).
func headerFields(h http.Header, sel func(name string) bool, skipAE bool) []field {
	hop := connectionTokens(h)
	byName := map[string][]string{}
	for k, vs := range h {
		n := strings.ToLower(k)
		if forbidden(n) || hop[n] || (skipAE && n == "accept-encoding") || !sel(n) {
			continue
		}
		byName[n] = append(byName[n], vs...)
	}
	out := make([]field, 0, len(byName))
	for n, vs := range byName {
		out = append(out, field{n, vs})
	}
	slices.SortFunc(out, func(a, b field) int { return strings.Compare(a.name, b.name) })
	return out
}
