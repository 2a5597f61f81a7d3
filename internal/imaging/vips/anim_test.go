package vips

import (
	"bytes"
	"image/gif"
	"testing"

	govips "github.com/davidbyttow/govips/v2/vips"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

func TestAnimationsStayAnimated(t *testing.T) {
	e := newEngine(t, nil)
	g := animatedGIF(t, 60, 40, 3)
	animWebP := viaVips(t, g, nil, func(i *govips.ImageRef) ([]byte, error) {
		b, _, err := i.ExportWebp(govips.NewWebpExportParams())
		return b, err
	})
	if s, err := e.Probe(animWebP); err != nil || s.Frames != 3 || s.Format != imaging.FormatWebP {
		t.Fatalf("Probe(animated WebP) = %+v, %v", s, err)
	}
	tests := []struct {
		src          []byte
		options      string
		f            imaging.Format
		want         imaging.Format
		w, h, frames int
	}{
		{g, "w=30", imaging.FormatWebP, imaging.FormatWebP, 30, 20, 3},
		{g, "w=30", imaging.FormatGIF, imaging.FormatGIF, 30, 20, 3},
		{g, "w=30", imaging.FormatAVIF, imaging.FormatWebP, 30, 20, 3},
		{g, "w=20,h=20,fit=cover", imaging.FormatWebP, imaging.FormatWebP, 20, 20, 3},
		{g, "w=20,h=20,fit=pad", imaging.FormatWebP, imaging.FormatWebP, 20, 20, 3},
		{g, "rotate=90,trim=2;2;2;2,blur=2", imaging.FormatWebP, imaging.FormatWebP, 36, 56, 3},
		{g, "w=120,h=120,fit=cover", imaging.FormatGIF, imaging.FormatGIF, 120, 120, 3},
		{g, "w=30,anim=false", imaging.FormatWebP, imaging.FormatWebP, 30, 20, 1},
		{g, "w=30", imaging.FormatPNG, imaging.FormatPNG, 30, 20, 1},
		{animWebP, "w=30", imaging.FormatWebP, imaging.FormatWebP, 30, 20, 3},
		{animWebP, "w=30,anim=false", imaging.FormatJPEG, imaging.FormatJPEG, 30, 20, 1},
	}
	for _, tt := range tests {
		d := transform(t, e, tt.src, tt.options, tt.f)
		if d.format != tt.want || d.w != tt.w || d.h != tt.h || d.frames != tt.frames {
			t.Errorf("%s as %s: %s %dx%d x%d frames, want %s %dx%d x%d", tt.options, tt.f, d.format, d.w, d.h, d.frames, tt.want, tt.w, tt.h, tt.frames)
		}
	}
	// The GIF encoder kept each frame's own content (red, green, blue in turn).
	o, _ := imaging.Parse("w=30")
	out, _, err := e.Transform(t.Context(), g, o, imaging.FormatGIF)
	if err != nil {
		t.Fatal(err)
	}
	all, err := gif.DecodeAll(bytes.NewReader(out))
	if err != nil || len(all.Image) != 3 {
		t.Fatalf("Go reads %v frames, %v", len(all.Image), err)
	}
	for i, want := range []struct{ r, g, b uint32 }{{0xffff, 0, 0}, {0, 0xffff, 0}, {0, 0, 0xffff}} {
		r, g, b, _ := all.Image[i].At(15, 10).RGBA()
		if (r > 0x8000) != (want.r > 0) || (g > 0x8000) != (want.g > 0) || (b > 0x8000) != (want.b > 0) {
			t.Errorf("frame %d center = %x %x %x", i, r, g, b)
		}
	}
}
