package main

import (
	"bytes"
	"image/png"
	"testing"
)

func TestSceneIsDeterministicAndOpaque(t *testing.T) {
	a, b := scene(7, 64, 48, 3), scene(7, 64, 48, 3)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Fatal("the same seed drew different pictures")
	}
	if c := scene(8, 64, 48, 3); bytes.Equal(a.Pix, c.Pix) {
		t.Fatal("another seed drew the same picture")
	}
	for i := 3; i < len(a.Pix); i += 4 {
		if a.Pix[i] != 255 {
			t.Fatalf("pixel %d has alpha %d: the sources must be opaque", i/4, a.Pix[i])
		}
	}
	var enc bytes.Buffer
	if err := png.Encode(&enc, a); err != nil {
		t.Fatal(err)
	}
	// Not a flat fill: the picture must not compress to almost nothing.
	if enc.Len() < 64*48 {
		t.Errorf("a 64x48 scene encodes to %d bytes: too uniform to stand for a photo", enc.Len())
	}
}

func TestWriteImages(t *testing.T) {
	dir := t.TempDir()
	if err := writeImages(dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][3]any{photoName: {"jpeg", photoW, photoH}, pngName: {"png", pngW, pngH}} {
		b := readFile(t, dir, name)
		f, w, h, err := probe(b)
		if err != nil || f != want[0] || w != want[1] || h != want[2] {
			t.Errorf("%s: %s %dx%d (%v), want %v", name, f, w, h, err, want)
		}
	}
}
