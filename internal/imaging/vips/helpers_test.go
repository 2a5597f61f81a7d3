package vips

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	govips "github.com/davidbyttow/govips/v2/vips"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

func TestMain(m *testing.M) {
	if err := Start(StartConfig{}); err != nil {
		panic(err)
	}
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

// newEngine is an Engine with the default limits, or changed by edit.
func newEngine(t testing.TB, edit func(*imaging.Config)) *Engine {
	t.Helper()
	cfg := imaging.NewDefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// bands paints w x h in vertical stripes of the given colors, left to right.
func bands(w, h int, cs ...color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		c := cs[x*len(cs)/w]
		for y := 0; y < h; y++ {
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

var (
	red   = color.RGBA{255, 0, 0, 255}
	green = color.RGBA{0, 255, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	white = color.RGBA{255, 255, 255, 255}
)

// photo is a w x h image with smooth gradients and some texture, so encoders do real work.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := img.PixOffset(x, y)
			img.Pix[i] = uint8(x * 255 / w)
			img.Pix[i+1] = uint8(y * 255 / h)
			img.Pix[i+2] = uint8((x ^ y) & 0xff)
			img.Pix[i+3] = 255
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// alphaPNG is a w x h PNG whose right half is transparent.
func alphaPNG(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w/2; x++ {
			img.SetNRGBA(x, y, color.NRGBA{200, 10, 10, 255})
		}
	}
	return encodePNG(t, img)
}

// animatedGIF has frames w x h frames, each a different solid color.
func animatedGIF(t testing.TB, w, h, frames int) []byte {
	t.Helper()
	g := &gif.GIF{LoopCount: 0}
	for i := 0; i < frames; i++ {
		p := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
		c := uint8(p.Palette.Index([]color.RGBA{red, green, blue}[i%3]))
		for k := range p.Pix {
			p.Pix[k] = c
		}
		g.Image = append(g.Image, p)
		g.Delay = append(g.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// viaVips re-encodes src with libvips itself, for the formats Go cannot write (WebP, AVIF), and
// for EXIF orientation and ICC profiles, which Go's encoders do not write.
func viaVips(t testing.TB, src []byte, edit func(*govips.ImageRef), export func(*govips.ImageRef) ([]byte, error)) []byte {
	t.Helper()
	params := govips.NewImportParams()
	params.NumPages.Set(-1)
	if detect(src) != imaging.FormatGIF {
		params = govips.NewImportParams()
	}
	img, err := govips.LoadImageFromBuffer(src, params)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	if edit != nil {
		edit(img)
	}
	out, err := export(img)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func webpOf(t testing.TB, src []byte) []byte {
	return viaVips(t, src, nil, func(i *govips.ImageRef) ([]byte, error) {
		b, _, err := i.ExportWebp(govips.NewWebpExportParams())
		return b, err
	})
}

func avifOf(t testing.TB, src []byte) []byte {
	return viaVips(t, src, nil, func(i *govips.ImageRef) ([]byte, error) {
		p := govips.NewAvifExportParams()
		p.Effort = 1
		b, _, err := i.ExportAvif(p)
		return b, err
	})
}

// decoded is what libvips reads back from an output.
type decoded struct {
	format       imaging.Format
	w, h, frames int
	alpha        bool
	img          *govips.ImageRef
}

// decode loads out (every frame) and checks that its magic bytes match contentType.
func decode(t testing.TB, out []byte, contentType string) decoded {
	t.Helper()
	f := detect(out)
	if f.ContentType() != contentType || (f == imaging.FormatJPEG) != (contentType == "image/jpeg") {
		t.Fatalf("output magic says %q, Content-Type says %q", f, contentType)
	}
	params := govips.NewImportParams()
	if f == imaging.FormatGIF || f == imaging.FormatWebP {
		params.NumPages.Set(-1)
	}
	img, err := govips.LoadImageFromBuffer(out, params)
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	t.Cleanup(img.Close)
	d := decoded{format: f, w: img.Width(), h: img.PageHeight(), frames: img.Height() / img.PageHeight(), alpha: img.HasAlpha(), img: img}
	return d
}

// pixel is the RGB at x, y of a decoded still image.
func pixel(t testing.TB, d decoded, x, y int) [3]float64 {
	t.Helper()
	p, err := d.img.GetPoint(x, y)
	if err != nil || len(p) < 3 {
		t.Fatalf("GetPoint(%d, %d) = %v, %v", x, y, p, err)
	}
	return [3]float64{p[0], p[1], p[2]}
}

// near reports whether p is within 60 of c on every channel (lossy encoders blur edges).
func near(p [3]float64, c color.RGBA) bool {
	d := func(a float64, b uint8) bool { return a-float64(b) < 60 && float64(b)-a < 60 }
	return d(p[0], c.R) && d(p[1], c.G) && d(p[2], c.B)
}

func transform(t testing.TB, e *Engine, src []byte, options string, f imaging.Format) decoded {
	t.Helper()
	o, err := imaging.Parse(options)
	if err != nil {
		t.Fatal(err)
	}
	out, ctype, err := e.Transform(context.Background(), src, o, f)
	if err != nil {
		t.Fatalf("Transform(%s, %s): %v", options, f, err)
	}
	return decode(t, out, ctype)
}
