package imaging

// Options is one parsed transform request. The zero value means "no transform": the source's
// size, format and look, with metadata stripped. Options is comparable, so two requests that mean
// the same variant compare equal after parsing.
type Options struct {
	Width  int     // target width in CSS pixels, multiplied by DPR; 0: from Height or the source
	Height int     // target height in CSS pixels, multiplied by DPR; 0: from Width or the source
	DPR    float64 // device pixel ratio, 1 to 3; 0 means 1
	Fit    Fit     // how Width and Height are interpreted; "" means FitScaleDown
	// Gravity picks the part of the image kept by FitCover and FitCrop.
	Gravity Gravity
	Trim    Trim // pixels cut from each edge of the source before resizing
	Rotate  int  // 0, 90, 180 or 270 degrees clockwise, after EXIF orientation
	Blur    float64
	Sharpen float64
	// Background fills transparent areas when the output has no alpha, and the padding of
	// FitPad. Unset means white.
	Background    Color
	HasBackground bool
	Quality       int          // 1 to 100; 0 means QualityLevel, or the format's default
	QualityLevel  QualityLevel // a perceptual level (quality=high); mutually exclusive with Quality
	Format        Format       // "" keeps the source's format; FormatAuto negotiates on Accept
	Metadata      Metadata     // "" means MetadataNone
	NoAnim        bool         // anim=false: only the first frame of an animation
	// OnErrorRedirect (onerror=redirect) asks the edge to serve the original when the transform
	// fails, instead of an error.
	OnErrorRedirect bool
}

// Fit is Cloudflare's fit option.
type Fit string

const (
	FitScaleDown Fit = "scale-down" // inside Width x Height, never enlarged (the default)
	FitContain   Fit = "contain"    // inside Width x Height, enlarged if smaller
	FitCover     Fit = "cover"      // exactly Width x Height, cropped around Gravity
	FitCrop      Fit = "crop"       // like cover, but never enlarged: smaller sources scale-down
	FitPad       Fit = "pad"        // contain, then padded with Background to Width x Height
)

// GravityMode is the keyword part of Gravity.
type GravityMode string

const (
	GravityCenter GravityMode = "center"
	GravityAuto   GravityMode = "auto" // the most interesting region (libvips "attention")
	GravityLeft   GravityMode = "left"
	GravityRight  GravityMode = "right"
	GravityTop    GravityMode = "top"
	GravityBottom GravityMode = "bottom"
	GravityPoint  GravityMode = "point" // X and Y hold the focal point
)

// Gravity is where FitCover and FitCrop keep the image: a side, auto, or a focal point given as
// fractions of the width and height (0.5x0.3). The zero value is the center.
type Gravity struct {
	Mode GravityMode
	X, Y float64 // 0 to 1, for GravityPoint
}

// Focus is the gravity as a focal point in fractions of the width and height: where the kept
// window is centred, clamped by the edges. Auto answers the center; transformers that support
// it handle GravityAuto before asking.
func (g Gravity) Focus() (x, y float64) {
	switch g.Mode {
	case GravityLeft:
		return 0, 0.5
	case GravityRight:
		return 1, 0.5
	case GravityTop:
		return 0.5, 0
	case GravityBottom:
		return 0.5, 1
	case GravityPoint:
		return g.X, g.Y
	}
	return 0.5, 0.5
}

// Trim is the number of source pixels removed from each side (trim=top;right;bottom;left).
type Trim struct{ Top, Right, Bottom, Left int }

// IsZero reports whether nothing is trimmed.
func (t Trim) IsZero() bool { return t == Trim{} }

// Color is an sRGB color with alpha, 0 to 255 per channel.
type Color struct{ R, G, B, A uint8 }

// White is the background when none is given.
var White = Color{255, 255, 255, 255}

// Metadata is what metadata survives the transform.
type Metadata string

const (
	MetadataNone      Metadata = "none"      // all stripped; colors converted to sRGB (the default)
	MetadataCopyright Metadata = "copyright" // only the EXIF Copyright and Artist tags are kept
	MetadataKeep      Metadata = "keep"      // everything kept, the ICC profile included
)

// QualityLevel is one of Cloudflare's perceptual quality names.
type QualityLevel string

const (
	QualityLow        QualityLevel = "low"
	QualityMediumLow  QualityLevel = "medium-low"
	QualityMediumHigh QualityLevel = "medium-high"
	QualityHigh       QualityLevel = "high"
)

// FitOrDefault is o.Fit, or FitScaleDown when unset.
func (o Options) FitOrDefault() Fit {
	if o.Fit == "" {
		return FitScaleDown
	}
	return o.Fit
}

// MetadataOrDefault is o.Metadata, or MetadataNone when unset.
func (o Options) MetadataOrDefault() Metadata {
	if o.Metadata == "" {
		return MetadataNone
	}
	return o.Metadata
}

// BackgroundOrDefault is o.Background, or White when unset.
func (o Options) BackgroundOrDefault() Color {
	if !o.HasBackground {
		return White
	}
	return o.Background
}

// TargetSize is the requested output box in device pixels: Width and Height times DPR, rounded;
// 0 where the dimension was not given.
func (o Options) TargetSize() (w, h int) {
	dpr := o.DPR
	if dpr == 0 {
		dpr = 1
	}
	return scaled(o.Width, dpr), scaled(o.Height, dpr)
}

func scaled(n int, dpr float64) int {
	if n == 0 {
		return 0
	}
	v := int(float64(n)*dpr + 0.5)
	if v < 1 {
		v = 1
	}
	return v
}
