// Package vips performs image transforms with libvips through govips; it is the only cgo package
// in imgcdn. The rest of the program sees it through imaging.Transformer and imaging.Prober.
//
// libvips is process-wide state, so its lifecycle is explicit: the composition root calls Start
// once before the first Engine and Shutdown once at exit (govips cannot restart libvips after a
// shutdown). There is no init().
//
// Safety decisions, all enforced before libvips sees a pixel:
//   - Only JPEG, PNG, GIF, WebP and AVIF are accepted, by magic bytes; every other libvips loader
//     (SVG, PDF, TIFF, ImageMagick, Matlab, FITS...) is also blocked in libvips itself, so
//     untrusted loaders never run even if the detection were wrong.
//   - SVG is refused (imaging.ErrUnsupported), never rasterised and never passed through: a
//     sanitiser good enough for untrusted SVG is a project of its own, and serving SVG
//     untransformed is what the plain (non-/cdn-cgi/image/) path already does.
//   - Width, height and frame count are read from the header (libvips loads lazily) and checked
//     against MaxSourcePixels and MaxFrames before decoding, so a decompression bomb is refused
//     undecoded.
package vips
