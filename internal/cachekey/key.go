package cachekey

import (
	"net/http"
	"strconv"
	"strings"
)

// keyVersion starts every key, so a change of format never matches entries written by an older
// one.
const keyVersion = "ck1"

// Key is the cache key of a viewer request under p.
//
// It holds what CloudFront's key holds ("Controlling the cache key"): the host (callers pass the
// distribution's domain name, lower-cased here, so every alias shares one entry), the path (case
// sensitive), the selected query parameters, headers and cookies with their values, and the
// normalised Accept-Encoding. It is:
//   - canonical: query parameters and cookies sorted by name (stable, so repeated names keep
//     their order), header names lower-cased and sorted, only names the selectors choose;
//   - unambiguous: every item is written as <length>:<bytes>, and every list with its count, so
//     no two different inputs produce the same key (a value containing separators cannot
//     imitate a field boundary).
//
// Keys can be long; a store that needs fixed-size names hashes them (SHA-256).
func Key(p Policy, host, path, rawQuery string, h http.Header) string {
	var buf [256]byte
	return string(AppendKey(buf[:0], p, host, path, rawQuery, h))
}

// AppendKey appends Key's bytes to b, so that a caller building a longer key (the edge prefixes
// the distribution and method) makes one string instead of two.
func AppendKey(b []byte, p Policy, host, path, rawQuery string, h http.Header) []byte {
	b = append(b, keyVersion...)
	b = appendLowerField(b, host)
	b = appendField(b, path)

	q := queryPairs(rawQuery, func(n string) bool { return p.Query.selects(n, exactName) })
	b = appendCount(b, 'q', len(q))
	for _, it := range q {
		b = appendField(b, it.raw)
	}

	aeNormalised := p.Gzip || p.Brotli
	var hs []field
	if !p.Headers.none() {
		hs = headerFields(h, func(n string) bool { return p.Headers.selects(n, headerName) }, aeNormalised)
	}
	b = appendCount(b, 'h', len(hs))
	for _, f := range hs {
		b = appendField(b, f.name)
		b = appendCount(b, 'v', len(f.values))
		for _, v := range f.values {
			b = appendField(b, v)
		}
	}

	cs := cookiePairs(h, func(n string) bool { return p.Cookies.selects(n, cookieName) })
	b = appendCount(b, 'c', len(cs))
	for _, it := range cs {
		b = appendField(b, it.raw)
	}

	ae := ""
	if aeNormalised {
		ae = NormalizeAcceptEncoding(p, strings.Join(h.Values("Accept-Encoding"), ","))
	}
	b = appendField(b, ae)
	return b
}

// appendField writes s as <len>:<s>.
func appendField(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// appendLowerField is appendField of strings.ToLower(s) without the intermediate string (host
// names are ASCII; other bytes are kept as they are, as ToLower keeps them for ASCII input).
func appendLowerField(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 {
			return appendField(b, strings.ToLower(s))
		}
	}
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// appendCount writes a tagged list length, <tag><n>;.
func appendCount(b []byte, tag byte, n int) []byte {
	b = append(b, tag)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, ';')
}
