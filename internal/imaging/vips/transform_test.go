package vips

import (
	"image/color"
	"testing"

	govips "github.com/davidbyttow/govips/v2/vips"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

func TestFitModesGiveExactSizes(t *testing.T) {
	e := newEngine(t, nil)
	src := encodeJPEG(t, photo(400, 300))
	tests := []struct {
		options string
		w, h    int
	}{
		{"anim=true", 400, 300},
		{"w=200", 200, 150},
		{"h=150", 200, 150},
		{"w=800", 400, 300},
		{"w=800,fit=contain", 800, 600},
		{"w=200,h=200", 200, 150},
		{"w=200,h=200,fit=contain", 200, 150},
		{"w=200,h=200,fit=cover", 200, 200},
		{"w=100,h=300,fit=cover", 100, 300},
		{"w=800,h=800,fit=cover", 800, 800},
		{"w=200,h=200,fit=crop", 200, 200},
		{"w=800,h=800,fit=crop", 400, 300},
		{"w=800,h=100,fit=crop", 400, 100},
		{"w=200,h=200,fit=pad", 200, 200},
		{"w=333,h=111,fit=pad,background=red", 333, 111},
		{"w=100,dpr=2", 200, 150},
		{"w=100,h=100,fit=cover,dpr=3", 300, 300},
		{"w=200,rotate=90", 150, 200},
		{"rotate=180", 400, 300},
		{"trim=10;20;30;40", 340, 260},
		{"trim=10;20;30;40,w=170", 170, 130},
		{"w=160,h=90,fit=cover,gravity=auto", 160, 90},
		{"w=160,h=90,fit=cover,gravity=0.1x0.9", 160, 90},
		{"w=50,blur=10,sharpen=5", 50, 38},
	}
	for _, tt := range tests {
		for _, f := range []imaging.Format{imaging.FormatJPEG, imaging.FormatPNG} {
			d := transform(t, e, src, tt.options, f)
			if d.w != tt.w || d.h != tt.h {
				t.Errorf("%s as %s: %dx%d, want %dx%d", tt.options, f, d.w, d.h, tt.w, tt.h)
			}
		}
	}
}

func TestLargeSourcesShrinkToMaxOutputSide(t *testing.T) {
	e := newEngine(t, func(c *imaging.Config) { c.MaxOutputSide = 100 })
	d := transform(t, e, encodeJPEG(t, photo(400, 300)), "anim=true", imaging.FormatJPEG)
	if d.w != 100 || d.h != 75 {
		t.Fatalf("got %dx%d, want 100x75", d.w, d.h)
	}
	d = transform(t, e, encodeJPEG(t, photo(20, 400)), "w=10", imaging.FormatJPEG)
	if d.w != 5 || d.h != 100 {
		t.Fatalf("tall source with only a width: %dx%d, want 5x100", d.w, d.h)
	}
}

func TestEveryOutputFormatByMagic(t *testing.T) {
	e := newEngine(t, nil)
	src := alphaPNG(t, 64, 48)
	tests := []struct {
		f     imaging.Format
		want  imaging.Format
		alpha bool
	}{
		{imaging.FormatJPEG, imaging.FormatJPEG, false},
		{imaging.FormatBaselineJPEG, imaging.FormatJPEG, false},
		{imaging.FormatPNG, imaging.FormatPNG, true},
		{imaging.FormatWebP, imaging.FormatWebP, true},
		{imaging.FormatAVIF, imaging.FormatAVIF, true},
	}
	for _, tt := range tests {
		d := transform(t, e, src, "w=32", tt.f)
		if d.format != tt.want || d.w != 32 || d.h != 24 || d.alpha != tt.alpha {
			t.Errorf("%s: got %s %dx%d alpha=%v, want %s 32x24 alpha=%v", tt.f, d.format, d.w, d.h, d.alpha, tt.want, tt.alpha)
		}
	}
	// JPEG has no alpha: the transparent half is flattened on white, the opaque half stays red.
	d := transform(t, e, src, "w=32", imaging.FormatJPEG)
	if p := pixel(t, d, 28, 12); !near(p, white) {
		t.Errorf("flattened transparent pixel = %v, want white", p)
	}
	if p := pixel(t, d, 4, 12); !near(p, red) {
		t.Errorf("opaque pixel = %v, want red", p)
	}
	d = transform(t, e, src, "w=32,background=#0000ff", imaging.FormatPNG)
	if d.alpha || !near(pixel(t, d, 28, 12), blue) {
		t.Errorf("background=blue on PNG: alpha=%v pixel %v, want flattened on blue", d.alpha, pixel(t, d, 28, 12))
	}
}

func TestEverySourceFormat(t *testing.T) {
	e := newEngine(t, nil)
	jpg := encodeJPEG(t, photo(120, 80))
	sources := map[imaging.Format][]byte{
		imaging.FormatJPEG: jpg,
		imaging.FormatPNG:  alphaPNG(t, 120, 80),
		imaging.FormatGIF:  animatedGIF(t, 120, 80, 1),
		imaging.FormatWebP: webpOf(t, jpg),
		imaging.FormatAVIF: avifOf(t, jpg),
	}
	for f, src := range sources {
		s, err := e.Probe(src)
		if err != nil || s.Format != f || s.Width != 120 || s.Height != 80 || s.Frames != 1 {
			t.Errorf("Probe(%s) = %+v, %v", f, s, err)
			continue
		}
		if got := s.HasAlpha; got != (f == imaging.FormatPNG) {
			t.Errorf("Probe(%s).HasAlpha = %v", f, got)
		}
		for _, out := range []imaging.Format{imaging.FormatWebP, imaging.FormatJPEG} {
			d := transform(t, e, src, "w=60", out)
			if d.w != 60 || d.h != 40 {
				t.Errorf("%s -> %s: %dx%d, want 60x40", f, out, d.w, d.h)
			}
		}
	}
}

func TestGravityPicksTheKeptPart(t *testing.T) {
	e := newEngine(t, nil)
	src := encodePNG(t, bands(300, 100, red, green, blue))
	tests := map[string]color.RGBA{
		"gravity=left": red, "gravity=center": green, "gravity=right": blue,
		"gravity=0.1x0.5": red, "gravity=0.9x0.5": blue, "gravity=top": green,
	}
	for g, want := range tests {
		for _, fit := range []string{"cover", "crop"} {
			d := transform(t, e, src, "w=100,h=100,fit="+fit+","+g, imaging.FormatPNG)
			if d.w != 100 || d.h != 100 || !near(pixel(t, d, 50, 50), want) {
				t.Errorf("fit=%s,%s: %dx%d center %v, want 100x100 %v", fit, g, d.w, d.h, pixel(t, d, 50, 50), want)
			}
		}
	}
}

func TestEXIFOrientations(t *testing.T) {
	e := newEngine(t, nil)
	base := encodePNG(t, bands(40, 20, red, blue)) // red left half, blue right half
	// Where the stored left (red) half must appear once the orientation is applied
	// (EXIF 2.32, tag 0x0112): 1 left, 2 mirrored right, 3 right, 4 left, 5 top, 6 top,
	// 7 bottom, 8 bottom.
	type where int
	const (
		left where = iota
		right
		top
		bottom
	)
	want := map[int]where{1: left, 2: right, 3: right, 4: left, 5: top, 6: top, 7: bottom, 8: bottom}
	for o := 1; o <= 8; o++ {
		src := viaVips(t, base, func(i *govips.ImageRef) {
			if err := i.SetOrientation(o); err != nil {
				t.Fatal(err)
			}
		}, func(i *govips.ImageRef) ([]byte, error) {
			b, _, err := i.ExportJpeg(&govips.JpegExportParams{Quality: 95})
			return b, err
		})
		d := transform(t, e, src, "anim=true", imaging.FormatPNG)
		quarter := o >= 5
		if (quarter && (d.w != 20 || d.h != 40)) || (!quarter && (d.w != 40 || d.h != 20)) {
			t.Errorf("orientation %d: %dx%d", o, d.w, d.h)
			continue
		}
		var x, y int
		switch want[o] {
		case left:
			x, y = 5, 10
		case right:
			x, y = 35, 10
		case top:
			x, y = 10, 5
		case bottom:
			x, y = 10, 35
		}
		if p := pixel(t, d, x, y); !near(p, red) {
			t.Errorf("orientation %d: pixel (%d,%d) = %v, want red", o, x, y, p)
		}
		// Resizing goes through the shrink-on-load path, which must orient the same way.
		if d := transform(t, e, src, "w=10", imaging.FormatPNG); quarter && d.h != 20 || !quarter && d.h != 5 {
			t.Errorf("orientation %d with w=10: %dx%d", o, d.w, d.h)
		}
	}
}
