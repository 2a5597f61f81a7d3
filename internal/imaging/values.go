package imaging

import (
	"strconv"
	"strings"
)

// MaxDimension bounds width, height and trim values at parse time, before the configurable
// Config.MaxOutputSide is applied: numbers past it are typos or probes, never a real request.
const MaxDimension = 65535

func parseInt(name, value string, lo, hi int) (int, error) {
	if value == "" || len(value) > 6 || strings.TrimLeft(value, "0123456789") != "" {
		return 0, badOption(name, value, "expected a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	n, _ := strconv.Atoi(value)
	if n < lo || n > hi {
		return 0, badOption(name, value, "out of range "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return n, nil
}

// parseDecimal accepts plain decimals only (digits with at most one point): ParseFloat alone would
// also take "inf", "NaN", "1e3" and hex floats, each a different spelling of a cache key.
func parseDecimal(name, value string, lo, hi float64) (float64, error) {
	want := "expected a number from " + ftoa(lo) + " to " + ftoa(hi)
	digits := strings.Replace(value, ".", "", 1)
	if digits == "" || len(value) > 12 || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, badOption(name, value, want)
	}
	v, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return 0, badOption(name, value, want)
	}
	if v < lo || v > hi {
		return 0, badOption(name, value, "out of range "+ftoa(lo)+" to "+ftoa(hi))
	}
	return v, nil
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func parseFit(name, value string) (Fit, error) {
	switch f := Fit(value); f {
	case FitScaleDown, FitContain, FitCover, FitCrop, FitPad:
		return f, nil
	}
	return "", badOption(name, value, "expected scale-down, contain, cover, crop or pad")
}

func parseGravity(name, value string) (Gravity, error) {
	switch m := GravityMode(value); m {
	case GravityCenter, GravityAuto, GravityLeft, GravityRight, GravityTop, GravityBottom:
		return Gravity{Mode: m}, nil
	}
	const want = "expected auto, center, left, right, top, bottom or XxY with fractions from 0 to 1 (0.5x0.3)"
	xs, ys, ok := strings.Cut(value, "x")
	if !ok {
		return Gravity{}, badOption(name, value, want)
	}
	x, errX := parseDecimal(name, xs, 0, 1)
	y, errY := parseDecimal(name, ys, 0, 1)
	if errX != nil || errY != nil {
		return Gravity{}, badOption(name, value, want)
	}
	return Gravity{Mode: GravityPoint, X: x, Y: y}, nil
}

func parseFormat(name, value string) (Format, error) {
	switch f := Format(value); f {
	case FormatAuto, FormatAVIF, FormatWebP, FormatJPEG, FormatBaselineJPEG, FormatPNG:
		return f, nil
	}
	return "", badOption(name, value, "expected auto, avif, webp, jpeg, baseline-jpeg or png")
}

func (o *Options) parseQuality(name, value string) error {
	switch l := QualityLevel(value); l {
	case QualityLow, QualityMediumLow, QualityMediumHigh, QualityHigh:
		o.QualityLevel = l
		return nil
	}
	q, err := parseInt(name, value, 1, 100)
	if err != nil {
		return badOption(name, value, "expected 1 to 100, low, medium-low, medium-high or high")
	}
	o.Quality = q
	return nil
}

func parseRotate(name, value string) (int, error) {
	switch value {
	case "90", "180", "270":
		n, _ := strconv.Atoi(value)
		return n, nil
	}
	return 0, badOption(name, value, "expected 90, 180 or 270")
}

func parseMetadata(name, value string) (Metadata, error) {
	switch m := Metadata(value); m {
	case MetadataKeep, MetadataCopyright, MetadataNone:
		return m, nil
	}
	return "", badOption(name, value, "expected keep, copyright or none")
}

func parseAnim(name, value string) (noAnim bool, err error) {
	switch value {
	case "true":
		return false, nil
	case "false":
		return true, nil
	}
	return false, badOption(name, value, "expected true or false")
}

// parseTrim reads Cloudflare's trim=top;right;bottom;left, in source pixels.
func parseTrim(name, value string) (Trim, error) {
	parts := strings.Split(value, ";")
	if len(parts) != 4 {
		return Trim{}, badOption(name, value, "expected top;right;bottom;left in pixels")
	}
	var n [4]int
	for i, p := range parts {
		v, err := parseInt(name, p, 0, MaxDimension)
		if err != nil {
			return Trim{}, badOption(name, value, "expected top;right;bottom;left in pixels")
		}
		n[i] = v
	}
	return Trim{Top: n[0], Right: n[1], Bottom: n[2], Left: n[3]}, nil
}
