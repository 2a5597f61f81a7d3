package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"testing"
)

func riff(chunk string, data []byte) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBP" + chunk)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	return append(b, data...)
}

func TestProbe(t *testing.T) {
	var j, p bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 37, 21))
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	// VP8X: flags, 3 reserved bytes, then canvas width-1 and height-1 as 24-bit little endian.
	vp8x := riff("VP8X", []byte{0x10, 0, 0, 0, 0x2b, 0x01, 0x00, 0xc7, 0x00, 0x00})
	// VP8L: signature 0x2f, then 14 bits width-1 and 14 bits height-1.
	v := uint32(1200-1) | uint32(900-1)<<14
	vp8l := riff("VP8L", binary.LittleEndian.AppendUint32([]byte{0x2f}, v))
	// VP8: 3-byte frame tag, start code 9d 01 2a, 14-bit width and height (top 2 bits scale).
	vp8 := riff("VP8 ", []byte{0, 0, 0, 0x9d, 0x01, 0x2a, 0x2c, 0x41, 0xe1, 0x00})
	avif := []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf\x00\x00\x00\x14ispe\x00\x00\x00\x00")
	avif = binary.BigEndian.AppendUint32(avif, 1200)
	avif = binary.BigEndian.AppendUint32(avif, 800)
	for _, tc := range []struct {
		name   string
		in     []byte
		format string
		w, h   int
	}{
		{"jpeg", j.Bytes(), "jpeg", 37, 21},
		{"png", p.Bytes(), "png", 37, 21},
		{"webp VP8X", vp8x, "webp", 300, 200},
		{"webp VP8L", vp8l, "webp", 1200, 900},
		{"webp VP8", vp8, "webp", 300, 225},
		{"avif", avif, "avif", 1200, 800},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, w, h, err := probe(tc.in)
			if err != nil || f != tc.format || w != tc.w || h != tc.h {
				t.Fatalf("probe = %s %dx%d, %v; want %s %dx%d", f, w, h, err, tc.format, tc.w, tc.h)
			}
		})
	}
}

func TestProbeRefuses(t *testing.T) {
	for name, in := range map[string][]byte{
		"empty":          nil,
		"text":           []byte("<html>not an image</html>"),
		"webp no chunk":  []byte("RIFF\x00\x00\x00\x00WEBP"),
		"webp bad VP8":   riff("VP8 ", []byte{0, 0, 0, 1, 2, 3, 0, 0, 0, 0}),
		"avif no ispe":   []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"),
		"truncated jpeg": {0xff, 0xd8, 0xff, 0xe0},
	} {
		if f, w, h, err := probe(in); err == nil {
			t.Errorf("%s: probe = %s %dx%d, want an error", name, f, w, h)
		}
	}
}

func TestCheck(t *testing.T) {
	vp8x := riff("VP8X", []byte{0x10, 0, 0, 0, 0x2b, 0x01, 0x00, 0xc7, 0x00, 0x00}) // 300x200
	if err := check(vp8x, cellKey{photoName, 300, "webp"}); err != nil {
		t.Errorf("a 300 px WebP for 300 px WebP: %v", err)
	}
	if err := check(vp8x, cellKey{photoName, 1200, "webp"}); err == nil {
		t.Error("a 300 px WebP passed for 1200 px")
	}
	if err := check(vp8x, cellKey{photoName, 300, "avif"}); err == nil {
		t.Error("a WebP passed for AVIF")
	}
}
