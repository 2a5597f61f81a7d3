package httpserver

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

// conformanceHandler routes the cases every server must answer alike.
func conformanceHandler() http.Handler {
	big := bytes.Repeat([]byte("0123456789abcdef"), 200<<10/16)
	mux := http.NewServeMux()
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "<html>hello %s</html>", r.URL.Query().Get("name"))
	})
	mux.HandleFunc("/length", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		w.Header().Set("Content-Type", "image/png")
		_, _ = io.WriteString(w, "01234")
		_, _ = io.WriteString(w, "56789")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(big)
	})
	mux.HandleFunc("/bigwrites", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		for i := 0; i < len(big); i += 10000 {
			_, _ = w.Write(big[i:min(i+10000, len(big))])
		}
	})
	mux.HandleFunc("/notfound", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "nope\n")
	})
	mux.HandleFunc("/nocontent", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/notmodified", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"abc"`)
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Content-Length", "123")
		w.WriteHeader(http.StatusNotModified)
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/flush", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "first,")
		w.(http.Flusher).Flush()
		_, _ = io.WriteString(w, "second")
	})
	mux.HandleFunc("/controller", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		_, _ = io.WriteString(w, "a")
		if err := rc.Flush(); err != nil {
			http.Error(w, err.Error(), 500)
		}
		_, _ = io.WriteString(w, "b")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Length", fmt.Sprint(r.ContentLength))
		w.Header().Set("X-TE", strings.Join(r.TransferEncoding, ","))
		_, _ = w.Write(b)
	})
	mux.HandleFunc("/request", func(w http.ResponseWriter, r *http.Request) {
		keys := make([]string, 0, len(r.Header))
		for k := range r.Header {
			if k != "User-Agent" && k != "Accept-Encoding" && k != "Accept" {
				keys = append(keys, k+"="+strings.Join(r.Header[k], "|"))
			}
		}
		sort.Strings(keys)
		fmt.Fprintf(w, "method=%s host=%s uri=%s path=%q rawpath=%q query=%q proto=%s close=%v tls=%v remote=%v\n%s",
			r.Method, r.Host, r.RequestURI, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.Proto, r.Close, r.TLS != nil,
			r.RemoteAddr != "", strings.Join(keys, "\n"))
	})
	mux.HandleFunc("/trailer", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Checksum")
		_, _ = io.WriteString(w, "body")
		w.Header().Set("X-Checksum", "c0ffee")
		w.Header().Set(http.TrailerPrefix+"X-Late", "late")
	})
	mux.HandleFunc("/hints", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		_, _ = io.WriteString(w, "final")
	})
	mux.HandleFunc("/splitting", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Evil", "a\r\nSet-Cookie: pwned=1")
		w.Header()["Bad Name"] = []string{"x"}
	})
	mux.HandleFunc("/close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		_, _ = io.WriteString(w, "bye")
	})
	return mux
}

type answer struct {
	status  int
	header  []string
	body    string
	trailer []string
	length  int64
}

func fetchGo(t *testing.T, method, url, body string, chunked bool) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
		if chunked {
			rd = io.MultiReader(rd) // hides the length: the client chunks
		}
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: body: %v", method, url, err)
	}
	return answer{status: resp.StatusCode, header: fields(resp.Header), body: string(b), trailer: fields(resp.Trailer), length: resp.ContentLength}
}

// fields lists a header as sorted "Name: value" lines, without Date, and without the
// framing fields: net/http chunks a body of unknown length beyond 2 KiB, this server
// sends a Content-Length up to 64 KiB, and both are correct (the body is compared).
func fields(h http.Header) []string {
	var out []string
	for k, vv := range h {
		if k == "Date" || k == "Content-Length" || k == "Transfer-Encoding" {
			continue
		}
		for _, v := range vv {
			out = append(out, k+": "+v)
		}
	}
	sort.Strings(out)
	return out
}

func TestConformanceGoClient(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		h := conformanceHandler()
		fast, _ := startFast(t, h)
		std := startStd(t, h)
		for _, tc := range []struct {
			method, path, body string
			chunked            bool
			lengthMatters      bool
		}{
			{"GET", "/plain?name=x", "", false, false},
			{"HEAD", "/plain?name=x", "", false, false},
			{"GET", "/length", "", false, true},
			{"HEAD", "/length", "", false, true},
			{"GET", "/big", "", false, false},
			{"GET", "/bigwrites", "", false, false},
			{"GET", "/notfound", "", false, false},
			{"GET", "/nocontent", "", false, true},
			{"GET", "/notmodified", "", false, true},
			{"GET", "/empty", "", false, true},
			{"GET", "/flush", "", false, false},
			{"GET", "/controller", "", false, false},
			{"POST", "/echo", "hello body", false, false},
			{"POST", "/echo", "chunked hello body", true, false},
			{"PUT", "/echo", strings.Repeat("z", 300<<10), true, false},
			{"GET", "/request?b=%20&a", "", false, false},
			{"GET", "/a%2Fb/../request", "", false, false},
			{"GET", "/trailer", "", false, false},
			{"GET", "/hints", "", false, false},
			{"GET", "/splitting", "", false, false},
			{"GET", "/close", "", false, false},
			{"GET", "/missing", "", false, false},
		} {
			t.Run(tc.method+tc.path, func(t *testing.T) {
				got := fetchGo(t, tc.method, "http://"+fast+tc.path, tc.body, tc.chunked)
				exp := fetchGo(t, tc.method, "http://"+std+tc.path, tc.body, tc.chunked)
				got.body = strings.ReplaceAll(got.body, fast, "ADDR")
				exp.body = strings.ReplaceAll(exp.body, std, "ADDR")
				if !tc.lengthMatters {
					got.length, exp.length = 0, 0
				}
				if got.status != exp.status || got.body != exp.body || !slices.Equal(got.header, exp.header) ||
					!slices.Equal(got.trailer, exp.trailer) || got.length != exp.length {
					t.Errorf("differs from net/http\n got %d %q len %d\n     %q\n     trailer %q\nwant %d %q len %d\n     %q\n     trailer %q",
						got.status, clip(got.body), got.length, got.header, got.trailer, exp.status, clip(exp.body), exp.length, exp.header, exp.trailer)
				}
			})
		}
	})
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// TestConformanceCurl drives both servers with curl over HTTP/1.1 and HTTP/1.0.
func TestConformanceCurl(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		if _, err := exec.LookPath("curl"); err != nil {
			t.Fatal("curl is required (apt-get install curl)")
		}
		h := conformanceHandler()
		fast, _ := startFast(t, h)
		std := startStd(t, h)
		for _, args := range [][]string{
			{"/plain?name=curl"},
			{"-I", "/length"},
			{"/big"},
			{"--http1.0", "/big"},
			{"--http1.0", "/request"},
			{"--http1.0", "-H", "Connection: keep-alive", "/length"},
			{"/notmodified"},
			{"-d", "form=1", "/echo"},
			{"-H", "Expect: 100-continue", "--data-binary", "@-", "/echo"},
			{"-H", "Transfer-Encoding: chunked", "--data-binary", "@-", "/echo"},
			{"/trailer"},
			{"/flush", "/length", "/hints"},
		} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				got := curl(t, fast, args)
				exp := curl(t, std, args)
				if got != exp {
					t.Errorf("differs from net/http\n got %q\nwant %q", clip(got), clip(exp))
				}
			})
		}
	})
}

// curl runs curl with paths turned into URLs on addr, and returns its status lines, fields
// (sorted, without Date and framing, as in fields) and bodies.
func curl(t *testing.T, addr string, args []string) string {
	t.Helper()
	full := []string{"-s", "-S", "-i", "--max-time", "60"}
	for _, a := range args {
		if strings.HasPrefix(a, "/") {
			a = "http://" + addr + a
		}
		full = append(full, a)
	}
	cmd := exec.Command("curl", full...)
	cmd.Stdin = strings.NewReader(strings.Repeat("stdin body ", 1000))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("curl %q: %v\n%s", full, err, out)
	}
	var b strings.Builder
	rest := string(out)
	for rest != "" {
		head, body, ok := strings.Cut(rest, "\r\n\r\n")
		lines := strings.Split(head, "\r\n")
		b.WriteString(lines[0] + "\n")
		var fs []string
		for _, l := range lines[1:] {
			k, _, _ := strings.Cut(l, ":")
			switch strings.ToLower(k) {
			case "date", "content-length", "transfer-encoding":
				continue
			}
			fs = append(fs, l)
		}
		sort.Strings(fs)
		b.WriteString(strings.Join(fs, "\n") + "\n")
		if !ok {
			break
		}
		// The next response (several URLs, or 1xx) starts with "HTTP/".
		if i := strings.Index(body, "HTTP/1."); i >= 0 {
			b.WriteString(body[:i] + "\n")
			rest = body[i:]
		} else {
			b.WriteString(body)
			rest = ""
		}
	}
	return strings.ReplaceAll(b.String(), addr, "ADDR")
}
