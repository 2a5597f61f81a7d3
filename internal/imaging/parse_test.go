package imaging

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Options
	}{
		{"width=300", Options{Width: 300}},
		{"w=300,h=200", Options{Width: 300, Height: 200}},
		{"width=300,", Options{Width: 300}},
		{"fit=scale-down", Options{Fit: FitScaleDown}},
		{"fit=contain", Options{Fit: FitContain}},
		{"fit=cover,gravity=auto", Options{Fit: FitCover, Gravity: Gravity{Mode: GravityAuto}}},
		{"fit=crop,g=left", Options{Fit: FitCrop, Gravity: Gravity{Mode: GravityLeft}}},
		{"fit=pad,background=#fff", Options{Fit: FitPad, Background: White, HasBackground: true}},
		{"gravity=0.5x0.3", Options{Gravity: Gravity{Mode: GravityPoint, X: 0.5, Y: 0.3}}},
		{"gravity=0x1", Options{Gravity: Gravity{Mode: GravityPoint, X: 0, Y: 1}}},
		{"dpr=2", Options{DPR: 2}},
		{"dpr=1.5", Options{DPR: 1.5}},
		{"format=auto", Options{Format: FormatAuto}},
		{"f=baseline-jpeg", Options{Format: FormatBaselineJPEG}},
		{"quality=1", Options{Quality: 1}},
		{"q=100", Options{Quality: 100}},
		{"q=medium-low", Options{QualityLevel: QualityMediumLow}},
		{"quality=high", Options{QualityLevel: QualityHigh}},
		{"background=#336699", Options{Background: Color{0x33, 0x66, 0x99, 255}, HasBackground: true}},
		{"background=#369", Options{Background: Color{0x33, 0x66, 0x99, 255}, HasBackground: true}},
		{"background=#33669980", Options{Background: Color{0x33, 0x66, 0x99, 0x80}, HasBackground: true}},
		{"background=rgb(1,2,3)", Options{Background: Color{1, 2, 3, 255}, HasBackground: true}},
		{"background=rgba(1,2,3,0.5),w=10", Options{Width: 10, Background: Color{1, 2, 3, 128}, HasBackground: true}},
		{"background=red", Options{Background: Color{255, 0, 0, 255}, HasBackground: true}},
		{"background=transparent", Options{Background: Color{}, HasBackground: true}},
		{"rotate=90", Options{Rotate: 90}},
		{"rotate=270", Options{Rotate: 270}},
		{"blur=1", Options{Blur: 1}},
		{"blur=250", Options{Blur: 250}},
		{"sharpen=0", Options{}},
		{"sharpen=10", Options{Sharpen: 10}},
		{"metadata=keep", Options{Metadata: MetadataKeep}},
		{"metadata=copyright", Options{Metadata: MetadataCopyright}},
		{"anim=false", Options{NoAnim: true}},
		{"anim=true", Options{}},
		{"trim=1;2;3;4", Options{Trim: Trim{1, 2, 3, 4}}},
		{"onerror=redirect", Options{OnErrorRedirect: true}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseErrorsNameTheOption(t *testing.T) {
	tests := []struct{ in, option string }{
		{"width=0", "width"},
		{"w=-1", "w"},
		{"w=abc", "w"},
		{"w=65536", "w"},
		{"width=3.5", "width"},
		{"height=", "height"},
		{"fit=stretch", "fit"},
		{"gravity=face", "gravity"},
		{"gravity=1.5x0", "gravity"},
		{"gravity=0.5x", "gravity"},
		{"dpr=0.5", "dpr"},
		{"dpr=4", "dpr"},
		{"dpr=NaN", "dpr"},
		{"dpr=inf", "dpr"},
		{"dpr=1e0", "dpr"},
		{"format=gif", "format"},
		{"f=json", "f"},
		{"quality=0", "quality"},
		{"q=101", "q"},
		{"q=best", "q"},
		{"background=#12", "background"},
		{"background=#ggg", "background"},
		{"background=rgb(256,0,0)", "background"},
		{"background=rgba(0,0,0)", "background"},
		{"background=chartreuse", "background"},
		{"rotate=45", "rotate"},
		{"rotate=0", "rotate"},
		{"blur=0", "blur"},
		{"blur=251", "blur"},
		{"sharpen=11", "sharpen"},
		{"metadata=all", "metadata"},
		{"anim=yes", "anim"},
		{"trim=1;2;3", "trim"},
		{"trim=1;2;3;x", "trim"},
		{"onerror=ignore", "onerror"},
		{"colour=red", "colour"},
		{"width", "width"},
		{"w=1,width=2", "width"},
		{"q=high,quality=50", "quality"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var oe *OptionError
		if !errors.As(err, &oe) || !errors.Is(err, ErrBadOption) {
			t.Errorf("Parse(%q) error = %v, want an OptionError", tt.in, err)
			continue
		}
		if oe.Option != tt.option || !strings.Contains(err.Error(), `"`+tt.option) {
			t.Errorf("Parse(%q) error names %q (%v), want %q", tt.in, oe.Option, err, tt.option)
		}
	}
}

func TestParseQuery(t *testing.T) {
	q, _ := url.ParseQuery("width=300&format=auto&v=3&utm_source=x")
	o, found, err := ParseQuery(q)
	if err != nil || !found || o != (Options{Width: 300, Format: FormatAuto}) {
		t.Fatalf("ParseQuery = %+v, %v, %v", o, found, err)
	}
	q, _ = url.ParseQuery("v=3")
	if o, found, err := ParseQuery(q); err != nil || found || o != (Options{}) {
		t.Fatalf("ParseQuery(no options) = %+v, %v, %v", o, found, err)
	}
	for _, bad := range []string{"w=1&width=2", "width=1&width=2", "q=0", "background=nope"} {
		q, _ = url.ParseQuery(bad)
		if _, found, err := ParseQuery(q); !errors.Is(err, ErrBadOption) || !found {
			t.Errorf("ParseQuery(%q) = %v, %v; want ErrBadOption", bad, found, err)
		}
	}
	// The # of a color arrives percent-encoded in a query string.
	q, _ = url.ParseQuery("background=%23ff0000&fit=pad")
	if o, _, err := ParseQuery(q); err != nil || o.Background != (Color{255, 0, 0, 255}) || o.Fit != FitPad {
		t.Fatalf("ParseQuery(background) = %+v, %v", o, err)
	}
}

func TestSplitPath(t *testing.T) {
	tests := []struct {
		in, opts, src string
		ok            bool
	}{
		{"/cdn-cgi/image/width=300/images/a.jpg", "width=300", "/images/a.jpg", true},
		{"/cdn-cgi/image/w=1,q=2/a.jpg", "w=1,q=2", "/a.jpg", true},
		{"/cdn-cgi/image//a.jpg", "", "", false},
		{"/cdn-cgi/image/width=300/", "", "", false},
		{"/cdn-cgi/image/width=300", "", "", false},
		{"/images/a.jpg", "", "", false},
		{"/cdn-cgi/imagex/w=1/a.jpg", "", "", false},
	}
	for _, tt := range tests {
		opts, src, ok := SplitPath(tt.in)
		if opts != tt.opts || src != tt.src || ok != tt.ok {
			t.Errorf("SplitPath(%q) = %q, %q, %v; want %q, %q, %v", tt.in, opts, src, ok, tt.opts, tt.src, tt.ok)
		}
	}
}
