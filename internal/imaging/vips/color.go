package vips

import (
	govips "github.com/davidbyttow/govips/v2/vips"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// copyrightFields are the EXIF tags metadata=copyright keeps (Cloudflare: "preserves only
// copyright tag"; the artist is the copyright holder's name, so it travels with it).
var copyrightFields = []string{"exif-ifd0-Copyright", "exif-ifd0-Artist"}

// animationFields are header fields the encoders need to keep an animation's timing.
var animationFields = []string{"delay", "loop", "gif-delay", "gif-loop"}

// color brings pixels to 8-bit sRGB (or grey) and applies the metadata option. As imgproxy
// does, an embedded ICC profile is applied (converted to sRGB) and then dropped, since browsers
// assume sRGB for untagged images; metadata=keep leaves the profile and the pixels as they are,
// except for CMYK (no web format but JPEG carries it) and WebP output (see below).
func (j *job) color() error {
	meta := j.opts.MetadataOrDefault()
	cmyk := j.img.Interpretation() == govips.InterpretationCMYK
	// govips v2.16.0 always passes profile=none to webpsave, so WebP cannot carry the profile:
	// its pixels are converted to sRGB even with metadata=keep.
	webp := j.format == imaging.FormatWebP || (j.format == imaging.FormatAVIF && j.animated)
	if j.img.HasICCProfile() && (meta != imaging.MetadataKeep || cmyk || webp) {
		if err := j.img.TransformICCProfileWithFallback("srgb", "srgb"); err != nil {
			return j.fail("converting to sRGB", err)
		}
		if meta != imaging.MetadataKeep {
			if err := j.img.RemoveICCProfile(); err != nil {
				return j.fail("converting to sRGB", err)
			}
		}
	}
	if err := j.toEightBit(); err != nil {
		return err
	}
	switch meta {
	case imaging.MetadataCopyright:
		return j.keepOnlyCopyright()
	case imaging.MetadataNone:
		// Removed here rather than left to the encoders' strip option: libvips 8.14's
		// webpsave writes EXIF and XMP even when asked to strip.
		if err := j.img.RemoveMetadata(animationFields...); err != nil {
			return j.fail("removing metadata", err)
		}
	}
	return nil
}

// toEightBit converts 16-bit, CMYK without a profile, and other interpretations to sRGB (or B_W
// for grey), which every output encoder takes as is.
func (j *job) toEightBit() error {
	target := govips.InterpretationSRGB
	switch j.img.Interpretation() {
	case govips.InterpretationSRGB:
		if j.img.BandFormat() == govips.BandFormatUchar {
			return nil
		}
	case govips.InterpretationBW, govips.InterpretationGrey16:
		if j.img.BandFormat() == govips.BandFormatUchar {
			return nil
		}
		target = govips.InterpretationBW
	}
	if err := j.img.ToColorSpace(target); err != nil {
		return j.fail("converting to sRGB", err)
	}
	if j.img.BandFormat() != govips.BandFormatUchar {
		if err := j.img.Cast(govips.BandFormatUchar); err != nil {
			return j.fail("converting to 8 bits", err)
		}
	}
	return nil
}

// keepOnlyCopyright removes every metadata field but the EXIF block and its copyright tags:
// libvips rebuilds the EXIF it writes from the image's exif-* fields, dropping tags whose field
// is gone, so removing the other fields removes their tags (camera, GPS, dates).
func (j *job) keepOnlyCopyright() error {
	keep := append([]string{"exif-data"}, copyrightFields...)
	keep = append(keep, animationFields...)
	if err := j.img.RemoveMetadata(keep...); err != nil {
		return j.fail("removing metadata", err)
	}
	return nil
}
