package vips

import (
	"context"
	"errors"
	"testing"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// FuzzTransform feeds mutated images to the whole pipeline under small limits: it must never
// crash or hang, and every refusal must be one of the typed errors.
func FuzzTransform(f *testing.F) {
	jpg := encodeJPEG(f, photo(24, 16))
	f.Add(jpg, uint16(8))
	f.Add(encodePNG(f, photo(24, 16)), uint16(30))
	f.Add(alphaPNG(f, 16, 16), uint16(4))
	f.Add(animatedGIF(f, 12, 8, 2), uint16(6))
	f.Add(webpOf(f, jpg), uint16(12))
	f.Add(pngWithHeader(5000, 5000), uint16(3))
	e := newEngine(f, func(c *imaging.Config) {
		c.MaxSourcePixels = 1 << 18
		c.MaxOutputSide = 256
		c.MaxFrames = 8
		c.MaxSourceBytes = 1 << 16
	})
	f.Fuzz(func(t *testing.T, src []byte, width uint16) {
		opts := imaging.Options{Width: int(width%256) + 1, Format: imaging.FormatAuto}
		for _, out := range []imaging.Format{imaging.FormatWebP, imaging.FormatJPEG} {
			b, ctype, err := e.Transform(context.Background(), src, opts, out)
			if err == nil {
				if len(b) == 0 || ctype == "" {
					t.Fatalf("success without output: %d bytes, %q", len(b), ctype)
				}
				continue
			}
			if !errors.Is(err, imaging.ErrCorrupt) && !errors.Is(err, imaging.ErrUnsupported) && !errors.Is(err, imaging.ErrTooLarge) {
				t.Fatalf("untyped error: %v", err)
			}
		}
	})
}
