package edge

import (
	"io"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// newEncoder returns the compressor for a normalised encoding ("br" or "gzip"). Levels favour
// speed, as compression happens on the miss path while viewers wait: gzip 6 (the usual
// default) and brotli 5 (close to gzip's speed at a clearly better ratio; 11 is for offline
// precompression).
func newEncoder(enc string, w io.Writer) io.WriteCloser {
	if enc == "br" {
		return brotli.NewWriterLevel(w, 5)
	}
	zw, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	return zw
}
