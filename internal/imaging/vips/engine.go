package vips

import (
	"context"
	"errors"
	"fmt"
	"strings"

	govips "github.com/davidbyttow/govips/v2/vips"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// Engine transforms images under one imaging.Config: its limits, its timeout and its worker pool.
// Engines are cheap; several may share the started libvips.
type Engine struct {
	cfg  imaging.Config
	pool *imaging.Pool
}

var (
	_ imaging.Transformer = (*Engine)(nil)
	_ imaging.Prober      = (*Engine)(nil)
)

// New makes an Engine. Start must have been called.
func New(cfg imaging.Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !running() {
		return nil, errors.New("vips: Start must be called before New (and not after Shutdown)")
	}
	return &Engine{cfg: cfg, pool: imaging.NewPoolFromConfig(cfg)}, nil
}

// Pool is the Engine's worker pool, for load metrics.
func (e *Engine) Pool() *imaging.Pool { return e.pool }

// Probe reads src's header: format, frame size, frame count and alpha, without decoding pixels.
// It applies MaxSourceBytes but not the pixel limits, which depend on the options (anim=false
// reads one frame).
func (e *Engine) Probe(src []byte) (imaging.Source, error) {
	s, _, err := e.probe(src)
	return s, err
}

// probe is Probe plus the EXIF orientation (1 when absent), from one header read.
func (e *Engine) probe(src []byte) (imaging.Source, int, error) {
	if int64(len(src)) > e.cfg.MaxSourceBytes {
		return imaging.Source{}, 0, fmt.Errorf("%w: source is %d bytes, the limit is %d", imaging.ErrTooLarge, len(src), e.cfg.MaxSourceBytes)
	}
	f := detect(src)
	switch f {
	case "":
		return imaging.Source{}, 0, fmt.Errorf("%w: not a JPEG, PNG, GIF, WebP or AVIF image", imaging.ErrUnsupported)
	case imaging.FormatSVG:
		return imaging.Source{}, 0, fmt.Errorf("%w: SVG images are not transformed; request the original path", imaging.ErrUnsupported)
	}
	img, err := govips.LoadImageFromBuffer(src, govips.NewImportParams())
	if err != nil {
		return imaging.Source{}, 0, corrupt(f, err)
	}
	defer img.Close()
	s := imaging.Source{Format: f, Width: img.Width(), Height: img.Height(), Frames: 1, HasAlpha: img.HasAlpha()}
	if n := img.Pages(); n > 1 && (f == imaging.FormatGIF || f == imaging.FormatWebP) {
		s.Frames = n
	}
	if s.Width <= 0 || s.Height <= 0 {
		return imaging.Source{}, 0, fmt.Errorf("%w: %s header declares %dx%d", imaging.ErrCorrupt, f, s.Width, s.Height)
	}
	orientation := img.Orientation()
	if orientation < 1 || orientation > 8 {
		orientation = 1
	}
	return s, orientation, nil
}

// Transform runs the pipeline on a worker from the pool (ErrBusy when its queue is full), within
// Config.Timeout from the moment a worker takes it (or ctx's earlier deadline), checking the
// deadline between steps: a step already inside libvips finishes first. src is the whole source;
// the caller reads at most MaxSourceBytes+1 bytes and Transform refuses anything larger.
func (e *Engine) Transform(ctx context.Context, src []byte, opts imaging.Options, format imaging.Format) ([]byte, string, error) {
	if err := e.cfg.CheckOptions(opts); err != nil {
		return nil, "", err
	}
	var out []byte
	var ctype string
	err := e.pool.Do(ctx, func() error {
		// The timeout starts on the worker: waiting in the queue is bounded by the queue's
		// length and by ctx, not by Config.Timeout.
		ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
		defer cancel()
		var err error
		out, ctype, err = e.run(ctx, src, opts, format)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return out, ctype, nil
}

// corrupt wraps a libvips load error: the first line of libvips' message, without the Go stack
// govips appends.
func corrupt(f imaging.Format, err error) error {
	return fmt.Errorf("%w: %s does not decode: %s", imaging.ErrCorrupt, f, firstLine(err))
}

func firstLine(err error) string {
	s := strings.TrimSpace(err.Error())
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" || strings.HasPrefix(s, "Stack:") {
		return "libvips gave no reason"
	}
	return s
}
