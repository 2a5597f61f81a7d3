// Package imaging holds the cgo-free half of image optimization at the edge (issue 7): the
// transform options of Cloudflare's URL API (`/cdn-cgi/image/<options>/<path>` and the same names
// as query parameters), their canonical form for cache keys, format negotiation from Accept, the
// limits every transform runs under, the sentinel errors transforms return, and a bounded worker
// pool. The libvips pipeline that performs a transform is in the subpackage vips, the only cgo
// package in the module; the edge depends on the Transformer interface here, never on vips.
//
// Sources: Cloudflare Images, "Transform via URL" and "Transform via Workers" (option names,
// aliases, ranges and defaults: fit defaults to scale-down, dpr 1 to 3, quality 1 to 100 or a
// perceptual level, blur 1 to 250, sharpen 0 to 10, trim as top;right;bottom;left).
package imaging
