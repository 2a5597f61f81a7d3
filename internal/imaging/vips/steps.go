package vips

import (
	govips "github.com/davidbyttow/govips/v2/vips"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// load decodes lazily. When the plan starts with a plain downscale it goes through libvips'
// thumbnail loader, which shrinks on load (JPEG DCT scaling, WebP scaled decoding, HEIF
// thumbnails), so a 24 MP JPEG for a 300 px output never decodes at full size; thumbnail also
// applies the EXIF orientation. Other plans load the whole frame and auto-rotate.
func (j *job) load() error {
	params := govips.NewImportParams() // fail on the first decoding error: damaged input is refused
	if j.animated {
		params.NumPages.Set(-1)
	}
	p := &j.plan
	if p.resize && p.crop && j.opts.Gravity.Mode == imaging.GravityAuto && j.opts.Trim.IsZero() && !j.animated {
		// The thumbnail loader reads sequentially, which libvips' smart crop cannot follow
		// after the fact, so the attention crop is asked of the loader itself.
		img, err := govips.LoadThumbnailFromBuffer(j.src, p.cropW, p.cropH, govips.InterestingAttention, govips.SizeBoth, params)
		if err != nil {
			return j.fail("loading", err)
		}
		j.img, p.resize, p.crop = img, false, false
		return nil
	}
	if p.resize && !p.cropFirst && j.opts.Trim.IsZero() && !j.animated {
		size := govips.SizeDown
		if p.enlarge {
			size = govips.SizeBoth
		}
		img, err := govips.LoadThumbnailFromBuffer(j.src, p.boxW, p.boxH, govips.InterestingNone, size, params)
		if err != nil {
			return j.fail("loading", err)
		}
		j.img, p.resize = img, false
		return nil
	}
	img, err := govips.LoadImageFromBuffer(j.src, params)
	if err != nil {
		return j.fail("loading", err)
	}
	j.img = img
	if err := img.AutoRotate(); err != nil {
		return j.fail("applying EXIF orientation", err)
	}
	return nil
}

// trim cuts Options.Trim from the (oriented) source, before any resizing, as Cloudflare does.
func (j *job) trim() error {
	t := j.opts.Trim
	if t.IsZero() {
		return nil
	}
	return j.perFrame("trimming", func(f *govips.ImageRef) error {
		return f.ExtractArea(t.Left, t.Top, f.Width()-t.Left-t.Right, f.Height()-t.Top-t.Bottom)
	})
}

// resize runs the geometry of the plan: source crop for enlarging covers, the fit-inside
// resize, the cover/crop window, the exact-size fix, and padding.
func (j *job) resize() error {
	p := j.plan
	if p.cropFirst {
		if err := j.cutWindow(p.srcW, p.srcH); err != nil {
			return err
		}
	}
	if p.resize {
		if err := j.perFrame("resizing", func(f *govips.ImageRef) error {
			return fitInside(f, p.boxW, p.boxH, p.enlarge)
		}); err != nil {
			return err
		}
	}
	if p.crop {
		if err := j.cutWindow(p.cropW, p.cropH); err != nil {
			return err
		}
	}
	if p.exact {
		if err := j.perFrame("resizing", func(f *govips.ImageRef) error {
			return resizeTo(f, p.cropW, p.cropH)
		}); err != nil {
			return err
		}
	}
	if p.pad {
		return j.padTo(p.padW, p.padH)
	}
	return nil
}

// cutWindow keeps a cw x ch window (clipped to the frame) around the gravity: libvips'
// attention-based smart crop for gravity=auto on still images, the focal point otherwise.
func (j *job) cutWindow(cw, ch int) error {
	fw, fh := j.img.Width(), j.frameHeight()
	cw, ch = min(cw, fw), min(ch, fh)
	if cw == fw && ch == fh {
		return nil
	}
	if j.opts.Gravity.Mode == imaging.GravityAuto && !j.animated {
		if err := j.img.SmartCrop(cw, ch, govips.InterestingAttention); err != nil {
			return j.fail("cropping", err)
		}
		return nil
	}
	fx, fy := j.opts.Gravity.Focus()
	left, top := window(fw, fh, cw, ch, fx, fy)
	return j.perFrame("cropping", func(f *govips.ImageRef) error {
		return f.ExtractArea(left, top, cw, ch)
	})
}

// padTo centres the image on a padW x padH background (fit=pad).
func (j *job) padTo(padW, padH int) error {
	fw, fh := j.img.Width(), j.frameHeight()
	if fw >= padW && fh >= padH {
		return nil
	}
	bg := j.opts.BackgroundOrDefault()
	if bg.A < 255 && !j.img.HasAlpha() && outputHasAlpha(j.format) {
		if err := j.img.AddAlpha(); err != nil {
			return j.fail("padding", err)
		}
	}
	left, top := (padW-fw)/2, (padH-fh)/2
	return j.perFrame("padding", func(f *govips.ImageRef) error {
		if f.HasAlpha() {
			return f.EmbedBackgroundRGBA(left, top, padW, padH, &govips.ColorRGBA{R: bg.R, G: bg.G, B: bg.B, A: bg.A})
		}
		return f.EmbedBackground(left, top, padW, padH, &govips.Color{R: bg.R, G: bg.G, B: bg.B})
	})
}

// rotate turns the image clockwise by Options.Rotate, after the EXIF orientation.
func (j *job) rotate() error {
	var a govips.Angle
	switch j.opts.Rotate {
	case 90:
		a = govips.Angle90
	case 180:
		a = govips.Angle180
	case 270:
		a = govips.Angle270
	default:
		return nil
	}
	return j.perFrame("rotating", func(f *govips.ImageRef) error { return f.Rotate(a) })
}

// effects applies blur and sharpen. Cloudflare's blur is a radius from 1 to 250; a Gaussian of
// sigma radius/2 covers it. Cloudflare's sharpen from 0 to 10 becomes libvips sharpen's slope
// for jagged areas (m2, default 3) with a 1 px mask (sigma).
func (j *job) effects() error {
	if j.opts.Blur > 0 {
		sigma := j.opts.Blur / 2
		if err := j.perFrame("blurring", func(f *govips.ImageRef) error { return f.GaussianBlur(sigma) }); err != nil {
			return err
		}
	}
	if j.opts.Sharpen > 0 {
		m2 := j.opts.Sharpen
		return j.perFrame("sharpening", func(f *govips.ImageRef) error { return f.Sharpen(1, 2, m2) })
	}
	return nil
}

// background flattens alpha onto the background where the output cannot carry it (JPEG) or the
// user asked for an opaque background ("background ... applies to images with transparency").
func (j *job) background() error {
	if !j.img.HasAlpha() {
		return nil
	}
	bg := j.opts.BackgroundOrDefault()
	if outputHasAlpha(j.format) && !(j.opts.HasBackground && bg.A == 255) {
		return nil
	}
	if err := j.img.Flatten(&govips.Color{R: bg.R, G: bg.G, B: bg.B}); err != nil {
		return j.fail("flattening alpha", err)
	}
	return nil
}

func outputHasAlpha(f imaging.Format) bool {
	return f != imaging.FormatJPEG && f != imaging.FormatBaselineJPEG
}

// fitInside scales f to fit a boxW x boxH box, up only when enlarge. Both axes get their own
// scale so the sizes land on whole pixels computed here, not on libvips' rounding.
func fitInside(f *govips.ImageRef, boxW, boxH int, enlarge bool) error {
	w, h := f.Width(), f.Height()
	if w <= 0 || h <= 0 {
		return nil
	}
	s := min(float64(boxW)/float64(w), float64(boxH)/float64(h))
	if !enlarge && s >= 1 {
		return nil
	}
	return resizeTo(f, max(1, int(float64(w)*s+0.5)), max(1, int(float64(h)*s+0.5)))
}

// resizeTo scales f to exactly w x h.
func resizeTo(f *govips.ImageRef, w, h int) error {
	if f.Width() == w && f.Height() == h {
		return nil
	}
	return f.ResizeWithVScale(float64(w)/float64(f.Width()), float64(h)/float64(f.Height()), govips.KernelLanczos3)
}
