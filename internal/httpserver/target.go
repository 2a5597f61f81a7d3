package httpserver

import (
	"net/http"
	"net/url"
	"strings"
)

// parseTarget fills h.url from the request target (RFC 9112 §3.2) and, for the
// absolute-form, h.host. The origin-form without percent-encoding or unusual characters,
// the form of nearly every request, is split in place; everything else goes through
// url.ParseRequestURI exactly as net/http does, so r.URL is the same either way (a fuzz
// target checks that).
func parseTarget(h *head) error {
	t := h.target
	if h.method == http.MethodConnect && !strings.HasPrefix(t, "/") {
		// authority-form (RFC 9112 §3.2.3): net/http parses "http://" + target and drops
		// the scheme.
		u, err := url.ParseRequestURI("http://" + t)
		if err != nil || u.Path != "" || u.RawQuery != "" {
			return bad("malformed CONNECT target")
		}
		u.Scheme = ""
		h.url = *u
		if h.host == "" {
			h.host = u.Host
		}
		return nil
	}
	if fastTarget(t) {
		path, query, hasQuery := strings.Cut(t, "?")
		h.url = url.URL{Path: path, RawQuery: query, ForceQuery: hasQuery && query == ""}
		return nil
	}
	u, err := url.ParseRequestURI(t)
	if err != nil {
		return bad("malformed request target")
	}
	h.url = *u
	if u.Host != "" {
		// RFC 9112 §3.2.2: with an absolute-form target the Host field is ignored.
		h.host = u.Host
	}
	return nil
}

// fastTarget reports whether t is an origin-form target whose path net/url keeps verbatim.
// The query may hold any byte splitRequestLine let through (no controls, no spaces): net/url
// keeps RawQuery as it is.
func fastTarget(t string) bool {
	if t == "" || t[0] != '/' {
		return false
	}
	i := 0
	for ; i < len(t) && t[i] != '?'; i++ {
		if !pathBytes[t[i]] {
			return false
		}
	}
	return true
}
