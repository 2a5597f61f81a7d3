package edge

import (
	"context"
	"html"
	"image"
	"net/http"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// TestImageBadOptions: 400 naming the option, before any origin request.
func TestImageBadOptions(t *testing.T) {
	e, _ := newImageEnv(t, func(c *imaging.Config) { c.MaxOutputSide = 2000 })
	o := newOrigin(t, imgFiles(map[string][]byte{"/a.jpg": imgJPEG(t, imgPhoto(10, 10))}))
	e.load(imageDist(o))
	tests := []struct{ options, names string }{
		{"width=abc", `"width"`},
		{"w=0", `"w"`},
		{"fit=stretch", `"fit"`},
		{"format=tiff", `"format"`},
		{"quality=101", `"quality"`},
		{"dpr=4", `"dpr"`},
		{"rotate=45", `"rotate"`},
		{"colour=red", `"colour"`},
		{"width=1,width=2", `"width"`},
		{"width=1500,dpr=2", `"width"`}, // past MaxOutputSide
		{"gravity=middle", `"gravity"`},
		{"width", `"width"`},
	}
	for _, tt := range tests {
		a := e.get(domain, "/cdn-cgi/image/"+tt.options+"/a.jpg")
		if a.Status != 400 || !strings.Contains(html.UnescapeString(a.Body), "transform option "+tt.names) || a.xcache() != "Error from cloudfront" {
			t.Errorf("%s: %d %s %q", tt.options, a.Status, a.xcache(), clip(a.Body))
		}
	}
	if o.count() != 0 {
		t.Errorf("%d origin requests for bad options", o.count())
	}
	// A trim that removes the whole source is only known from the source: still a 400.
	if a := e.get(domain, "/cdn-cgi/image/trim=5;5;5;5/a.jpg"); a.Status != 400 || !strings.Contains(a.Body, "trim") {
		t.Errorf("trim past the image: %d %q", a.Status, clip(a.Body))
	}
}

// TestImageHostileInputs: broken, disguised and oversized sources get a 4xx saying what was
// wrong, and the edge keeps serving.
func TestImageHostileInputs(t *testing.T) {
	e, _ := newImageEnv(t, func(c *imaging.Config) { c.MaxSourcePixels = 4_000_000; c.MaxSourceBytes = 1 << 20 })
	jpg := imgJPEG(t, imgPhoto(200, 150))
	o := newOrigin(t, imgFiles(map[string][]byte{
		"/truncated.jpg": jpg[:len(jpg)/2],
		"/garbage.jpg":   append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 3000)...),
		"/page.jpg":      []byte("<html><body>not an image</body></html>"),
		"/logo.svg":      []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"/declared.png":  pngBomb(60000, 60000),
		"/bomb.png":      imgPNG(t, image.NewGray(image.Rect(0, 0, 3000, 3000))),
		"/big.jpg":       append(append([]byte{}, jpg...), make([]byte, 1<<20)...),
		"/ok.jpg":        jpg,
	}))
	e.load(imageDist(o))
	tests := []struct {
		path   string
		status int
		says   string
	}{
		{"/truncated.jpg", 422, "corrupt"},
		{"/garbage.jpg", 422, "corrupt"},
		{"/page.jpg", 415, "not a JPEG"},
		{"/logo.svg", 415, "SVG"},
		{"/declared.png", 413, "too large"},
		{"/bomb.png", 413, "too large"},
		{"/big.jpg", 413, "limit"},
		{"/missing.jpg", 404, ""},
	}
	for _, tt := range tests {
		for _, f := range []string{"webp", "jpeg", "auto"} {
			a := e.get(domain, "/cdn-cgi/image/width=50,format="+f+tt.path, "Accept", "image/webp")
			if a.Status != tt.status || !strings.Contains(a.Body, tt.says) {
				t.Errorf("%s as %s: %d %q, want %d saying %q", tt.path, f, a.Status, clip(a.Body), tt.status, tt.says)
			}
		}
	}
	if a := e.get(domain, "/cdn-cgi/image/width=50,format=png/ok.jpg"); a.Status != 200 || imgMagic(a.Body) != "png" {
		t.Errorf("a good image after the hostile ones: %d %s", a.Status, imgMagic(a.Body))
	}
	if a := e.get("localhost", "/healthz"); a.Status != 200 {
		t.Errorf("healthz %d", a.Status)
	}
}

// TestImageOnErrorRedirect: with onerror=redirect a source that cannot be transformed is
// served as it is; bad options are still a 400.
func TestImageOnErrorRedirect(t *testing.T) {
	e, _ := newImageEnv(t, nil)
	page := []byte("<html><body>not an image</body></html>")
	o := newOrigin(t, imgFiles(map[string][]byte{"/page.jpg": page}))
	e.load(imageDist(o))
	a := e.get(domain, "/cdn-cgi/image/width=50,onerror=redirect/page.jpg")
	if a.Status != 200 || a.Body != string(page) {
		t.Errorf("onerror=redirect: %d %q", a.Status, clip(a.Body))
	}
	if a := e.get(domain, "/cdn-cgi/image/width=x,onerror=redirect/page.jpg"); a.Status != 400 {
		t.Errorf("bad option with onerror=redirect: %d", a.Status)
	}
}

// busyEngine answers every transform with the pool's ErrBusy.
type busyEngine struct{ ImageEngine }

func (busyEngine) Transform(context.Context, []byte, imaging.Options, imaging.Format) ([]byte, string, error) {
	return nil, "", imaging.ErrBusy
}

// TestImageBusy: a full transform queue is a 503 with Retry-After, never cached.
func TestImageBusy(t *testing.T) {
	e, eng := newImageEnv(t, nil)
	e.h.cfg.Images.Engine = busyEngine{eng}
	o := newOrigin(t, imgFiles(map[string][]byte{"/a.jpg": imgJPEG(t, imgPhoto(10, 10))}))
	e.load(imageDist(o))
	for range 2 {
		a := e.get(domain, "/cdn-cgi/image/width=5,format=png/a.jpg")
		if a.Status != http.StatusServiceUnavailable || a.Header.Get("Retry-After") != "1" || a.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("busy: %d Retry-After %q Cache-Control %q", a.Status, a.Header.Get("Retry-After"), a.Header.Get("Cache-Control"))
		}
	}
}

// TestImageUncacheableSource: a source the behaviour may not cache is transformed for each
// viewer and the variant is not stored either.
func TestImageUncacheableSource(t *testing.T) {
	e, eng := newImageEnv(t, nil)
	src := imgJPEG(t, imgPhoto(40, 40))
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		imgFiles(map[string][]byte{"/a.jpg": src})(w, r)
	})
	e.load(imageDist(o))
	for i := range 2 {
		a := e.get(domain, "/cdn-cgi/image/width=20,format=png/a.jpg")
		if w, _, _ := imgSize(t, a); w != 20 || a.xcache() != "Miss from cloudfront" {
			t.Errorf("request %d: width %d, %s", i, w, a.xcache())
		}
	}
	if eng.transforms.Load() != 2 || o.count() != 2 {
		t.Errorf("%d transforms, %d origin requests; want 2 and 2", eng.transforms.Load(), o.count())
	}
}
