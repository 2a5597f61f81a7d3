package imaging

import (
	"mime"
	"strconv"
	"strings"
)

// Format is an image format: a value of the format option, or a source's detected format.
type Format string

const (
	FormatAuto         Format = "auto" // negotiate on Accept (option only)
	FormatAVIF         Format = "avif"
	FormatWebP         Format = "webp"
	FormatJPEG         Format = "jpeg" // progressive
	FormatBaselineJPEG Format = "baseline-jpeg"
	FormatPNG          Format = "png"
	FormatGIF          Format = "gif" // output only when the source is a GIF and nothing better is accepted
	FormatSVG          Format = "svg" // detected, never transformed
)

// ContentType is the media type of an output in format f, "" for FormatAuto and unknown values.
func (f Format) ContentType() string {
	switch f {
	case FormatAVIF:
		return "image/avif"
	case FormatWebP:
		return "image/webp"
	case FormatJPEG, FormatBaselineJPEG:
		return "image/jpeg"
	case FormatPNG:
		return "image/png"
	case FormatGIF:
		return "image/gif"
	case FormatSVG:
		return "image/svg+xml"
	}
	return ""
}

// Negotiate picks the output format of a transform. An explicit format option is obeyed. With
// format=auto the viewer's Accept decides: AVIF when it lists image/avif, else WebP when it lists
// image/webp (a q=0 entry refuses the type, RFC 9110 12.5.1), else the source's own format when
// every browser reads it (JPEG, PNG, GIF), else PNG when srcHasAlpha and JPEG when not. Without a
// format option the source's format is kept when it is an output format, with the same fallback.
//
// The edge puts the answer, never the raw Accept header, into the cache key (Options.Format set
// to it before Canonical), and answers Vary: Accept when opts.Format is FormatAuto.
func Negotiate(opts Options, accept string, srcHasAlpha bool, srcFormat Format) Format {
	switch opts.Format {
	case FormatAuto:
		avif, webp := acceptsModern(accept)
		switch {
		case avif:
			return FormatAVIF
		case webp:
			return FormatWebP
		}
		return fallback(srcFormat, srcHasAlpha, false)
	case "":
		return fallback(srcFormat, srcHasAlpha, true)
	}
	return opts.Format
}

func fallback(src Format, alpha, keepModern bool) Format {
	switch src {
	case FormatJPEG, FormatPNG, FormatGIF:
		return src
	case FormatWebP, FormatAVIF:
		if keepModern {
			return src
		}
	}
	if alpha {
		return FormatPNG
	}
	return FormatJPEG
}

// acceptsModern reports whether Accept lists image/avif and image/webp with a non-zero q. Wildcards
// (image/*, */*) do not count: browsers send them without supporting every format, which is why
// Cloudflare and imgproxy look for the explicit types.
func acceptsModern(accept string) (avif, webp bool) {
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(q, 64); err != nil || v <= 0 {
				continue
			}
		}
		switch mt {
		case "image/avif":
			avif = true
		case "image/webp":
			webp = true
		}
	}
	return avif, webp
}

// QualityFor is the encoder quality for format f: Quality when given, else the perceptual level
// translated for that format (AVIF reaches a given look at a lower number than JPEG and WebP),
// else the format's default: 85 for JPEG and WebP as on Cloudflare, 60 for AVIF.
func (o Options) QualityFor(f Format) int {
	if o.Quality != 0 {
		return o.Quality
	}
	avif := f == FormatAVIF
	switch o.QualityLevel {
	case QualityHigh:
		return pick(avif, 75, 90)
	case QualityMediumHigh:
		return pick(avif, 60, 80)
	case QualityMediumLow:
		return pick(avif, 50, 70)
	case QualityLow:
		return pick(avif, 40, 55)
	}
	return pick(avif, 60, 85)
}

func pick(avif bool, forAVIF, other int) int {
	if avif {
		return forAVIF
	}
	return other
}
