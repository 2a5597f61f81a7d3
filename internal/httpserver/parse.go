package httpserver

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"
)

// errIncomplete means the buffer does not hold a whole request head yet: read more.
var errIncomplete = errors.New("httpserver: incomplete request head")

// ParseError is a request refused before any handler runs: the server answers Status with
// Reason and closes the connection, because after a framing error it cannot know where the
// next request starts (RFC 9112 §2.2, §6.3).
type ParseError struct {
	Status int
	Reason string
}

func (e *ParseError) Error() string { return "httpserver: " + e.Reason }

func bad(reason string) *ParseError {
	return &ParseError{Status: http.StatusBadRequest, Reason: reason}
}

// limits bounds what parseHead accepts.
type limits struct {
	maxBytes   int // request line + header section, line terminators included
	maxHeaders int // header field lines
}

// head is one parsed request head. Every string is a substring of one string made from
// the head's bytes: the only allocation of a parse (besides the rare absolute-form or
// percent-encoded target, which goes through net/url).
type head struct {
	method, target, proto string
	major, minor          int
	header                http.Header
	url                   url.URL
	host                  string
	contentLength         int64 // -1 with chunked
	chunked               bool
	expectContinue        bool
	wantClose             bool // Connection: close, or HTTP/1.0 without keep-alive
	keepAlive10           bool // HTTP/1.0 with Connection: keep-alive
}

// span locates a header field line's name and value in the head's bytes.
type span struct{ ks, ke, vs, ve int }

// parser holds the scratch space reused by every request of one connection.
type parser struct {
	lim   limits
	spans []span
	vals  []string
	te    [1]string
	// last is the previous head as a string. A keep-alive client often repeats its head
	// byte for byte (a poller, a load balancer's health check, a page's assets from one
	// template), and then the string is reused rather than allocated again.
	last string
}

// parseHead parses the request head at the start of buf into h, reusing h.header and the
// parser's scratch. It returns the bytes consumed, errIncomplete when buf ends first, or a
// *ParseError. Header names are canonicalized in place in buf (RFC 9110 §5.1: names are
// case-insensitive), which is why buf must be the server's own buffer.
//
// It is strict where leniency enables request smuggling (RFC 9112 §11.2): no obs-fold, no
// whitespace before a colon, one Content-Length with digits only, Transfer-Encoding only
// "chunked" and never together with Content-Length, one Host.
func (p *parser) parseHead(buf []byte, h *head) (int, error) {
	start := 0
	// RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a request line
	// (clients that send CRLF after a POST body).
	for start < len(buf) && start < 4 && (buf[start] == '\r' || buf[start] == '\n') {
		start++
	}
	p.spans = p.spans[:0]
	var reqLine []byte
	i := start
	end := -1
	for {
		j := bytes.IndexByte(buf[i:], '\n')
		if j < 0 {
			if len(buf)-start > p.lim.maxBytes {
				return 0, tooLarge("request head larger than the limit")
			}
			return 0, errIncomplete
		}
		line := buf[i : i+j]
		next := i + j + 1
		if next-start > p.lim.maxBytes {
			return 0, tooLarge("request head larger than the limit")
		}
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if reqLine == nil {
			if len(line) == 0 {
				return 0, bad("empty request line")
			}
			reqLine = line
		} else if len(line) == 0 {
			end = next
			break
		} else {
			if len(p.spans) == p.lim.maxHeaders {
				return 0, tooLarge("too many header fields")
			}
			sp, err := parseField(buf, i, i+len(line))
			if err != nil {
				return 0, err
			}
			p.spans = append(p.spans, sp)
		}
		i = next
	}
	method, target, proto, err := splitRequestLine(reqLine)
	if err != nil {
		return 0, err
	}
	major, minor, err := parseVersion(proto)
	if err != nil {
		return 0, err
	}
	// One string for the whole head: every method, target, name and value below is a
	// substring of it, valid after buf is reused for the next request.
	s := p.last
	if string(buf[start:end]) != s { // compared without a conversion
		s = string(buf[start:end])
		p.last = s
	}
	off := func(b []byte) int { return cap(buf[start:]) - cap(b) }
	ms, ts, ps := off(method), off(target), off(proto)
	*h = head{header: h.header, major: major, minor: minor,
		method: s[ms : ms+len(method)], target: s[ts : ts+len(target)], proto: s[ps : ps+len(proto)]}
	if err := p.fillHeader(s, start, h); err != nil {
		return 0, err
	}
	if err := parseTarget(h); err != nil {
		return 0, err
	}
	return end, nil
}

func tooLarge(reason string) *ParseError {
	return &ParseError{Status: http.StatusRequestHeaderFieldsTooLarge, Reason: reason}
}

// parseField checks one field line buf[from:to] (RFC 9112 §5: field-name ":" OWS
// field-value OWS), canonicalizes its name in place and returns where name and value are.
func parseField(buf []byte, from, to int) (span, error) {
	if c := buf[from]; c == ' ' || c == '\t' {
		// RFC 9112 §5.2: obs-fold; a server MUST reject it or replace it. We reject.
		return span{}, bad("obsolete line folding in the header")
	}
	colon := bytes.IndexByte(buf[from:to], ':')
	if colon <= 0 {
		return span{}, bad("malformed header line")
	}
	ke := from + colon
	upper := true
	for k := from; k < ke; k++ {
		c := buf[k]
		if !isTokenByte(c) {
			// Includes whitespace before the colon: RFC 9112 §5.1 requires a 400.
			return span{}, bad("invalid header name")
		}
		if upper && 'a' <= c && c <= 'z' {
			buf[k] = c - ('a' - 'A')
		} else if !upper && 'A' <= c && c <= 'Z' {
			buf[k] = c + ('a' - 'A')
		}
		upper = c == '-'
	}
	vs, ve := ke+1, to
	for vs < ve && (buf[vs] == ' ' || buf[vs] == '\t') {
		vs++
	}
	for ve > vs && (buf[ve-1] == ' ' || buf[ve-1] == '\t') {
		ve--
	}
	for k := vs; k < ve; k++ {
		if !isValueByte(buf[k]) {
			// CR, NUL and other controls (RFC 9110 §5.5).
			return span{}, bad("invalid header value")
		}
	}
	return span{ks: from, ke: ke, vs: vs, ve: ve}, nil
}

// fillHeader builds h.header from the spans and extracts the fields that frame the
// request or steer the connection.
func (p *parser) fillHeader(s string, start int, h *head) error {
	if h.header == nil {
		h.header = make(http.Header, len(p.spans))
	} else {
		clear(h.header)
	}
	p.vals = slices.Grow(p.vals[:0], len(p.spans))
	var hosts, lengths, tes int
	var cl, te, expect string
	connClose, connKeepAlive := false, false
	for _, sp := range p.spans {
		k, v := s[sp.ks-start:sp.ke-start], s[sp.vs-start:sp.ve-start]
		switch k {
		case "Host":
			hosts++
			h.host = v
			continue // net/http keeps Host out of r.Header too
		case "Content-Length":
			lengths++
			cl = v
		case "Transfer-Encoding":
			tes++
			te = v
			continue // net/http moves it to r.TransferEncoding
		case "Connection":
			connClose = connClose || hasToken(v, "close")
			connKeepAlive = connKeepAlive || hasToken(v, "keep-alive")
		case "Expect":
			expect = v
		}
		p.vals = append(p.vals, v)
		n := len(p.vals)
		if old, ok := h.header[k]; ok {
			h.header[k] = append(old, v)
		} else {
			// Capped so that a handler's append cannot overwrite the next field's value.
			h.header[k] = p.vals[n-1 : n : n]
		}
	}
	is11 := h.major == 1 && h.minor >= 1
	switch {
	case hosts > 1:
		return bad("too many Host headers")
	case hosts == 0 && is11 && h.method != http.MethodConnect:
		// RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without Host.
		return bad("missing required Host header")
	case hosts == 1 && !validHost(h.host):
		return bad("malformed Host header")
	case lengths > 1:
		// RFC 9112 §6.3: several Content-Length lines are a framing error (we do not
		// accept identical duplicates either: smuggling relies on parsers disagreeing).
		return bad("repeated Content-Length")
	case tes > 1:
		return bad("repeated Transfer-Encoding")
	case tes == 1 && lengths == 1:
		// RFC 9112 §6.1: such a request "ought to be handled as an error"; a server MAY
		// reject it, and a proxy in front of us may have framed it by the other field.
		return bad("both Transfer-Encoding and Content-Length")
	case tes == 1 && !is11:
		// RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
		return bad("Transfer-Encoding in an HTTP/1.0 request")
	case tes == 1 && !equalFold(te, "chunked"):
		// RFC 9112 §6.1: chunked must be the final coding; we accept no other (501 as
		// net/http answers for a coding it does not implement).
		return &ParseError{Status: http.StatusNotImplemented, Reason: "unsupported transfer encoding"}
	}
	h.contentLength = 0
	if tes == 1 {
		h.chunked, h.contentLength = true, -1
	} else if lengths == 1 {
		n, ok := parseLength(cl)
		if !ok {
			return bad("invalid Content-Length")
		}
		h.contentLength = n
	}
	if is11 {
		h.wantClose = connClose
	} else {
		h.keepAlive10 = connKeepAlive && !connClose
		h.wantClose = !h.keepAlive10
	}
	if expect != "" && is11 {
		if !equalFold(expect, "100-continue") {
			return &ParseError{Status: http.StatusExpectationFailed, Reason: "unsupported expectation"}
		}
		h.expectContinue = h.contentLength != 0
	}
	return nil
}

// splitRequestLine splits "method SP request-target SP HTTP-version" (RFC 9112 §3), with
// exactly one space between parts.
func splitRequestLine(line []byte) (method, target, proto []byte, err error) {
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 <= 0 {
		return nil, nil, nil, bad("malformed request line")
	}
	rest := line[sp1+1:]
	sp2 := bytes.IndexByte(rest, ' ')
	if sp2 <= 0 {
		return nil, nil, nil, bad("malformed request line")
	}
	method, target, proto = line[:sp1], rest[:sp2], rest[sp2+1:]
	for _, c := range method {
		if !isTokenByte(c) {
			return nil, nil, nil, bad("invalid method")
		}
	}
	for _, c := range target {
		if c <= ' ' || c == 0x7f {
			return nil, nil, nil, bad("invalid request target")
		}
	}
	return method, target, proto, nil
}

// parseVersion accepts HTTP/1.x; other well-formed versions get 505 (RFC 9110 §15.6.6).
func parseVersion(p []byte) (major, minor int, err error) {
	if len(p) != 8 || string(p[:5]) != "HTTP/" || p[6] != '.' || !isDigit(p[5]) || !isDigit(p[7]) {
		return 0, 0, bad("malformed HTTP version")
	}
	major, minor = int(p[5]-'0'), int(p[7]-'0')
	if major != 1 {
		return 0, 0, &ParseError{Status: http.StatusHTTPVersionNotSupported, Reason: "unsupported HTTP version"}
	}
	return major, minor, nil
}

// parseLength parses a Content-Length value: 1*DIGIT (RFC 9110 §8.6), no sign, no list.
func parseLength(v string) (int64, bool) {
	if v == "" || len(v) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(v); i++ {
		if !isDigit(v[i]) {
			return 0, false
		}
		n = n*10 + int64(v[i]-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// hasToken reports whether the comma-separated list v holds token, ignoring case.
func hasToken(v, token string) bool {
	for v != "" {
		var item string
		if i := indexByte(v, ','); i >= 0 {
			item, v = v[:i], v[i+1:]
		} else {
			item, v = v, ""
		}
		if equalFold(trimOWS(item), token) {
			return true
		}
	}
	return false
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// equalFold compares ASCII case-insensitively (header tokens are ASCII).
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
