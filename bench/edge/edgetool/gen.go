package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// The issue fixes the two objects of the benchmark by size: a 32,369-byte PNG and a 1 MiB
// JPEG. Both are real images of seeded noise (incompressible, like photos, so no server gains
// from compression), padded to the exact size with a comment (a PNG tEXt chunk, JPEG COM
// segments) that every decoder skips. The same seed gives the same bytes on every run.
const (
	smallSize = 32369
	largeSize = 1 << 20
)

func writeImages(dir string) error {
	small, err := smallPNG()
	if err != nil {
		return err
	}
	large, err := largeJPEG()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "small.png"), small, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "large.jpg"), large, 0o644)
}

func noise(seed uint64, w, h int) *image.NRGBA {
	r := rand.New(rand.NewPCG(seed, 0x1dc0ffee))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := r.Uint32()
			img.SetNRGBA(x, y, color.NRGBA{uint8(v), uint8(v >> 8), uint8(v >> 16), 255})
		}
	}
	return img
}

// smallPNG is a 90x90 noise PNG (about 24 KiB encoded) with a tEXt chunk before IEND that
// brings it to smallSize.
func smallPNG() ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, noise(1, 90, 90)); err != nil {
		return nil, err
	}
	enc := b.Bytes()
	const iendLen = 12 // length, "IEND", CRC
	// A chunk is length (4) + type (4) + data + CRC (4); tEXt data is keyword NUL text.
	keyword := "Comment\x00"
	textLen := smallSize - len(enc) - 12 - len(keyword)
	if textLen < 0 {
		return nil, fmt.Errorf("encoded PNG is %d bytes, over %d", len(enc), smallSize)
	}
	data := append([]byte(keyword), bytes.Repeat([]byte("imgcdn edge benchmark "), textLen/22+1)[:textLen]...)
	chunk := make([]byte, 0, 12+len(data))
	chunk = binary.BigEndian.AppendUint32(chunk, uint32(len(data)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := append([]byte{}, enc[:len(enc)-iendLen]...)
	out = append(out, chunk...)
	return append(out, enc[len(enc)-iendLen:]...), nil
}

// largeJPEG is a 640x480 noise JPEG at quality 90 (well under 1 MiB) with COM segments right
// after SOI that bring it to largeSize.
func largeJPEG() ([]byte, error) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, noise(2, 640, 480), &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	enc := b.Bytes()
	pad := largeSize - len(enc)
	if pad < 4 {
		return nil, fmt.Errorf("encoded JPEG is %d bytes, too close to %d", len(enc), largeSize)
	}
	out := append(make([]byte, 0, largeSize), enc[:2]...) // SOI
	for pad > 0 {
		// A COM segment is FF FE, a 2-byte length counting itself, then at most 65533 bytes.
		seg := min(pad, 65535+2)
		if rest := pad - seg; rest > 0 && rest < 4 {
			seg -= 4 // leave room for one more whole segment
		}
		payload := seg - 4
		out = append(out, 0xFF, 0xFE, byte((payload+2)>>8), byte(payload+2))
		out = append(out, bytes.Repeat([]byte{'.'}, payload)...)
		pad -= seg
	}
	return append(out, enc[2:]...), nil
}
