package cachekey

import (
	"strconv"
	"strings"
)

// NormalizeAcceptEncoding is the Accept-Encoding value that goes into the cache key and the
// origin request ("Cache compressed objects"): "br,gzip" when both codings are enabled in p and
// accepted by the viewer, "br" or "gzip" when only one is, and "" when none is (the key then has
// no Accept-Encoding; OriginRequest sends "identity" if the viewer sent the header at all).
// "The cache key doesn't include other values that were in the Accept-Encoding header".
func NormalizeAcceptEncoding(p Policy, acceptEncoding string) string {
	gzip, br := accepted(acceptEncoding)
	switch {
	case p.Brotli && br && p.Gzip && gzip:
		return "br,gzip"
	case p.Brotli && br:
		return "br"
	case p.Gzip && gzip:
		return "gzip"
	}
	return ""
}

// Encoding is the content coding the edge serves for a viewer's Accept-Encoding: "br" when
// Brotli is enabled and accepted ("When the viewer supports both formats, CloudFront uses
// Brotli"), else "gzip" when Gzip is enabled and accepted, else "" (identity).
func Encoding(p Policy, acceptEncoding string) string {
	switch n := NormalizeAcceptEncoding(p, acceptEncoding); n {
	case "br,gzip":
		return "br"
	default:
		return n
	}
}

// accepted reads an Accept-Encoding value (RFC 9110 12.5.3: a list of codings with optional
// ;q=weight; names are case-insensitive and "x-gzip" is gzip, 8.4.1.3). A coding is accepted
// when it is listed with a weight above 0 and never listed with q=0, "not acceptable". An
// unparsable weight counts as 0: the edge only compresses for a viewer that clearly asked. The
// "*" wildcard is not read as gzip or br: CloudFront looks for those values by name.
func accepted(v string) (gzip, br bool) {
	var gzipNo, brNo bool
	for item := range strings.SplitSeq(v, ",") {
		coding, params, _ := strings.Cut(item, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		ok := qPositive(params)
		switch coding {
		case "gzip", "x-gzip":
			gzip = gzip || ok
			gzipNo = gzipNo || !ok
		case "br":
			br = br || ok
			brNo = brNo || !ok
		}
	}
	return gzip && !gzipNo, br && !brNo
}

// qPositive reads the parameters after a coding and reports whether its weight is above 0 (1
// when there is no q parameter).
func qPositive(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		name, value, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		return err == nil && q > 0 && q <= 1
	}
	return true
}

// compressibleTypes is the list in "Serving compressed files", section "File types that
// CloudFront compresses". Raster images (image/png, image/jpeg, image/webp, ...) are absent on
// purpose: they are compressed already, and recompressing wastes CPU for nothing.
var compressibleTypes = map[string]bool{
	"application/dash+xml": true, "application/eot": true, "application/font": true,
	"application/font-sfnt": true, "application/javascript": true, "application/json": true,
	"application/opentype": true, "application/otf": true, "application/pkcs7-mime": true,
	"application/protobuf": true, "application/rss+xml": true, "application/truetype": true,
	"application/ttf": true, "application/vnd.apple.mpegurl": true,
	"application/vnd.ms-fontobject": true, "application/xhtml+xml": true, "application/xml": true,
	"application/x-font-opentype": true, "application/x-font-truetype": true,
	"application/x-font-ttf": true, "application/x-httpd-cgi": true,
	"application/x-javascript": true, "application/x-mpegurl": true,
	"application/x-opentype": true, "application/x-otf": true, "application/x-perl": true,
	"application/x-ttf": true, "font/eot": true, "font/opentype": true, "font/otf": true,
	"font/ttf": true, "image/svg+xml": true, "text/css": true, "text/csv": true,
	"text/html": true, "text/javascript": true, "text/js": true, "text/plain": true,
	"text/richtext": true, "text/tab-separated-values": true, "text/xml": true,
	"text/x-component": true, "text/x-java-source": true, "text/x-script": true,
	"vnd.apple.mpegurl": true,
}

// Compression size bounds: "The file size must be between 1,000 and 10,000,000 bytes".
const (
	MinCompressSize = 1000
	MaxCompressSize = 10000000
)

// Compressible reports whether the edge may compress an origin response with this Content-Type
// and Content-Length ("Serving compressed files": a listed type, a size between 1,000 and
// 10,000,000 bytes, and a Content-Length, so a negative length, meaning unknown, is never
// compressible). Media type parameters (charset) are ignored and the type is case-insensitive.
// The caller also checks that the response has no Content-Encoding ("CloudFront does not compress
// a file if the response includes a Content-Encoding header, regardless of the header's value").
func Compressible(contentType string, length int64) bool {
	if length < MinCompressSize || length > MaxCompressSize {
		return false
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return compressibleTypes[strings.ToLower(strings.TrimSpace(mt))]
}
