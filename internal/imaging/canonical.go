package imaging

import (
	"strconv"
	"strings"
)

// Canonical is the options in one fixed order with full names, values normalised and defaults
// left out, so that every spelling of one variant gives one string for the cache key and for
// variant ETags: w=300,format=auto and format=auto,width=300 are both "width=300,format=auto".
// Before keying, the edge replaces Format "auto" with the Negotiate answer. The zero Options give
// "".
func (o Options) Canonical() string {
	var b strings.Builder
	add := func(name, value string) {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(value)
	}
	if o.Width != 0 {
		add("width", strconv.Itoa(o.Width))
	}
	if o.Height != 0 {
		add("height", strconv.Itoa(o.Height))
	}
	if o.DPR != 0 && o.DPR != 1 {
		add("dpr", ftoa(o.DPR))
	}
	if f := o.FitOrDefault(); f != FitScaleDown {
		add("fit", string(f))
	}
	switch o.Gravity.Mode {
	case "", GravityCenter:
	case GravityPoint:
		add("gravity", ftoa(o.Gravity.X)+"x"+ftoa(o.Gravity.Y))
	default:
		add("gravity", string(o.Gravity.Mode))
	}
	if !o.Trim.IsZero() {
		t := o.Trim
		add("trim", strconv.Itoa(t.Top)+";"+strconv.Itoa(t.Right)+";"+strconv.Itoa(t.Bottom)+";"+strconv.Itoa(t.Left))
	}
	if o.Rotate != 0 {
		add("rotate", strconv.Itoa(o.Rotate))
	}
	if o.Blur != 0 {
		add("blur", ftoa(o.Blur))
	}
	if o.Sharpen != 0 {
		add("sharpen", ftoa(o.Sharpen))
	}
	if o.HasBackground {
		add("background", o.Background.String())
	}
	switch {
	case o.Quality != 0:
		add("quality", strconv.Itoa(o.Quality))
	case o.QualityLevel != "":
		add("quality", string(o.QualityLevel))
	}
	if o.Format != "" {
		add("format", string(o.Format))
	}
	if m := o.MetadataOrDefault(); m != MetadataNone {
		add("metadata", string(m))
	}
	if o.NoAnim {
		add("anim", "false")
	}
	if o.OnErrorRedirect {
		add("onerror", "redirect")
	}
	return b.String()
}
