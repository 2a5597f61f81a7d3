package main

import (
	"bytes"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestImagesHaveTheIssueSizesAndDecode(t *testing.T) {
	dir := t.TempDir()
	if err := writeImages(dir); err != nil {
		t.Fatal(err)
	}
	small, err := os.ReadFile(filepath.Join(dir, "small.png"))
	if err != nil {
		t.Fatal(err)
	}
	large, err := os.ReadFile(filepath.Join(dir, "large.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if len(small) != 32369 || len(large) != 1<<20 {
		t.Fatalf("sizes %d and %d, want 32369 and 1048576", len(small), len(large))
	}
	if img, err := png.Decode(bytes.NewReader(small)); err != nil || img.Bounds().Dx() != 90 {
		t.Fatalf("small.png does not decode as the 90x90 image: %v", err)
	}
	if img, err := jpeg.Decode(bytes.NewReader(large)); err != nil || img.Bounds().Dx() != 640 {
		t.Fatalf("large.jpg does not decode as the 640x480 image: %v", err)
	}
}

func TestImagesAreDeterministic(t *testing.T) {
	a, err := smallPNG()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := smallPNG()
	c, err := largeJPEG()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := largeJPEG()
	if !bytes.Equal(a, b) || !bytes.Equal(c, d) {
		t.Fatal("two runs gave different bytes")
	}
}
