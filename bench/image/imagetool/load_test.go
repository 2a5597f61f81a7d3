package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestExpandURL(t *testing.T) {
	c := cellKey{photoName, 1200, "jpeg"}
	for tmpl, want := range map[string]string{
		"http://e/cdn-cgi/image/width={w},format={f},quality=80/k/{seq}/{src}":   "http://e/cdn-cgi/image/width=1200,format=jpeg,quality=80/k/r1-imgcdn-42/photo.jpg",
		"http://p/insecure/rs:fit:{w}:0/q:80/plain/http://o/k/{seq}/{src}@{ext}": "http://p/insecure/rs:fit:1200:0/q:80/plain/http://o/k/r1-imgcdn-42/photo.jpg@jpg",
	} {
		if got := expandURL(tmpl, c, "r1-imgcdn", 42); got != want {
			t.Errorf("expandURL(%q) = %q, want %q", tmpl, got, want)
		}
	}
	if a, b := expandURL("{seq}", c, "t", 1), expandURL("{seq}", c, "t", 2); a == b {
		t.Error("two requests of a run share a URL")
	}
}

func TestFetchChecksEveryAnswer(t *testing.T) {
	vp8x := riff("VP8X", []byte{0x10, 0, 0, 0, 0x2b, 0x01, 0x00, 0xc7, 0x00, 0x00}) // 300x200 WebP
	var gotHost string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotHost = r.Host
		switch r.URL.Path {
		case "/good":
			w.Header().Set("X-Cache", "Miss from cloudfront")
			w.Write(vp8x)
		case "/hit":
			w.Header().Set("X-Cache", "Hit from cloudfront")
			w.Write(vp8x)
		case "/busy":
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		default:
			w.Write([]byte("the original, untransformed"))
		}
	}))
	defer srv.Close()
	c := cellKey{photoName, 300, "webp"}
	if a := fetch(srv.Client(), srv.URL+"/good", "d111.cloudfront.net", c); a.err != nil || a.outBytes != len(vp8x) || a.latency <= 0 {
		t.Errorf("good answer: %+v", a)
	}
	if gotHost != "d111.cloudfront.net" {
		t.Errorf("Host sent %q", gotHost)
	}
	for path, want := range map[string]string{"/hit": "cache", "/busy": "503", "/other": "not a JPEG"} {
		a := fetch(srv.Client(), srv.URL+path, "", c)
		if a.err == nil || !strings.Contains(a.err.Error(), want) {
			t.Errorf("%s: err %v, want one mentioning %q", path, a.err, want)
		}
	}
	if a := fetch(srv.Client(), srv.URL+"/good", "", cellKey{photoName, 1200, "webp"}); a.err == nil {
		t.Error("a 300 px answer passed for 1200 px")
	}
}
