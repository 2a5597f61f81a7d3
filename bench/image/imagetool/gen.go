package main

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// The two sources: a 4000x3000 JPEG (a 12 MP camera photo) and a PNG about 2000 px
// wide. Both are synthetic but photo-like (smooth gradients, soft discs, a little seeded grain),
// so that JPEG's shrink-on-load and the encoders see the content they see in production, and
// neither compresses to almost nothing like a flat fill would. The same seed gives the same bytes
// on every run (Go's encoders are deterministic for a given version).
const (
	photoW, photoH = 4000, 3000
	pngW, pngH     = 2000, 1500
	photoQuality   = 90
	photoName      = "photo.jpg"
	pngName        = "graphic.png"
)

// sources are the files gen writes, in the order of every table.
var sources = []string{photoName, pngName}

func writeImages(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var j bytes.Buffer
	if err := jpeg.Encode(&j, scene(1, photoW, photoH, 6), &jpeg.Options{Quality: photoQuality}); err != nil {
		return err
	}
	var p bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&p, scene(2, pngW, pngH, 2)); err != nil {
		return err
	}
	for name, b := range map[string][]byte{photoName: j.Bytes(), pngName: p.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return nil
}

// scene draws an opaque w x h picture: a diagonal two-tone gradient, a dozen soft-edged discs
// of seeded colours and positions, and uniform grain of +-grain levels per channel.
func scene(seed uint64, w, h, grain int) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 0x1dc0ffee))
	type disc struct{ x, y, rad, c0, c1, c2 int }
	discs := make([]disc, 12)
	for i := range discs {
		discs[i] = disc{r.IntN(w), r.IntN(h), h/12 + r.IntN(h/4), r.IntN(256), r.IntN(256), r.IntN(256)}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := [3]int{40 + 160*x/w, 60 + 120*y/h, 200 - 150*(x+y)/(w+h)}
			for _, d := range discs {
				dx, dy := x-d.x, y-d.y
				dist2 := dx*dx + dy*dy
				if dist2 >= d.rad*d.rad {
					continue
				}
				// Opacity falls from 3/4 at the centre to 0 at the rim: soft edges, no aliasing.
				a := 192 * (d.rad*d.rad - dist2) / (d.rad * d.rad)
				c[0] = (c[0]*(256-a) + d.c0*a) >> 8
				c[1] = (c[1]*(256-a) + d.c1*a) >> 8
				c[2] = (c[2]*(256-a) + d.c2*a) >> 8
			}
			i := img.PixOffset(x, y)
			for k := 0; k < 3; k++ {
				img.Pix[i+k] = clamp(c[k] + r.IntN(2*grain+1) - grain)
			}
			img.Pix[i+3] = 255
		}
	}
	return img
}

func clamp(v int) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}
