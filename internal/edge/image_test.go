package edge

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// TestImageFitModes: a 400x300 JPEG through every fit mode, to exact output sizes, including
// the ones that must not enlarge a smaller source.
func TestImageFitModes(t *testing.T) {
	e, _ := newImageEnv(t, nil)
	o := newOrigin(t, imgFiles(map[string][]byte{"/images/a.jpg": imgJPEG(t, imgPhoto(400, 300))}))
	e.load(imageDist(o))
	tests := []struct {
		options string
		w, h    int
	}{
		{"width=200,height=200", 200, 150}, // scale-down is the default
		{"width=200,height=200,fit=scale-down", 200, 150},
		{"width=200,height=200,fit=contain", 200, 150},
		{"width=200,height=200,fit=cover", 200, 200},
		{"width=200,height=200,fit=crop", 200, 200},
		{"width=200,height=200,fit=pad", 200, 200},
		{"w=100", 100, 75},
		{"h=60", 80, 60},
		{"width=100,dpr=2", 200, 150},
		{"width=800,fit=scale-down", 400, 300}, // never enlarged
		{"width=800,fit=contain", 800, 600},    // enlarged
		{"width=800,height=800,fit=crop", 400, 300},
		{"width=800,height=800,fit=pad", 800, 800},
	}
	for _, tt := range tests {
		t.Run(tt.options, func(t *testing.T) {
			a := e.on(t).get(domain, "/cdn-cgi/image/"+tt.options+",format=png/images/a.jpg")
			if a.Status != 200 || a.Header.Get("Content-Type") != "image/png" {
				t.Fatalf("%d %s: %s", a.Status, a.Header.Get("Content-Type"), clip(a.Body))
			}
			if w, h, f := imgSize(t, a); w != tt.w || h != tt.h || f != "png" {
				t.Errorf("got %dx%d %s, want %dx%d png", w, h, f, tt.w, tt.h)
			}
			if a.Header.Get("Content-Length") != itoa(int64(len(a.Body))) {
				t.Errorf("Content-Length %q for %d bytes", a.Header.Get("Content-Length"), len(a.Body))
			}
		})
	}
	if n := o.count(); n != 1 {
		t.Errorf("the source was fetched %d times for %d variants, want once", n, len(tests))
	}
}

// TestImageFormatAuto: format=auto answers AVIF, WebP or the source's format by Accept, with
// Vary: Accept; the key holds the decision, so two Accept spellings with one answer share it.
func TestImageFormatAuto(t *testing.T) {
	e, eng := newImageEnv(t, nil)
	o := newOrigin(t, imgFiles(map[string][]byte{
		"/a.jpg": imgJPEG(t, imgPhoto(120, 90)),
		"/a.png": imgPNG(t, imgPhoto(120, 90)),
	}))
	e.load(imageDist(o))
	tests := []struct {
		path, accept, want, ctype string
	}{
		{"/a.jpg", "image/avif,image/webp,*/*", "avif", "image/avif"},
		{"/a.jpg", "image/webp,*/*", "webp", "image/webp"},
		{"/a.jpg", "image/avif;q=0,image/webp", "webp", "image/webp"},
		{"/a.jpg", "*/*", "jpeg", "image/jpeg"},
		{"/a.jpg", "", "jpeg", "image/jpeg"},
		{"/a.png", "text/html,*/*", "png", "image/png"},
	}
	for _, tt := range tests {
		a := e.get(domain, "/cdn-cgi/image/width=60,format=auto"+tt.path, "Accept", tt.accept)
		if a.Status != 200 || imgMagic(a.Body) != tt.want || a.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("%s Accept %q: %d %s, magic %s; want %s", tt.path, tt.accept, a.Status, a.Header.Get("Content-Type"), imgMagic(a.Body), tt.want)
		}
		if a.Header.Get("Vary") != "Accept" {
			t.Errorf("%s Accept %q: Vary %q, want Accept", tt.path, tt.accept, a.Header.Get("Vary"))
		}
	}
	before := eng.transforms.Load()
	a := e.get(domain, "/cdn-cgi/image/format=auto,w=60/a.jpg", "Accept", "image/webp")
	if a.xcache() != "Hit from cloudfront" || imgMagic(a.Body) != "webp" || eng.transforms.Load() != before {
		t.Errorf("same variant, other spelling and Accept: %s %s, %d transforms", a.xcache(), imgMagic(a.Body), eng.transforms.Load()-before)
	}
	// An explicit format does not vary on Accept.
	a = e.get(domain, "/cdn-cgi/image/width=60,format=webp/a.png", "Accept", "image/avif")
	if imgMagic(a.Body) != "webp" || a.Header.Get("Vary") != "" {
		t.Errorf("format=webp: %s, Vary %q", imgMagic(a.Body), a.Header.Get("Vary"))
	}
}

// TestImageCaching: a variant is a Miss, then a Hit with the origin and the engine untouched;
// the source is cached as itself and reused; the ETag derives from the source and options, and
// If-None-Match gets 304 from the cache.
func TestImageCaching(t *testing.T) {
	e, eng := newImageEnv(t, nil)
	src := imgJPEG(t, imgPhoto(300, 200))
	o := newOrigin(t, imgFiles(map[string][]byte{"/images/a.jpg": src}))
	e.load(imageDist(o))
	url := "/cdn-cgi/image/width=150,format=jpeg/images/a.jpg"
	first := e.get(domain, url)
	second := e.get(domain, url)
	if first.xcache() != "Miss from cloudfront" || second.xcache() != "Hit from cloudfront" || first.Body != second.Body {
		t.Fatalf("first %s, second %s, same body %v", first.xcache(), second.xcache(), first.Body == second.Body)
	}
	if o.count() != 1 || eng.transforms.Load() != 1 {
		t.Fatalf("%d origin requests, %d transforms; want 1 and 1", o.count(), eng.transforms.Load())
	}
	if o.last().Path != "/images/a.jpg" || o.last().Header.Get("Accept-Encoding") != "" {
		t.Errorf("origin saw %q with Accept-Encoding %q", o.last().Path, o.last().Header.Get("Accept-Encoding"))
	}
	etag := first.Header.Get("ETag")
	if len(etag) < 3 || etag[0] != '"' || etag != second.Header.Get("ETag") {
		t.Fatalf("ETags %q and %q", etag, second.Header.Get("ETag"))
	}
	plain := e.get(domain, "/images/a.jpg")
	e.want(plain, 200, "Hit", string(src))
	if plain.Header.Get("ETag") == etag {
		t.Errorf("the variant has the source's ETag %q", etag)
	}
	if other := e.get(domain, "/cdn-cgi/image/width=151,format=jpeg/images/a.jpg"); other.Header.Get("ETag") == etag {
		t.Errorf("two variants share ETag %q", etag)
	}
	nm := e.get(domain, url, "If-None-Match", etag)
	if nm.Status != 304 || nm.Body != "" {
		t.Errorf("If-None-Match: %d %q", nm.Status, clip(nm.Body))
	}
	if o.count() != 1 {
		t.Errorf("%d origin requests, want 1", o.count())
	}
	head := e.do(false, "HEAD", domain, url, nil)
	if head.Status != 200 || head.Header.Get("Content-Length") != itoa(int64(len(first.Body))) || head.xcache() != "Hit from cloudfront" {
		t.Errorf("HEAD: %d length %q %s", head.Status, head.Header.Get("Content-Length"), head.xcache())
	}
}

// TestImageSourceCachedFirst: a source already in the cache is transformed without an origin
// request.
func TestImageSourceCachedFirst(t *testing.T) {
	e, _ := newImageEnv(t, nil)
	o := newOrigin(t, imgFiles(map[string][]byte{"/a.jpg": imgJPEG(t, imgPhoto(100, 100))}))
	e.load(imageDist(o))
	e.get(domain, "/a.jpg")
	a := e.get(domain, "/cdn-cgi/image/width=50,format=png/a.jpg")
	if w, h, _ := imgSize(t, a); w != 50 || h != 50 || a.xcache() != "Miss from cloudfront" || o.count() != 1 {
		t.Errorf("%dx%d %s after %d origin requests", w, h, a.xcache(), o.count())
	}
}

// TestImageInvalidation: invalidating the source path, exactly or by prefix, removes its
// variants too; other paths' variants stay.
func TestImageInvalidation(t *testing.T) {
	for _, paths := range [][]string{{"/images/a.jpg"}, {"/images/*"}, {"/*"}} {
		t.Run(strings.Join(paths, ","), func(t *testing.T) {
			e, eng := newImageEnv(t, nil)
			o := newOrigin(t, imgFiles(map[string][]byte{
				"/images/a.jpg": imgJPEG(t, imgPhoto(100, 80)),
				"/other/b.jpg":  imgJPEG(t, imgPhoto(100, 80)),
			}))
			e.load(imageDist(o))
			for _, u := range []string{"/cdn-cgi/image/w=50/images/a.jpg", "/cdn-cgi/image/w=40,format=webp/images/a.jpg", "/cdn-cgi/image/w=50/other/b.jpg"} {
				e.get(domain, u)
			}
			removed := e.h.Invalidate("E1", paths)
			a := e.get(domain, "/cdn-cgi/image/w=50/images/a.jpg")
			b := e.get(domain, "/cdn-cgi/image/width=40,format=webp/images/a.jpg")
			if a.xcache() != "Miss from cloudfront" || b.xcache() != "Miss from cloudfront" {
				t.Errorf("after invalidating %v (%d removed): %s, %s", paths, removed, a.xcache(), b.xcache())
			}
			other := e.get(domain, "/cdn-cgi/image/w=50/other/b.jpg")
			wantOther := "Hit from cloudfront"
			if paths[0] == "/*" {
				wantOther = "Miss from cloudfront"
			}
			if other.xcache() != wantOther {
				t.Errorf("other path's variant after %v: %s, want %s", paths, other.xcache(), wantOther)
			}
			if got := eng.transforms.Load(); got < 5 {
				t.Errorf("%d transforms, want the invalidated variants made again", got)
			}
		})
	}
}

// TestImageQueryForm: on a behaviour that forwards query strings, option parameters transform
// the path itself, share the variant of the URL form, and leave other parameters to the source.
func TestImageQueryForm(t *testing.T) {
	e, eng := newImageEnv(t, nil)
	o := newOrigin(t, imgFiles(map[string][]byte{"/a.jpg": imgJPEG(t, imgPhoto(200, 100))}))
	d := imageDist(o)
	d.Config.DefaultCacheBehavior.ForwardedValues.QueryString = true
	e.load(d)
	a := e.get(domain, "/a.jpg?width=100&format=png")
	if w, h, f := imgSize(t, a); w != 100 || h != 50 || f != "png" {
		t.Fatalf("query form: %dx%d %s", w, h, f)
	}
	b := e.get(domain, "/cdn-cgi/image/format=png,w=100/a.jpg")
	if b.xcache() != "Hit from cloudfront" || eng.transforms.Load() != 1 {
		t.Errorf("URL form of the same variant: %s after %d transforms", b.xcache(), eng.transforms.Load())
	}
	e.get(domain, "/a.jpg?w=50&v=2")
	if last := o.last(); last.Query != "v=2" {
		t.Errorf("source fetched with query %q, want v=2", last.Query)
	}
	if bad := e.get(domain, "/a.jpg?width=huge"); bad.Status != 400 || !strings.Contains(bad.Body, "width") {
		t.Errorf("bad query option: %d %s", bad.Status, clip(bad.Body))
	}
	plain := e.get(domain, "/a.jpg?v=3")
	if plain.Header.Get("Content-Type") != "image/jpeg" || imgMagic(plain.Body) != "jpeg" {
		t.Errorf("no option parameter: %s", plain.Header.Get("Content-Type"))
	}

	// Without query forwarding the parameters are not options.
	d.Config.DefaultCacheBehavior.ForwardedValues.QueryString = false
	d.Version++
	e.load(d)
	if a := e.get(domain, "/a.jpg?width=10"); imgMagic(a.Body) != "jpeg" || a.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("query not forwarded: %s", a.Header.Get("Content-Type"))
	}
}

// TestImageOff: without the association, or with another account's function, /cdn-cgi/image/
// is an ordinary path that goes to the origin as it is.
func TestImageOff(t *testing.T) {
	e, eng := newImageEnv(t, nil)
	o := newOrigin(t, static("plain", "Content-Type", "text/plain"))
	d := dist(o.origin("o"))
	d.Config.DefaultCacheBehavior.FunctionAssociations = []distrib.FunctionAssociation{
		{ARN: "arn:aws:cloudfront::999999999999:function/" + ImageOptimizerFunction, EventType: "viewer-request"},
		{ARN: optimizerARN, EventType: "viewer-response"},
	}
	e.load(d)
	a := e.get(domain, "/cdn-cgi/image/width=100/a.jpg")
	e.want(a, 200, "Miss", "plain")
	if o.last().Path != "/cdn-cgi/image/width=100/a.jpg" || eng.transforms.Load() != 0 {
		t.Errorf("origin saw %q, %d transforms", o.last().Path, eng.transforms.Load())
	}
}

// TestImageBehaviourOfSource: the source path's behaviour decides; a transform of a path
// under a behaviour without the function is an ordinary path.
func TestImageBehaviourOfSource(t *testing.T) {
	e, _ := newImageEnv(t, nil)
	o := newOrigin(t, imgFiles(map[string][]byte{"/images/a.jpg": imgJPEG(t, imgPhoto(100, 100)), "/docs/a.jpg": imgJPEG(t, imgPhoto(100, 100))}))
	d := dist(o.origin("o"))
	images := withOptimizer(behave("o"))
	images.PathPattern = "/images/*"
	d.Config.CacheBehaviors = []distrib.CacheBehavior{images}
	e.load(d)
	if a := e.get(domain, "/cdn-cgi/image/width=10,format=png/images/a.jpg"); imgMagic(a.Body) != "png" {
		t.Errorf("under /images/*: %d %s", a.Status, imgMagic(a.Body))
	}
	if a := e.get(domain, "/cdn-cgi/image/width=10,format=png/docs/a.jpg"); a.Status != 404 || o.last().Path != "/cdn-cgi/image/width=10,format=png/docs/a.jpg" {
		t.Errorf("under the default behaviour: %d, origin saw %q", a.Status, o.last().Path)
	}
}

// TestImageCollapsing: concurrent viewers of one cold variant cause one source fetch and one
// transform, and all get the same bytes.
func TestImageCollapsing(t *testing.T) {
	e, eng := newImageEnv(t, nil)
	o := newOrigin(t, imgFiles(map[string][]byte{"/a.jpg": imgJPEG(t, imgPhoto(800, 600))}))
	e.load(imageDist(o))
	const viewers = 12
	bodies := make([]string, viewers)
	var wg sync.WaitGroup
	for i := range viewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := e.get(domain, "/cdn-cgi/image/width=300,format=webp/a.jpg")
			if a.Status == 200 {
				bodies[i] = a.Body
			}
		}()
	}
	wg.Wait()
	for i, b := range bodies {
		if b == "" || b != bodies[0] || imgMagic(b) != "webp" {
			t.Fatalf("viewer %d got %d bytes (%s), viewer 0 %d", i, len(b), imgMagic(b), len(bodies[0]))
		}
	}
	if o.count() != 1 || eng.transforms.Load() != 1 {
		t.Errorf("%d origin requests and %d transforms for %d viewers; want 1 and 1", o.count(), eng.transforms.Load(), viewers)
	}
}

// TestImageExpiresWithSource: a variant is as fresh as its source; once the source expires,
// the variant is made again from the revalidated source.
func TestImageExpiresWithSource(t *testing.T) {
	e, eng := newImageEnv(t, nil)
	o := newOrigin(t, imgFiles(map[string][]byte{"/a.jpg": imgJPEG(t, imgPhoto(100, 100))}))
	d := imageDist(o)
	d.Config.DefaultCacheBehavior.DefaultTTL = i64(60)
	e.load(d)
	url := "/cdn-cgi/image/width=20,format=png/a.jpg"
	e.get(domain, url)
	e.clock.Advance(30 * time.Second)
	if a := e.get(domain, url); a.xcache() != "Hit from cloudfront" || a.Header.Get("Age") != "30" {
		t.Errorf("within the source's TTL: %s age %q", a.xcache(), a.Header.Get("Age"))
	}
	e.clock.Advance(31 * time.Second)
	if a := e.get(domain, url); a.xcache() != "Miss from cloudfront" || eng.transforms.Load() != 2 || o.count() != 2 {
		t.Errorf("past the source's TTL: %s, %d transforms, %d origin requests", a.xcache(), eng.transforms.Load(), o.count())
	}
}
