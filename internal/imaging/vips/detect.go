package vips

import (
	"bytes"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// detect names the format from the first bytes, accepting only the five formats the pipeline
// transforms. SVG is recognised to be refused with a clear message; everything else is "".
func detect(b []byte) imaging.Format {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return imaging.FormatJPEG
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return imaging.FormatPNG
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return imaging.FormatGIF
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return imaging.FormatWebP
	case isAVIF(b):
		return imaging.FormatAVIF
	case looksLikeSVG(b):
		return imaging.FormatSVG
	}
	return ""
}

// isAVIF checks the ISOBMFF ftyp box for the avif or avis brand, major or compatible
// (AV1 Image File Format 1.0, section 6: files carry "avif", sequences "avis").
func isAVIF(b []byte) bool {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	size := int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
	if size < 16 || size > len(b) || size > 4096 {
		return false
	}
	for off := 8; off+4 <= size; off += 4 {
		if off == 12 {
			continue // minor_version
		}
		if brand := string(b[off : off+4]); brand == "avif" || brand == "avis" {
			return true
		}
	}
	return false
}

func looksLikeSVG(b []byte) bool {
	head := b[:min(len(b), 1024)]
	return bytes.Contains(head, []byte("<svg")) || bytes.Contains(head, []byte("<SVG"))
}
