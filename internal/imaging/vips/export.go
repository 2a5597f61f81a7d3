package vips

import (
	"fmt"

	govips "github.com/davidbyttow/govips/v2/vips"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// avifEffort is libvips' heifsave effort (0 fastest to 9 slowest, default 4; libaom speed is
// 9 - effort). govips v2.16.0 treats Effort 0 as unset and then leaves libvips' default, several
// times slower, so the fastest effort we can ask through it is 1: on-the-fly encoding at an edge
// favours latency over the last few percent of size.
const avifEffort = 1

// webpEffort is libwebp's method (0 fastest to 6 smallest); 4 is libwebp's own default balance.
const webpEffort = 4

// export encodes to the output format. JPEG is progressive unless baseline-jpeg; an animation
// asked as AVIF is written as animated WebP (libvips 8.14 writes AVIF stills only, and every
// browser that reads AVIF reads WebP), with the matching Content-Type.
func (j *job) export() ([]byte, string, error) {
	f := j.format
	if f == imaging.FormatAVIF && j.animated {
		f = imaging.FormatWebP
	}
	meta := j.opts.MetadataOrDefault()
	strip := meta == imaging.MetadataNone
	q := j.opts.QualityFor(f)
	var (
		buf []byte
		err error
	)
	switch f {
	case imaging.FormatJPEG, imaging.FormatBaselineJPEG:
		buf, _, err = j.img.ExportJpeg(&govips.JpegExportParams{
			StripMetadata: strip, Quality: q, Interlace: f == imaging.FormatJPEG,
			OptimizeCoding: true, SubsampleMode: govips.VipsForeignSubsampleAuto,
		})
	case imaging.FormatPNG:
		p := govips.NewPngExportParams()
		p.StripMetadata = strip
		buf, _, err = j.img.ExportPng(p)
	case imaging.FormatWebP:
		p := govips.NewWebpExportParams()
		p.StripMetadata, p.Quality, p.ReductionEffort = strip, q, webpEffort
		buf, _, err = j.img.ExportWebp(p)
	case imaging.FormatAVIF:
		p := govips.NewAvifExportParams()
		p.StripMetadata, p.Quality, p.Effort, p.Bitdepth = strip, q, avifEffort, 8
		buf, _, err = j.img.ExportAvif(p)
	case imaging.FormatGIF:
		p := govips.NewGifExportParams()
		p.StripMetadata = strip
		buf, _, err = j.img.ExportGIF(p)
	default:
		return nil, "", fmt.Errorf("vips: no encoder for %q", f)
	}
	if err != nil {
		return nil, "", j.fail("encoding "+string(f), err)
	}
	return buf, f.ContentType(), nil
}
