package edge

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/imgcdn/imgcdn/internal/cachekey"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/imaging"
)

// ImageOptimizerFunction is the name of imgcdn's built-in CloudFront function (issue 7). A cache
// behaviour whose FunctionAssociations hold it for the viewer-request event, as
// arn:aws:cloudfront::<account>:function/imgcdn-image-optimizer, resizes and converts images
// on the fly: /cdn-cgi/image/<options>/<path>, and the same options as query parameters on
// <path> when the behaviour forwards query strings (Cloudflare's URL API names). Elsewhere
// those URLs are ordinary paths.
const ImageOptimizerFunction = "imgcdn-image-optimizer"

// ImageEngine transforms images and reads their headers; *vips.Engine is the real one. The
// edge never imports the cgo package: the composition root hands it one.
type ImageEngine interface {
	imaging.Transformer
	imaging.Prober
}

// ImageConfig configures image optimization at the edge.
type ImageConfig struct {
	// Engine performs the transforms, in its own bounded worker pool (imaging.ErrBusy, answered
	// 503 with Retry-After, when its queue is full). nil turns the feature off.
	Engine ImageEngine
	// Limits are the limits Engine was built with. The edge reads at most MaxSourceBytes of a
	// source (a larger one is refused with 413 without being read further) and refuses an
	// output beyond MaxOutputSide with 400 before fetching anything.
	Limits imaging.Config
}

// imageOptimizerAssociated reports whether a behaviour's CloudFront Functions include the
// built-in optimizer for viewer requests. Only this account's ARN counts: a function of
// another account is not the built-in one ("FunctionAssociation", CloudFront API reference).
func imageOptimizerAssociated(fas []distrib.FunctionAssociation, account string) bool {
	want := "arn:aws:cloudfront::" + account + ":function/" + ImageOptimizerFunction
	for _, fa := range fas {
		if fa.EventType == "viewer-request" && fa.ARN == want {
			return true
		}
	}
	return false
}

// imageReq is a viewer request that asks for a transform.
type imageReq struct {
	// behavior is the source path's behaviour, which serves the transform: the function is
	// associated with the behaviour of the images, and the source comes from its origin with
	// its cache key and TTLs, exactly as if the viewer had asked for the source itself.
	behavior *behavior
	// options is the options segment of /cdn-cgi/image/<options>/<path>; query holds the
	// option parameters of the query form instead.
	options string
	query   url.Values
	// source is the source's path; sourceQuery its raw query (the viewer's, without option
	// parameters or the signature, so that every variant of a path shares one source entry).
	source, sourceQuery string
}

// imageRequest recognises a transform request on a behaviour with the optimizer: the URL form
// on any path whose source's behaviour has it, or option parameters that the behaviour
// forwards. It returns nil for everything else, which is then served as usual.
func (rq *request) imageRequest() *imageReq {
	r := rq.r
	if rq.h.cfg.Images.Engine == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return nil
	}
	if opts, src, ok := imaging.SplitPath(r.URL.Path); ok {
		b := rq.site.behaviorFor(src)
		if !b.images {
			return nil
		}
		return &imageReq{behavior: b, options: opts, source: src, sourceQuery: dropParam(r.URL.RawQuery, imaging.SignatureParam)}
	}
	b := rq.behavior
	if !b.images || r.URL.RawQuery == "" {
		return nil
	}
	opts, rest := splitOptionQuery(r.URL.RawQuery, b.forward.Query)
	if len(opts) == 0 {
		return nil
	}
	src := r.URL.Path
	if src == "/" && rq.site.rootObject != "" {
		src = "/" + rq.site.rootObject
	}
	return &imageReq{behavior: b, query: opts, source: src, sourceQuery: dropParam(rest, imaging.SignatureParam)}
}

// splitOptionQuery separates the transform options in a raw query (the parameters named like
// an option that the behaviour forwards to its origin) from the rest, which is kept as written
// for the source request.
func splitOptionQuery(rawQuery string, forward cachekey.Selector) (url.Values, string) {
	opts := url.Values{}
	var rest []string
	for item := range strings.SplitSeq(rawQuery, "&") {
		if item == "" {
			continue
		}
		name, value, _ := strings.Cut(item, "=")
		dn, errN := url.QueryUnescape(name)
		dv, errV := url.QueryUnescape(value)
		if errN != nil || errV != nil || !isOptionName(dn) || !forwards(forward, dn) {
			rest = append(rest, item)
			continue
		}
		opts.Add(dn, dv)
	}
	return opts, strings.Join(rest, "&")
}

// isOptionName reports whether name is a transform option or alias: ParseQuery reports found
// for known names and ignores the rest, and with no values it parses nothing.
func isOptionName(name string) bool {
	_, found, _ := imaging.ParseQuery(url.Values{name: nil})
	return found
}

// forwards reports whether a query string selector sends parameter name to the origin (query
// string names are case-sensitive in CloudFront).
func forwards(s cachekey.Selector, name string) bool {
	switch s.Behavior {
	case cachekey.All:
		return true
	case cachekey.Whitelist:
		return slices.Contains(s.Names, name)
	case cachekey.AllExcept:
		return !slices.Contains(s.Names, name)
	}
	return false
}
