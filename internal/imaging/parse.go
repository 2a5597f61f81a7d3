package imaging

import (
	"net/url"
	"strings"
)

// PathPrefix starts every transform URL: /cdn-cgi/image/<options>/<source path>.
const PathPrefix = "/cdn-cgi/image/"

// SplitPath splits a transform URL path into its options segment and the source path (with its
// leading slash). ok is false when p is not a transform URL or lacks either part (Cloudflare: "a
// valid URL must specify at least one parameter").
func SplitPath(p string) (options, source string, ok bool) {
	rest, found := strings.CutPrefix(p, PathPrefix)
	if !found {
		return "", "", false
	}
	i := strings.IndexByte(rest, '/')
	if i <= 0 || i == len(rest)-1 {
		return "", "", false
	}
	return rest[:i], rest[i:], true
}

// Parse parses the comma-separated key=value options of a transform URL. Every name must be
// known and given once (aliases count as their option); values are checked for syntax and
// range. Commas inside parentheses belong to the value (background=rgba(0,0,0,0.5)). Empty items
// (a trailing comma) are ignored.
func Parse(options string) (Options, error) {
	var o Options
	seen := map[string]bool{}
	for _, item := range splitOptions(options) {
		if item == "" {
			continue
		}
		name, value, hasValue := strings.Cut(item, "=")
		if !hasValue {
			return Options{}, badOption(name, "", "expected name=value")
		}
		if err := o.set(name, value, seen); err != nil {
			return Options{}, err
		}
	}
	return o, nil
}

// ParseQuery reads transform options from query parameters (/images/a.jpg?width=300&format=auto).
// Parameters that are not option names are ignored, since real query strings carry cache busters
// and tracking parameters; found reports whether any option was present. An option given twice
// (width=1&w=2 or width=1&width=2) is an error.
func ParseQuery(q url.Values) (o Options, found bool, err error) {
	seen := map[string]bool{}
	for name, values := range q {
		if _, known := canonicalName(name); !known {
			continue
		}
		found = true
		for _, v := range values {
			if err := o.set(name, v, seen); err != nil {
				return Options{}, true, err
			}
		}
	}
	return o, found, nil
}

// splitOptions splits on commas outside parentheses.
func splitOptions(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// canonicalName maps an option name or alias to the option's full name.
func canonicalName(name string) (string, bool) {
	switch name {
	case "w":
		return "width", true
	case "h":
		return "height", true
	case "q":
		return "quality", true
	case "f":
		return "format", true
	case "g":
		return "gravity", true
	case "width", "height", "quality", "format", "gravity", "fit", "dpr", "background", "rotate",
		"blur", "sharpen", "metadata", "anim", "trim", "onerror":
		return name, true
	}
	return "", false
}

// set parses one option into o. name is kept as written for error messages.
func (o *Options) set(name, value string, seen map[string]bool) error {
	full, ok := canonicalName(name)
	if !ok {
		return badOption(name, value, "unknown option; known: width (w), height (h), fit, gravity (g), dpr, format (f), quality (q), background, rotate, blur, sharpen, metadata, anim, trim, onerror")
	}
	if seen[full] {
		return badOption(name, value, "given more than once")
	}
	seen[full] = true
	var err error
	switch full {
	case "width":
		o.Width, err = parseInt(name, value, 1, MaxDimension)
	case "height":
		o.Height, err = parseInt(name, value, 1, MaxDimension)
	case "dpr":
		o.DPR, err = parseDecimal(name, value, 1, 3)
	case "fit":
		o.Fit, err = parseFit(name, value)
	case "gravity":
		o.Gravity, err = parseGravity(name, value)
	case "format":
		o.Format, err = parseFormat(name, value)
	case "quality":
		err = o.parseQuality(name, value)
	case "background":
		o.Background, err = parseColor(name, value)
		o.HasBackground = err == nil
	case "rotate":
		o.Rotate, err = parseRotate(name, value)
	case "blur":
		o.Blur, err = parseDecimal(name, value, 1, 250)
	case "sharpen":
		o.Sharpen, err = parseDecimal(name, value, 0, 10)
	case "metadata":
		o.Metadata, err = parseMetadata(name, value)
	case "anim":
		o.NoAnim, err = parseAnim(name, value)
	case "trim":
		o.Trim, err = parseTrim(name, value)
	case "onerror":
		if value != "redirect" {
			err = badOption(name, value, `the only value is "redirect"`)
		}
		o.OnErrorRedirect = err == nil
	}
	return err
}
