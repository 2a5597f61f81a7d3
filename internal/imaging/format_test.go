package imaging

import "testing"

func TestNegotiate(t *testing.T) {
	const (
		chrome  = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"
		safari  = "image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5"
		old     = "image/png,image/*;q=0.8,*/*;q=0.5"
		refused = "image/avif;q=0, image/webp ;q=0.5"
	)
	auto := Options{Format: FormatAuto}
	tests := []struct {
		opts   Options
		accept string
		alpha  bool
		src    Format
		want   Format
	}{
		{auto, chrome, false, FormatJPEG, FormatAVIF},
		{auto, safari, false, FormatJPEG, FormatWebP},
		{auto, old, false, FormatJPEG, FormatJPEG},
		{auto, old, true, FormatPNG, FormatPNG},
		{auto, old, false, FormatPNG, FormatPNG},
		{auto, old, false, FormatGIF, FormatGIF},
		{auto, old, true, FormatWebP, FormatPNG},
		{auto, old, false, FormatWebP, FormatJPEG},
		{auto, old, false, FormatAVIF, FormatJPEG},
		{auto, "", true, FormatAVIF, FormatPNG},
		{auto, "*/*", false, FormatJPEG, FormatJPEG},
		{auto, refused, false, FormatJPEG, FormatWebP},
		{auto, "image/avif;q=bad", false, FormatJPEG, FormatJPEG},
		{Options{Format: FormatPNG}, chrome, false, FormatJPEG, FormatPNG},
		{Options{Format: FormatBaselineJPEG}, chrome, true, FormatPNG, FormatBaselineJPEG},
		{Options{}, chrome, false, FormatWebP, FormatWebP},
		{Options{}, chrome, true, FormatAVIF, FormatAVIF},
		{Options{}, old, false, FormatGIF, FormatGIF},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.opts, tt.accept, tt.alpha, tt.src); got != tt.want {
			t.Errorf("Negotiate(format=%q, %q, alpha=%v, %s) = %s, want %s", tt.opts.Format, tt.accept, tt.alpha, tt.src, got, tt.want)
		}
	}
}

func TestContentType(t *testing.T) {
	tests := map[Format]string{
		FormatAVIF: "image/avif", FormatWebP: "image/webp", FormatJPEG: "image/jpeg",
		FormatBaselineJPEG: "image/jpeg", FormatPNG: "image/png", FormatGIF: "image/gif",
		FormatSVG: "image/svg+xml", FormatAuto: "",
	}
	for f, want := range tests {
		if got := f.ContentType(); got != want {
			t.Errorf("%s.ContentType() = %q, want %q", f, got, want)
		}
	}
}

func TestQualityFor(t *testing.T) {
	tests := []struct {
		opts Options
		f    Format
		want int
	}{
		{Options{}, FormatJPEG, 85},
		{Options{}, FormatWebP, 85},
		{Options{}, FormatAVIF, 60},
		{Options{Quality: 33}, FormatAVIF, 33},
		{Options{QualityLevel: QualityHigh}, FormatJPEG, 90},
		{Options{QualityLevel: QualityHigh}, FormatAVIF, 75},
		{Options{QualityLevel: QualityLow}, FormatWebP, 55},
		{Options{QualityLevel: QualityMediumLow}, FormatAVIF, 50},
		{Options{QualityLevel: QualityMediumHigh}, FormatJPEG, 80},
	}
	for _, tt := range tests {
		if got := tt.opts.QualityFor(tt.f); got != tt.want {
			t.Errorf("%+v.QualityFor(%s) = %d, want %d", tt.opts, tt.f, got, tt.want)
		}
	}
}

func TestTargetSizeAndFocus(t *testing.T) {
	if w, h := (Options{Width: 300, DPR: 1.5}).TargetSize(); w != 450 || h != 0 {
		t.Errorf("TargetSize = %d, %d; want 450, 0", w, h)
	}
	if w, h := (Options{Width: 1, Height: 7}).TargetSize(); w != 1 || h != 7 {
		t.Errorf("TargetSize = %d, %d; want 1, 7", w, h)
	}
	focus := map[GravityMode][2]float64{
		"": {0.5, 0.5}, GravityCenter: {0.5, 0.5}, GravityLeft: {0, 0.5}, GravityRight: {1, 0.5},
		GravityTop: {0.5, 0}, GravityBottom: {0.5, 1},
	}
	for m, want := range focus {
		if x, y := (Gravity{Mode: m}).Focus(); x != want[0] || y != want[1] {
			t.Errorf("Focus(%q) = %v, %v; want %v", m, x, y, want)
		}
	}
	if x, y := (Gravity{Mode: GravityPoint, X: 0.2, Y: 0.9}).Focus(); x != 0.2 || y != 0.9 {
		t.Errorf("Focus(point) = %v, %v", x, y)
	}
}
