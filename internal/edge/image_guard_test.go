package edge

import (
	"html"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/imaging"
)

// loadImageSettings serves d with the given image settings.
func (e *env) loadImageSettings(d distrib.Distribution, s distrib.ImageSettings) {
	e.t.Helper()
	s.DistributionID = d.ID
	_, failed := e.h.Load(State{Distributions: []distrib.Distribution{d}, AccountID: "123456789012",
		ImageSettings: map[string]distrib.ImageSettings{d.ID: s}})
	if len(failed) > 0 {
		e.t.Fatalf("Load: %v", failed)
	}
}

// TestImageSignedURLs: a distribution that requires signatures transforms only URLs signed
// with its secret, in either form, even for a variant already cached; the signature does not
// reach the source's request, and untransformed paths need none.
func TestImageSignedURLs(t *testing.T) {
	e, _ := newImageEnv(t, nil)
	o := newOrigin(t, imgFiles(map[string][]byte{"/a.jpg": imgJPEG(t, imgPhoto(100, 100))}))
	d := imageDist(o)
	d.Config.DefaultCacheBehavior.ForwardedValues.QueryString = true
	const secret = "s3cr3t-signing-key"
	e.loadImageSettings(d, distrib.ImageSettings{RequireSigned: true, SigningSecret: secret})
	sign := func(u string) string {
		t.Helper()
		s, err := imaging.SignURL(secret, u)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	signed := sign("/cdn-cgi/image/width=50,format=png/a.jpg")
	if a := e.get(domain, signed); a.Status != 200 || imgMagic(a.Body) != "png" {
		t.Fatalf("signed %s: %d %s", signed, a.Status, clip(a.Body))
	}
	if q := o.last().Query; q != "" {
		t.Errorf("the source was fetched with query %q", q)
	}
	for _, u := range []string{
		"/cdn-cgi/image/width=50,format=png/a.jpg", // cached, but unsigned
		"/cdn-cgi/image/width=51,format=png/a.jpg?" + signed[strings.Index(signed, "?")+1:],
		"/cdn-cgi/image/width=50,format=png/a.jpg?sig=AAAA",
		"/a.jpg?width=50&format=png",
	} {
		if a := e.get(domain, u); a.Status != 403 || !strings.Contains(a.Body, "sign-url") {
			t.Errorf("%s: %d %q", u, a.Status, clip(a.Body))
		}
	}
	if a := e.get(domain, sign("/a.jpg?format=png&w=50")); a.Status != 200 || a.xcache() != "Hit from cloudfront" {
		t.Errorf("signed query form of the cached variant: %d %s", a.Status, a.xcache())
	}
	if a := e.get(domain, "/a.jpg"); a.Status != 200 || imgMagic(a.Body) != "jpeg" {
		t.Errorf("the untransformed path: %d", a.Status)
	}
}

// TestImageAllowedWidths: only the listed widths transform; others, and no width, are 400s
// naming the width.
func TestImageAllowedWidths(t *testing.T) {
	e, _ := newImageEnv(t, nil)
	o := newOrigin(t, imgFiles(map[string][]byte{"/a.jpg": imgJPEG(t, imgPhoto(100, 100))}))
	e.loadImageSettings(imageDist(o), distrib.ImageSettings{AllowedWidths: []int{32, 64}})
	if a := e.get(domain, "/cdn-cgi/image/width=64,format=png/a.jpg"); a.Status != 200 {
		t.Errorf("allowed width: %d %q", a.Status, clip(a.Body))
	}
	for _, opts := range []string{"width=65", "height=64", "w=33,format=webp"} {
		a := e.get(domain, "/cdn-cgi/image/"+opts+"/a.jpg")
		if a.Status != 400 || !strings.Contains(html.UnescapeString(a.Body), `transform option "width"`) || !strings.Contains(a.Body, "32, 64") {
			t.Errorf("%s: %d %q", opts, a.Status, clip(a.Body))
		}
	}
}
