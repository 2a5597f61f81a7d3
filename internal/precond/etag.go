package precond

import (
	"net/http"
	"strings"
)

// entityTag is one parsed entity-tag (RFC 9110 §8.8.3): an opaque string, possibly weak.
type entityTag struct {
	weak   bool
	opaque string
	// star is the bare "*" of If-Match: * and If-None-Match: *, which matches any current
	// representation. A quoted "*" is an ordinary (if odd) entity-tag.
	star bool
}

// comparison is one of the two entity-tag comparison functions of RFC 9110 §8.8.3.2.
type comparison func(a, b entityTag) bool

// strongMatch is the strong comparison, required for If-Match (RFC 9110 §13.1.1): both tags
// strong and their opaque strings equal.
func strongMatch(a, b entityTag) bool {
	return !a.weak && !b.weak && a.opaque == b.opaque
}

// weakMatch is the weak comparison, required for If-None-Match (RFC 9110 §13.1.2): opaque
// strings equal, whatever the W/ flags.
func weakMatch(a, b entityTag) bool {
	return a.opaque == b.opaque
}

// listValue returns the combined field value of a list header (If-Match, If-None-Match and
// their copy-source twins). Several header lines are one comma-separated list (RFC 9110 §5.3).
// An empty value counts as absent, as net/http's own file server treats it.
func listValue(h http.Header, name string) (string, bool) {
	vs := h.Values(name)
	var v string
	switch len(vs) {
	case 0:
		return "", false
	case 1:
		v = vs[0]
	default:
		v = strings.Join(vs, ",")
	}
	v = strings.TrimSpace(v)
	return v, v != ""
}

// parseCurrent parses the object's own entity-tag. Stores may keep it quoted (as it is sent on
// the wire) or bare; both compare the same.
func parseCurrent(etag string) entityTag {
	t, _, ok := nextTag(etag)
	if !ok {
		return entityTag{}
	}
	return t
}

// matchAny reports whether the list v ("*" or #entity-tag) matches current under cmp. "*"
// matches any current representation; the caller has already established that one exists.
// An object without an entity-tag matches nothing but "*".
func matchAny(v string, current entityTag, cmp comparison) bool {
	for rest := v; ; {
		t, r, ok := nextTag(rest)
		if !ok {
			return false
		}
		rest = r
		if t.star {
			return true
		}
		if current.opaque != "" && cmp(t, current) {
			return true
		}
	}
}

// nextTag parses the first element of an entity-tag list and returns it with the remainder.
// ok is false when the list holds no further element.
//
// Besides the RFC 9110 §8.8.3 form (`"xyz"`, `W/"xyz"`), it tolerates bare tokens (`xyz`,
// `W/xyz`), which real S3 clients and scripts send (for example `--if-match <etag>` copied
// from the aws CLI's JSON without its quotes), and an unterminated quote (the rest of the list
// is the tag). Quoted tags may contain commas; bare ones end at the next comma.
func nextTag(s string) (entityTag, string, bool) {
	// Skip list separators and optional whitespace; RFC 9110 §5.6.1 tells recipients to ignore
	// empty list elements.
	s = strings.TrimLeft(s, " \t,")
	if s == "" {
		return entityTag{}, "", false
	}
	var t entityTag
	if strings.HasPrefix(s, "W/") {
		t.weak = true
		s = s[2:]
	}
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			t.opaque = s[1:]
			return t, "", true
		}
		t.opaque = s[1 : 1+end]
		return t, s[2+end:], true
	}
	end := strings.IndexByte(s, ',')
	if end < 0 {
		end = len(s)
	}
	t.opaque = strings.TrimRight(s[:end], " \t")
	t.star = !t.weak && t.opaque == "*"
	return t, s[end:], true
}
