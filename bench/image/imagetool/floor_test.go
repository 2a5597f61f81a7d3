package main

import (
	"slices"
	"testing"
)

func TestFloorCommand(t *testing.T) {
	c := cellKey{photoName, 300, "avif"}
	argv, out, err := floorCommand("/usr/bin", "/w/photo.jpg", "/t/o", c, 80, 0)
	want := []string{"/usr/bin/vips", "thumbnail", "/w/photo.jpg", "/t/o.avif[Q=80,effort=1,strip]", "300", "--height", "10000000"}
	if err != nil || !slices.Equal(argv, want) || out != "/t/o.avif" {
		t.Errorf("per process: %q %q %v, want %q /t/o.avif", argv, out, err, want)
	}
	argv, out, err = floorCommand("/usr/bin", "/w/photo.jpg", "/t/o", cellKey{pngName, 1200, "jpeg"}, 75, 3)
	want = []string{"/usr/bin/vipsthumbnail", "-s", "1200x", "-o", "/t/o.jpg[Q=75,optimize_coding,interlace,strip]",
		"/w/photo.jpg", "/w/photo.jpg", "/w/photo.jpg"}
	if err != nil || !slices.Equal(argv, want) || out != "/t/o.jpg" {
		t.Errorf("batched: %q %q %v, want %q /t/o.jpg", argv, out, err, want)
	}
	if _, _, err := floorCommand("/usr/bin", "s", "o", cellKey{photoName, 300, "gif"}, 80, 0); err == nil {
		t.Error("gif accepted")
	}
}

func TestFloorEncodingMatchesTheEngine(t *testing.T) {
	// internal/imaging/vips export.go: WebP effort 4, AVIF effort 1, progressive optimised JPEG.
	for f, want := range map[string]string{
		"jpeg": ".jpg[Q=80,optimize_coding,interlace,strip]",
		"webp": ".webp[Q=80,effort=4,strip]",
		"avif": ".avif[Q=80,effort=1,strip]",
	} {
		ext, opts, err := floorEncoding(f, 80)
		if err != nil || ext+opts != want {
			t.Errorf("%s: %s%s %v, want %s", f, ext, opts, err, want)
		}
	}
}
