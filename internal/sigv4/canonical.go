package sigv4

import (
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// uriEncode is AWS's UriEncode (IAM guide, create-signed-request.html): every byte except the
// unreserved characters A-Z a-z 0-9 - . _ ~ becomes %XY with upper-case hex; a space is %20
// (never '+'). With keepSlash, '/' stays as is (paths); query names and values encode it.
func uriEncode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) && !(keepSlash && s[i] == '/') {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || (keepSlash && c == '/') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// rawPath is the path exactly as it came off the wire: the request line when the server
// recorded it, else the URL's escaped form (client-built requests, absolute-form targets).
func rawPath(r *http.Request) string {
	p := ""
	if strings.HasPrefix(r.RequestURI, "/") {
		p, _, _ = strings.Cut(r.RequestURI, "?")
	} else {
		p = r.URL.EscapedPath()
	}
	if p == "" {
		p = "/"
	}
	return p
}

// canonicalURIs returns the canonical URI candidates, the normative one first.
//
// S3 neither normalises the path nor double-encodes it (create-signed-request.html: "each
// path segment must be URI-encoded twice ... except for Amazon S3"); it decodes the path and
// re-encodes it with UriEncode, which is also what aws-sdk-go-v2, botocore and minio-go put
// on the wire and sign. A client that sent a legal but differently escaped path (a raw '+',
// '$' or '@', lower-case hex) signed the raw form, so that is the second candidate. Both
// decode to the same r.URL.Path, so accepting either never lets a signature cover a
// different resource.
//
// Other services (CloudFront) sign UriEncode of the already-encoded path, i.e. twice; the
// once-encoded form is kept as a fallback for signers that do not double-encode.
func canonicalURIs(r *http.Request, s3 bool) []string {
	raw := rawPath(r)
	decoded := r.URL.Path
	if decoded == "" {
		decoded = "/"
	}
	if s3 {
		return dedupe(uriEncode(decoded, true), raw)
	}
	return dedupe(uriEncode(raw, true), uriEncode(decoded, true))
}

// canonicalQueries returns the canonical query string candidates, the normative one first:
// every name and value decoded then UriEncoded, pairs sorted by name then value, "name=" for
// empty values (create-signed-request.html). The second candidate sorts the pairs as sent,
// for signers that sign their wire encoding (botocore signs the URL's query verbatim).
// skip names a parameter to leave out (X-Amz-Signature of a presigned URL).
func canonicalQueries(rawQuery, skip string) []string {
	if rawQuery == "" {
		return []string{""}
	}
	type pair struct{ k, v string }
	var norm, raw []pair
	for _, kv := range strings.Split(rawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		dk, dv := queryUnescape(k), queryUnescape(v)
		if dk == skip {
			continue
		}
		norm = append(norm, pair{uriEncode(dk, false), uriEncode(dv, false)})
		raw = append(raw, pair{k, v})
	}
	join := func(ps []pair) string {
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].k != ps[j].k {
				return ps[i].k < ps[j].k
			}
			return ps[i].v < ps[j].v
		})
		var b strings.Builder
		for i, p := range ps {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(p.k)
			b.WriteByte('=')
			b.WriteString(p.v)
		}
		return b.String()
	}
	return dedupe(join(norm), join(raw))
}

// queryUnescape decodes like a form value ('+' is a space, as Go's url.Query and the SDKs
// treat it); an invalid escape is kept literally rather than failing the request here.
func queryUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

func dedupe(first, second string) []string {
	if first == second {
		return []string{first}
	}
	return []string{first, second}
}

// canonicalHeaders renders "name:value\n" for each signed header in the order given:
// values trimmed, runs of spaces folded to one, repeated headers joined with ','
// (create-signed-request.html). host comes from r.Host, which net/http strips from the
// header map; content-length and transfer-encoding are also moved out of it by net/http.
func canonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(':')
		for i, v := range headerValues(r, name) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(trimAll(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func headerValues(r *http.Request, name string) []string {
	vs := r.Header[textproto.CanonicalMIMEHeaderKey(name)]
	if len(vs) > 0 {
		return vs
	}
	switch name {
	case "host":
		if r.Host != "" {
			return []string{r.Host}
		}
		return []string{r.URL.Host}
	case "content-length":
		if r.ContentLength > 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	case "transfer-encoding":
		if len(r.TransferEncoding) > 0 {
			return []string{strings.Join(r.TransferEncoding, ",")}
		}
	}
	return r.Header[name] // a non-canonical key set by hand
}

// trimAll is AWS's Trimall: strip leading and trailing spaces, fold sequential spaces.
func trimAll(v string) string {
	v = strings.Trim(v, " \t")
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	space := false
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
