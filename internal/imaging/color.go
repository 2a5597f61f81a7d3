package imaging

import (
	"fmt"
	"strconv"
	"strings"
)

// cssNames are the CSS Color 4 basic keywords plus orange and transparent: enough for hand-written
// URLs, small enough to review. Anything else can be written as a hex or rgb() color.
var cssNames = map[string]Color{
	"black": {0, 0, 0, 255}, "silver": {192, 192, 192, 255}, "gray": {128, 128, 128, 255},
	"grey": {128, 128, 128, 255}, "white": {255, 255, 255, 255}, "maroon": {128, 0, 0, 255},
	"red": {255, 0, 0, 255}, "purple": {128, 0, 128, 255}, "fuchsia": {255, 0, 255, 255},
	"magenta": {255, 0, 255, 255}, "green": {0, 128, 0, 255}, "lime": {0, 255, 0, 255},
	"olive": {128, 128, 0, 255}, "yellow": {255, 255, 0, 255}, "navy": {0, 0, 128, 255},
	"blue": {0, 0, 255, 255}, "teal": {0, 128, 128, 255}, "aqua": {0, 255, 255, 255},
	"cyan": {0, 255, 255, 255}, "orange": {255, 165, 0, 255}, "transparent": {0, 0, 0, 0},
}

// String is the color as #rrggbbaa, its canonical spelling.
func (c Color) String() string { return fmt.Sprintf("#%02x%02x%02x%02x", c.R, c.G, c.B, c.A) }

// parseColor reads a CSS color (Cloudflare: "accepts any CSS color, such as #RRGGBB and
// rgba(…)"): #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(r,g,b), rgba(r,g,b,a) with a from 0 to 1, and the
// keywords in cssNames.
func parseColor(name, value string) (Color, error) {
	bad := badOption(name, value, "expected a CSS color: #rrggbb, #rgb, #rrggbbaa, rgb(r,g,b), rgba(r,g,b,a) or a color name")
	v := strings.ToLower(value)
	if c, ok := cssNames[v]; ok {
		return c, nil
	}
	if hex, ok := strings.CutPrefix(v, "#"); ok {
		return parseHex(hex, bad)
	}
	if args, ok := cutFunc(v, "rgba"); ok {
		return parseRGB(args, true, bad)
	}
	if args, ok := cutFunc(v, "rgb"); ok {
		return parseRGB(args, false, bad)
	}
	return Color{}, bad
}

func cutFunc(v, fn string) (string, bool) {
	rest, ok := strings.CutPrefix(v, fn+"(")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(rest, ")")
}

func parseHex(hex string, bad error) (Color, error) {
	if strings.TrimLeft(hex, "0123456789abcdef") != "" {
		return Color{}, bad
	}
	switch len(hex) {
	case 3, 4:
		long := make([]byte, 0, 8)
		for i := 0; i < len(hex); i++ {
			long = append(long, hex[i], hex[i])
		}
		hex = string(long)
	case 6, 8:
	default:
		return Color{}, bad
	}
	if len(hex) == 6 {
		hex += "ff"
	}
	n, _ := strconv.ParseUint(hex, 16, 32)
	return Color{uint8(n >> 24), uint8(n >> 16), uint8(n >> 8), uint8(n)}, nil
}

func parseRGB(args string, alpha bool, bad error) (Color, error) {
	parts := strings.Split(args, ",")
	if (alpha && len(parts) != 4) || (!alpha && len(parts) != 3) {
		return Color{}, bad
	}
	var ch [3]uint8
	for i := 0; i < 3; i++ {
		n, err := parseInt("", strings.TrimSpace(parts[i]), 0, 255)
		if err != nil {
			return Color{}, bad
		}
		ch[i] = uint8(n)
	}
	c := Color{ch[0], ch[1], ch[2], 255}
	if alpha {
		a, err := parseDecimal("", strings.TrimSpace(parts[3]), 0, 1)
		if err != nil {
			return Color{}, bad
		}
		c.A = uint8(a*255 + 0.5)
	}
	return c, nil
}
