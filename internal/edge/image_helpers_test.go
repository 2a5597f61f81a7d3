package edge

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	_ "image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/imaging"
	"github.com/imgcdn/imgcdn/internal/imaging/vips"
)

// The image tests run the real libvips engine behind the edge, as `imgcdn serve` does. libvips
// is process-wide: it is started once for the test binary and never shut down (the process
// exit releases it; govips cannot restart it).

var vipsOnce sync.Once

// countingEngine is the real engine, counting transforms so collapsing can be proven.
type countingEngine struct {
	*vips.Engine
	transforms atomic.Int32
}

func (c *countingEngine) Transform(ctx context.Context, src []byte, o imaging.Options, f imaging.Format) ([]byte, string, error) {
	c.transforms.Add(1)
	return c.Engine.Transform(ctx, src, o, f)
}

// newImageEnv is an edge with image optimization on, under the default limits changed by
// edit; mod may change the rest of its configuration, as for newEnv.
func newImageEnv(t *testing.T, edit func(*imaging.Config), mod ...func(*Config, *edgecache.Config)) (*env, *countingEngine) {
	t.Helper()
	vipsOnce.Do(func() {
		if err := vips.Start(vips.StartConfig{}); err != nil {
			t.Fatal(err)
		}
	})
	lim := imaging.NewDefaultConfig()
	if edit != nil {
		edit(&lim)
	}
	eng, err := vips.New(lim)
	if err != nil {
		t.Fatal(err)
	}
	ce := &countingEngine{Engine: eng}
	e := newEnv(t, append([]func(*Config, *edgecache.Config){func(c *Config, _ *edgecache.Config) { c.Images = ImageConfig{Engine: ce, Limits: lim} }}, mod...)...)
	return e, ce
}

// optimizerARN is the built-in function's ARN in the tests' account (env.load's AccountID).
const optimizerARN = "arn:aws:cloudfront::123456789012:function/" + ImageOptimizerFunction

// withOptimizer associates the built-in function with b for viewer requests.
func withOptimizer(b distrib.CacheBehavior) distrib.CacheBehavior {
	b.FunctionAssociations = append(b.FunctionAssociations, distrib.FunctionAssociation{ARN: optimizerARN, EventType: "viewer-request"})
	return b
}

// imageDist is dist() with the optimizer on its default behaviour.
func imageDist(o *testOrigin) distrib.Distribution {
	d := dist(o.origin("o"))
	d.Config.DefaultCacheBehavior = withOptimizer(d.Config.DefaultCacheBehavior)
	return d
}

// imgFiles is an origin serving fixed bodies by path (404 for others), with an ETag each.
func imgFiles(m map[string][]byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, ok := m[r.URL.Path]
		if !ok {
			http.Error(w, "no such key", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", http.DetectContentType(b))
		w.Header().Set("ETag", `"`+strconv.FormatUint(uint64(crc32.ChecksumIEEE(b)), 16)+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Header().Set("Last-Modified", "Fri, 07 Feb 2025 07:13:57 GMT")
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(b)
		}
	}
}

// imgPhoto is a w x h opaque image with gradients, so encoders do real work.
func imgPhoto(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 255})
		}
	}
	return img
}

func imgJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func imgPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngBomb is a PNG whose header declares w x h over a tiny IDAT: refused from the header.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// imgSize decodes an answer's JPEG, PNG or GIF header.
func imgSize(t testing.TB, a answer) (w, h int, format string) {
	t.Helper()
	cfg, format, err := image.DecodeConfig(bytes.NewReader([]byte(a.Body)))
	if err != nil {
		t.Fatalf("decoding the answer (%d, %s, %d bytes): %v", a.Status, a.Header.Get("Content-Type"), len(a.Body), err)
	}
	return cfg.Width, cfg.Height, format
}

// imgMagic names an image body's format by its first bytes.
func imgMagic(b string) string {
	switch {
	case len(b) >= 3 && b[:3] == "\xff\xd8\xff":
		return "jpeg"
	case len(b) >= 8 && b[:8] == "\x89PNG\r\n\x1a\n":
		return "png"
	case len(b) >= 12 && b[:4] == "RIFF" && b[8:12] == "WEBP":
		return "webp"
	case len(b) >= 12 && b[4:8] == "ftyp" && (b[8:12] == "avif" || bytes.Contains([]byte(b[8:min(len(b), 64)]), []byte("avif"))):
		return "avif"
	case len(b) >= 6 && b[:6] == "GIF89a":
		return "gif"
	}
	return "?"
}
