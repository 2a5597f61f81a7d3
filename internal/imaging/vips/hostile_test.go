package vips

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"math/rand"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// pngWithHeader is a PNG whose IHDR declares w x h with a tiny IDAT: a bomb as far as the header
// goes, refused before anything is inflated.
func pngWithHeader(w, h uint32) []byte {
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
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func TestHostileInputsGetTypedErrors(t *testing.T) {
	e := newEngine(t, func(c *imaging.Config) { c.MaxSourcePixels = 1_000_000; c.MaxFrames = 5; c.MaxSourceBytes = 1 << 20 })
	jpg := encodeJPEG(t, photo(200, 150))
	png := encodePNG(t, photo(200, 150))
	random := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(random)
	// A real compression bomb: 2000 x 2000 of zeros, 4 MP that deflate to a few kilobytes.
	bomb := encodePNG(t, image.NewGray(image.Rect(0, 0, 2000, 2000)))
	tests := []struct {
		name string
		src  []byte
		want error
	}{
		{"empty", nil, imaging.ErrUnsupported},
		{"random bytes", random, imaging.ErrUnsupported},
		{"text with an image name", []byte("<html><body>not found</body></html>"), imaging.ErrUnsupported},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), imaging.ErrUnsupported},
		{"pdf", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"), imaging.ErrUnsupported},
		{"jpeg magic, garbage after", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, random...), imaging.ErrCorrupt},
		{"truncated jpeg", jpg[:len(jpg)/2], imaging.ErrCorrupt},
		{"truncated png", png[:len(png)/2], imaging.ErrCorrupt},
		{"png header only", png[:40], imaging.ErrCorrupt},
		{"declared 60000x60000", pngWithHeader(60000, 60000), imaging.ErrTooLarge},
		{"declared 1x2^31 (past libvips' own coordinate limit)", pngWithHeader(1, 1<<31-1), imaging.ErrCorrupt},
		{"compression bomb", bomb, imaging.ErrTooLarge},
		{"too many bytes", append(append([]byte{}, jpg...), make([]byte, 1<<20)...), imaging.ErrTooLarge},
	}
	for _, tt := range tests {
		for _, f := range []imaging.Format{imaging.FormatWebP, imaging.FormatJPEG} {
			_, _, err := e.Transform(context.Background(), tt.src, imaging.Options{Width: 50}, f)
			if !errors.Is(err, tt.want) {
				t.Errorf("%s -> %s: %v, want %v", tt.name, f, err, tt.want)
			}
		}
	}
	long := animatedGIF(t, 10, 10, 6)
	if _, _, err := e.Transform(context.Background(), long, imaging.Options{Width: 5}, imaging.FormatWebP); !errors.Is(err, imaging.ErrTooLarge) {
		t.Errorf("6 frames with MaxFrames 5: %v, want ErrTooLarge", err)
	}
	// anim=false, and JPEG or PNG output, read one frame: the frame limit does not apply.
	if _, _, err := e.Transform(context.Background(), long, imaging.Options{Width: 5}, imaging.FormatJPEG); err != nil {
		t.Errorf("JPEG of a long animation: %v", err)
	}
	if _, _, err := e.Transform(context.Background(), long, imaging.Options{NoAnim: true}, imaging.FormatWebP); err != nil {
		t.Errorf("anim=false on a long animation: %v", err)
	}
	// The engine is still healthy.
	d := transform(t, e, jpg, "w=20", imaging.FormatJPEG)
	if d.w != 20 {
		t.Fatalf("after hostile inputs: %dx%d", d.w, d.h)
	}
}

func TestOptionLimitsAndBadCalls(t *testing.T) {
	e := newEngine(t, func(c *imaging.Config) { c.MaxOutputSide = 500 })
	jpg := encodeJPEG(t, photo(100, 100))
	var oe *imaging.OptionError
	if _, _, err := e.Transform(context.Background(), jpg, imaging.Options{Width: 300, DPR: 2}, imaging.FormatJPEG); !errors.As(err, &oe) || oe.Option != "width" {
		t.Errorf("width x dpr over MaxOutputSide: %v", err)
	}
	if _, _, err := e.Transform(context.Background(), jpg, imaging.Options{Trim: imaging.Trim{Left: 60, Right: 40}}, imaging.FormatJPEG); !errors.As(err, &oe) || oe.Option != "trim" {
		t.Errorf("trim of everything: %v", err)
	}
	if _, _, err := e.Transform(context.Background(), jpg, imaging.Options{}, imaging.FormatAuto); err == nil {
		t.Error("format auto was accepted as an output format")
	}
	if _, err := New(imaging.Config{}); err == nil {
		t.Error("New accepted an invalid config")
	}
}

func TestDeadline(t *testing.T) {
	e := newEngine(t, nil)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, _, err := e.Transform(ctx, encodeJPEG(t, photo(50, 50)), imaging.Options{Width: 10}, imaging.FormatJPEG)
	if !errors.Is(err, imaging.ErrTimeout) {
		t.Fatalf("expired deadline: %v, want ErrTimeout", err)
	}
}
