package edge

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/imaging"
)

// imageGuard applies a distribution's abuse controls (`imgcdn images set`, issue 7) to a
// transform, before the cache is looked at, so a cached variant is no way around them: a
// signature is required when the distribution says so (403 without a valid one), and only the
// listed widths may be asked for (400 naming the width). It reports whether the request may
// go on, having answered it otherwise.
func (rq *request) imageGuard(opts imaging.Options) bool {
	s := rq.site.imageSettings
	if s == nil {
		return true
	}
	if s.RequireSigned && !imaging.VerifyURL(s.SigningSecret, rq.r.URL) {
		rq.page(http.StatusForbidden, "Signature required",
			"This distribution transforms images only for signed URLs, and this URL's "+imaging.SignatureParam+
				" parameter is missing or does not match its path and options. Sign it with `imgcdn sign-url`.")
		return false
	}
	if !imaging.AllowedWidth(s.AllowedWidths, opts.Width) {
		rq.imageError(&imaging.OptionError{Option: "width", Value: optionalInt(opts.Width),
			Reason: "this distribution allows only the widths " + joinInts(s.AllowedWidths)})
		return false
	}
	return true
}

// imageSettingsOf is the distribution's image settings, nil when it has none (no restriction).
func imageSettingsOf(st *State, id string) *distrib.ImageSettings {
	s, ok := st.ImageSettings[id]
	if !ok {
		return nil
	}
	return &s
}

// dropParam removes every name=value (or bare name) item from a raw query, keeping the rest as
// written: the signature of a transform URL is not part of its source's request.
func dropParam(rawQuery, name string) string {
	if !strings.Contains(rawQuery, name) {
		return rawQuery
	}
	var kept []string
	for item := range strings.SplitSeq(rawQuery, "&") {
		if k, _, _ := strings.Cut(item, "="); item != "" && k != name {
			kept = append(kept, item)
		}
	}
	return strings.Join(kept, "&")
}

func optionalInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
