package accesslog

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fieldsOf splits a line back into its fields by name.
func fieldsOf(t *testing.T, line string) map[string]string {
	t.Helper()
	if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
		t.Fatalf("not one line: %q", line)
	}
	names := strings.Fields(Fields)
	vals := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
	if len(names) != 33 || len(vals) != len(names) {
		t.Fatalf("%d field names, %d values in %q", len(names), len(vals), line)
	}
	m := map[string]string{}
	for i, n := range names {
		m[n] = vals[i]
	}
	return m
}

// capture serves one request through handler-side NewRecord with res and returns the line.
func capture(t *testing.T, useTLS bool, res Response, includeCookies bool, build func(base string) *http.Request) map[string]string {
	t.Helper()
	lines := make(chan string, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		rec := NewRecord(r, "E1", "d111111abcdef8.cdn.localhost", "TST1-C1", includeCookies, res)
		lines <- string(appendLine(nil, &rec))
	})
	var srv *httptest.Server
	if useTLS {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	defer srv.Close()
	resp, err := srv.Client().Do(build(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return fieldsOf(t, <-lines)
}

func TestRecordFields(t *testing.T) {
	start := time.Date(2025, 6, 1, 23, 59, 58, 0, time.FixedZone("CEST", 2*3600))
	base := Response{Start: start, FirstByte: start.Add(12 * time.Millisecond), End: start.Add(1500 * time.Millisecond),
		Status: 206, XCache: "Hit from cloudfront", RequestID: "abcDEF123_-==", ContentType: "image/png",
		ContentLength: "100", ContentRange: "bytes 100-199/1000", HeaderBytes: 300, BodyBytes: 100, RequestBytes: 250}
	ua := "Mozilla/5.0 (X11; Linux) 100%\tsure"
	for _, c := range []struct {
		name    string
		tls     bool
		cookies bool
		res     func(Response) Response
		want    map[string]string
	}{
		{"plain hit with a range", false, false, nil, map[string]string{
			"date": "2025-06-01", "time": "21:59:59", "x-edge-location": "TST1-C1", "sc-bytes": "400",
			"c-ip": "127.0.0.1", "cs-method": "GET", "cs(Host)": "d111111abcdef8.cdn.localhost",
			"cs-uri-stem": "/a%20b/%C3%A9.png", "sc-status": "206", "cs(Referer)": "https://ref.example/p?q=1",
			"cs-uri-query": "w=100&fmt=webp", "cs(Cookie)": "-", "x-edge-result-type": "Hit",
			"x-edge-request-id": "abcDEF123_-==", "x-host-header": "img.example.com:8080", "cs-protocol": "http",
			"cs-bytes": "250", "time-taken": "1.500", "x-forwarded-for": "203.0.113.9", "ssl-protocol": "-",
			"ssl-cipher": "-", "x-edge-response-result-type": "Hit", "cs-protocol-version": "HTTP/1.1",
			"fle-status": "-", "fle-encrypted-fields": "-", "time-to-first-byte": "0.012",
			"x-edge-detailed-result-type": "Hit", "sc-content-type": "image/png", "sc-content-len": "100",
			"sc-range-start": "100", "sc-range-end": "199"}},
		{"https with cookies, viewer gone", true, true, func(r Response) Response {
			r.XCache, r.ContentRange, r.ContentLength, r.WriteFailed, r.Status = "Miss from cloudfront", "", "", true, 200
			return r
		}, map[string]string{
			"cs-protocol": "https", "ssl-protocol": "TLSv1.3", "ssl-cipher": "TLS_AES_128_GCM_SHA256",
			"cs(Cookie)": "a=1;%20b=2", "x-edge-result-type": "Miss", "x-edge-response-result-type": "Error",
			"x-edge-detailed-result-type": "ClientCommError", "sc-status": "200", "sc-content-len": "-",
			"sc-range-start": "-", "sc-range-end": "-"}},
		{"nothing sent", false, false, func(r Response) Response {
			r.Status, r.XCache, r.FirstByte, r.Aborted, r.HeaderBytes, r.BodyBytes = 0, "", time.Time{}, true, 0, 0
			return r
		}, map[string]string{
			"sc-status": "000", "x-edge-result-type": "Error", "x-edge-response-result-type": "Error",
			"x-edge-detailed-result-type": "AbortedOrigin", "time-to-first-byte": "0.000", "sc-bytes": "0"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := base
			if c.res != nil {
				res = c.res(base)
			}
			got := capture(t, c.tls, res, c.cookies, func(u string) *http.Request {
				req, _ := http.NewRequest(http.MethodGet, u+"/a%20b/%C3%A9.png?w=100&fmt=webp", nil)
				req.Host = "img.example.com:8080"
				req.Header.Set("User-Agent", ua)
				req.Header.Set("Referer", "https://ref.example/p?q=1")
				req.Header.Set("X-Forwarded-For", "203.0.113.9")
				req.Header.Set("Cookie", "a=1; b=2")
				return req
			})
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if back, err := url.PathUnescape(got["cs(User-Agent)"]); err != nil || back != ua {
				t.Errorf("cs(User-Agent) %q decodes to %q (%v), want %q", got["cs(User-Agent)"], back, err, ua)
			}
			if got["c-port"] == "" || got["c-port"] == "-" {
				t.Errorf("no c-port")
			}
		})
	}
}

func TestTLSNames(t *testing.T) {
	for _, c := range []struct {
		v      uint16
		suite  uint16
		proto  string
		cipher string
	}{
		{tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"},
		{tls.VersionTLS13, tls.TLS_CHACHA20_POLY1305_SHA256, "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"},
	} {
		if p, ci := tlsVersionName(c.v), cipherName(c.suite); p != c.proto || ci != c.cipher {
			t.Errorf("got %s %s, want %s %s", p, ci, c.proto, c.cipher)
		}
	}
}

func TestContentRange(t *testing.T) {
	for in, want := range map[string][2]string{
		"bytes 0-99/1000": {"0", "99"}, "bytes 5-5/*": {"5", "5"}, "": {"", ""},
		"bytes */1000": {"", ""}, "items 0-1/2": {"", ""}, "bytes x-1/2": {"", ""},
	} {
		if s, e := contentRange(in); s != want[0] || e != want[1] {
			t.Errorf("contentRange(%q) = %q %q, want %q %q", in, s, e, want[0], want[1])
		}
	}
}

// FuzzAppendLine checks that viewer-controlled values never break the line format and that
// header fields decode back to what was sent.
func FuzzAppendLine(f *testing.F) {
	f.Add("/a b", "q=1\t2", "Mozilla/5.0 100%", "ref\n")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, path, query, ua, ref string) {
		rec := Record{URIStem: path, Query: query, UserAgent: ua, Referer: ref, Time: time.Unix(0, 0)}
		got := fieldsOf(t, string(appendLine(nil, &rec)))
		for name, in := range map[string]string{"cs(User-Agent)": ua, "cs(Referer)": ref} {
			want := in
			if want == "" {
				want = "-"
			} else if back, err := url.PathUnescape(got[name]); err != nil || back != in {
				t.Fatalf("%s %q decodes to %q (%v), want %q", name, got[name], back, err, in)
			}
			if in == "" && got[name] != want {
				t.Fatalf("%s = %q, want -", name, got[name])
			}
		}
		for _, name := range []string{"cs-uri-stem", "cs-uri-query"} {
			if strings.ContainsAny(got[name], " \t\r\n") {
				t.Fatalf("%s holds whitespace: %q", name, got[name])
			}
		}
	})
}
