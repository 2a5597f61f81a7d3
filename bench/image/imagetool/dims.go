package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
)

// A benchmark that counts answers must know each answer is the transform it asked for: a server
// that returned the source, or a variant from a cache, would look fast. probe reads an encoded
// image's format from its magic bytes and its size from its header, for the four formats the
// benchmark asks for, without decoding pixels.

// probe returns "jpeg", "png", "webp" or "avif" and the image's width and height.
func probe(b []byte) (format string, w, h int, err error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		c, err := jpeg.DecodeConfig(bytes.NewReader(b))
		return "jpeg", c.Width, c.Height, err
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		c, err := png.DecodeConfig(bytes.NewReader(b))
		return "png", c.Width, c.Height, err
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		w, h, err := webpSize(b[12:])
		return "webp", w, h, err
	case len(b) >= 12 && string(b[4:8]) == "ftyp" && (string(b[8:12]) == "avif" || string(b[8:12]) == "avis"):
		w, h, err := avifSize(b)
		return "avif", w, h, err
	}
	return "", 0, 0, errors.New("not a JPEG, PNG, WebP or AVIF image")
}

// webpSize reads the first chunk after the RIFF header (the WebP container specification,
// developers.google.com/speed/webp/docs/riff_container): VP8X holds the canvas size as 24-bit
// minus-one values, VP8L a 14-bit minus-one pair after its signature byte, VP8 (lossy) the
// frame size after the 3-byte frame tag and the start code 9d 01 2a (RFC 6386 section 9.1).
func webpSize(b []byte) (int, int, error) {
	if len(b) < 8 {
		return 0, 0, errors.New("webp: truncated chunk header")
	}
	fourcc, data := string(b[:4]), b[8:]
	switch fourcc {
	case "VP8X":
		if len(data) < 10 {
			return 0, 0, errors.New("webp: truncated VP8X")
		}
		w := int(data[4]) | int(data[5])<<8 | int(data[6])<<16
		h := int(data[7]) | int(data[8])<<8 | int(data[9])<<16
		return w + 1, h + 1, nil
	case "VP8L":
		if len(data) < 5 || data[0] != 0x2f {
			return 0, 0, errors.New("webp: bad VP8L header")
		}
		v := binary.LittleEndian.Uint32(data[1:5])
		return int(v&0x3fff) + 1, int(v>>14&0x3fff) + 1, nil
	case "VP8 ":
		if len(data) < 10 || !bytes.Equal(data[3:6], []byte{0x9d, 0x01, 0x2a}) {
			return 0, 0, errors.New("webp: bad VP8 frame header")
		}
		return int(binary.LittleEndian.Uint16(data[6:8]) & 0x3fff), int(binary.LittleEndian.Uint16(data[8:10]) & 0x3fff), nil
	}
	return 0, 0, fmt.Errorf("webp: unexpected first chunk %q", fourcc)
}

// avifSize reads the first 'ispe' (image spatial extents) property, ISO/IEC 23008-12 section
// 6.5.3: a full box (4 bytes version and flags) then width and height as 32-bit big-endian.
// libvips and libavif write one primary image, whose ispe is the first in the file.
func avifSize(b []byte) (int, int, error) {
	i := bytes.Index(b, []byte("ispe"))
	if i < 4 || len(b) < i+4+12 {
		return 0, 0, errors.New("avif: no ispe property")
	}
	p := b[i+4+4:]
	return int(binary.BigEndian.Uint32(p[:4])), int(binary.BigEndian.Uint32(p[4:8])), nil
}
