package vips

import (
	"context"
	"fmt"

	govips "github.com/davidbyttow/govips/v2/vips"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// job is one transform in progress: the pipeline's steps read and replace img.
type job struct {
	cfg      imaging.Config
	src      []byte
	opts     imaging.Options
	format   imaging.Format // output
	info     imaging.Source
	animated bool // more than one frame is kept
	plan     plan
	img      *govips.ImageRef
}

// step is one stage of the pipeline; the deadline is checked between steps.
type step struct {
	name string
	run  func(*job) error
}

var steps = []step{
	{"load", (*job).load},
	{"trim", (*job).trim},
	{"resize", (*job).resize},
	{"rotate", (*job).rotate},
	{"effects", (*job).effects},
	{"color", (*job).color},
	{"background", (*job).background},
}

// run validates the source against the limits from its header, then runs the steps and encodes.
func (e *Engine) run(ctx context.Context, src []byte, opts imaging.Options, format imaging.Format) ([]byte, string, error) {
	switch format {
	case imaging.FormatAVIF, imaging.FormatWebP, imaging.FormatJPEG, imaging.FormatBaselineJPEG, imaging.FormatPNG, imaging.FormatGIF:
	default:
		return nil, "", fmt.Errorf("vips: output format %q: pass the answer of imaging.Negotiate", format)
	}
	info, orientation, err := e.probe(src)
	if err != nil {
		return nil, "", err
	}
	j := &job{cfg: e.cfg, src: src, opts: opts, format: format, info: info}
	// JPEG and PNG hold one frame: they get the first, read alone, as with anim=false.
	canAnimate := format == imaging.FormatWebP || format == imaging.FormatGIF || format == imaging.FormatAVIF
	j.animated = info.Frames > 1 && !opts.NoAnim && canAnimate
	if err := j.checkLimits(); err != nil {
		return nil, "", err
	}
	w, h := info.Width, info.Height
	if orientation >= 5 && orientation <= 8 {
		w, h = h, w // EXIF orientations 5 to 8 turn the image a quarter
	}
	t := opts.Trim
	if w-t.Left-t.Right < 1 || h-t.Top-t.Bottom < 1 {
		return nil, "", &imaging.OptionError{Option: "trim", Value: fmt.Sprintf("%d;%d;%d;%d", t.Top, t.Right, t.Bottom, t.Left), Reason: fmt.Sprintf("trims away the whole %dx%d image", w, h)}
	}
	j.plan = planFor(w-t.Left-t.Right, h-t.Top-t.Bottom, opts, e.cfg.MaxOutputSide)
	defer func() {
		if j.img != nil {
			j.img.Close()
		}
	}()
	for _, s := range steps {
		if ctx.Err() != nil {
			return nil, "", fmt.Errorf("%w: before %s", imaging.ErrTimeout, s.name)
		}
		if err := s.run(j); err != nil {
			return nil, "", err
		}
	}
	if ctx.Err() != nil {
		return nil, "", fmt.Errorf("%w: before encoding", imaging.ErrTimeout)
	}
	return j.export()
}

// checkLimits refuses, from the header alone, sources whose decoded size would pass the limits.
func (j *job) checkLimits() error {
	frames := int64(1)
	if j.animated {
		if j.info.Frames > j.cfg.MaxFrames {
			return fmt.Errorf("%w: %d frames, the limit is %d (anim=false keeps the first)", imaging.ErrTooLarge, j.info.Frames, j.cfg.MaxFrames)
		}
		frames = int64(j.info.Frames)
	}
	if px := int64(j.info.Width) * int64(j.info.Height) * frames; px > j.cfg.MaxSourcePixels {
		return fmt.Errorf("%w: %dx%d (x%d frames) is %d pixels, the limit is %d", imaging.ErrTooLarge, j.info.Width, j.info.Height, frames, px, j.cfg.MaxSourcePixels)
	}
	return nil
}

// fail wraps a libvips error from a step: decoding happens lazily, so a damaged source surfaces
// in whichever step first reads pixels.
func (j *job) fail(stepName string, err error) error {
	return fmt.Errorf("%w: %s while %s: %s", imaging.ErrCorrupt, j.info.Format, stepName, firstLine(err))
}
