package sigv4

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The documentation's example credentials.
const (
	docAccessKey = "AKIAIOSFODNN7EXAMPLE"
	docSecret    = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

var docTime = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)

// verifierAt returns a Verifier that knows one key pair and whose clock is fixed.
func verifierAt(now time.Time, accessKey, secret string) *Verifier {
	return &Verifier{
		Secret: func(ak string) (string, bool) {
			if ak == accessKey {
				return secret, true
			}
			return "", false
		},
		Now: func() time.Time { return now },
	}
}

// rawRequest builds a server-side request from the text of a request head ("METHOD URI
// HTTP/1.1", then "Name: value" lines), the way net/http's server would: Host moves to
// r.Host, RequestURI keeps the wire form. It accepts what http.ReadRequest refuses (a space
// in the path, as AWS's get-space vector has), so the vectors can be used verbatim.
func rawRequest(t testing.TB, head string, body []byte) *http.Request {
	t.Helper()
	lines := strings.Split(strings.TrimRight(head, "\n"), "\n")
	first := lines[0]
	sp := strings.IndexByte(first, ' ')
	last := strings.LastIndexByte(first, ' ')
	if sp < 0 || last <= sp {
		t.Fatalf("bad request line %q", first)
	}
	uri := first[sp+1 : last]
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		t.Fatalf("request URI %q: %v", uri, err)
	}
	r := &http.Request{
		Method: first[:sp], RequestURI: uri, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("bad header line %q", l)
		}
		v = strings.TrimSpace(v)
		if strings.EqualFold(k, "Host") {
			r.Host = v
			continue
		}
		if strings.EqualFold(k, "Content-Length") {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			r.ContentLength = n
		}
		r.Header.Add(k, v)
	}
	return r
}

// exampleRequest reads testdata/s3-examples/<name>.http: a head, then optionally a blank
// line and a body.
func exampleRequest(t testing.TB, name string, body []byte) *http.Request {
	t.Helper()
	b, err := os.ReadFile("testdata/s3-examples/" + name + ".http")
	if err != nil {
		t.Fatal(err)
	}
	head, rest, found := strings.Cut(string(b), "\n\n")
	if found && body == nil {
		body = []byte(strings.TrimSuffix(rest, "\n"))
	}
	return rawRequest(t, head, body)
}
