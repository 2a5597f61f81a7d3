package imaging

import "context"

// Source is what a header probe knows about an image without decoding it.
type Source struct {
	Format   Format
	Width    int // of one frame, before EXIF orientation
	Height   int
	Frames   int // 1 for still images
	HasAlpha bool
}

// Transformer turns a source image into the variant described by opts, in format (a concrete
// output format, as answered by Negotiate). It returns the encoded image and its Content-Type.
// Errors wrap ErrTooLarge, ErrUnsupported, ErrCorrupt or ErrTimeout. vips.Engine implements it.
type Transformer interface {
	Transform(ctx context.Context, src []byte, opts Options, format Format) ([]byte, string, error)
}

// TransformerFunc adapts a function to Transformer (tests, decorators).
type TransformerFunc func(ctx context.Context, src []byte, opts Options, format Format) ([]byte, string, error)

// Transform calls f.
func (f TransformerFunc) Transform(ctx context.Context, src []byte, opts Options, format Format) ([]byte, string, error) {
	return f(ctx, src, opts, format)
}

// Prober reads a source's header (format, size, frames, alpha) without decoding pixels: what the
// edge needs for Negotiate. vips.Engine implements it.
type Prober interface {
	Probe(src []byte) (Source, error)
}
