package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/imaging"
	"github.com/imgcdn/imgcdn/internal/imaging/vips"
)

func TestMain(m *testing.M) {
	if err := vips.Start(vips.StartConfig{}); err != nil {
		panic(err)
	}
	code := m.Run()
	vips.Shutdown()
	os.Exit(code)
}

func newHandler(t *testing.T) (*handler, *httptest.Server) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var src bytes.Buffer
	if err := jpeg.Encode(&src, img, nil); err != nil {
		t.Fatal(err)
	}
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/k/1/photo.jpg":
			w.Write(src.Bytes())
		case "/k/1/text.jpg":
			w.Write([]byte("not an image"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(origin.Close)
	cfg := imaging.NewDefaultConfig()
	e, err := vips.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &handler{engine: e, origin: origin.URL, maxBytes: cfg.MaxSourceBytes, client: origin.Client()}, origin
}

func TestHandler(t *testing.T) {
	h, _ := newHandler(t)
	for _, tc := range []struct {
		path, accept string
		status       int
		ctype        string
		width        int
	}{
		{"/cdn-cgi/image/width=300,format=jpeg,quality=80/k/1/photo.jpg", "", 200, "image/jpeg", 300},
		{"/cdn-cgi/image/width=120,format=auto/k/1/photo.jpg", "image/webp", 200, "image/webp", 0},
		{"/cdn-cgi/image/width=abc/k/1/photo.jpg", "", 400, "", 0},
		{"/cdn-cgi/image/width=300/k/1/missing.jpg", "", 404, "", 0},
		{"/cdn-cgi/image/width=300/k/1/text.jpg", "", 415, "", 0},
		{"/k/1/photo.jpg", "", 404, "", 0},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		h.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != tc.status {
			t.Errorf("%s: %d %.100s, want %d", tc.path, rec.Code, body, tc.status)
			continue
		}
		if tc.ctype != "" && rec.Header().Get("Content-Type") != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, rec.Header().Get("Content-Type"), tc.ctype)
		}
		if tc.width > 0 {
			c, err := jpeg.DecodeConfig(bytes.NewReader(body))
			if err != nil || c.Width != tc.width || c.Height != tc.width*480/640 {
				t.Errorf("%s: %dx%d (%v), want %dx%d", tc.path, c.Width, c.Height, err, tc.width, tc.width*480/640)
			}
		}
		if tc.ctype == "image/webp" && !strings.HasPrefix(string(body), "RIFF") {
			t.Errorf("%s: not a WebP", tc.path)
		}
	}
}
