package imaging

import (
	"errors"
	"fmt"
)

// Sentinel errors of option parsing and of transforms. Transformers wrap them (errors.Is works)
// and add what happened; the HTTP status beside each is what the edge is expected to answer, but
// the mapping to the wire lives in the edge.
var (
	// ErrBadOption: an unknown option, a malformed or out-of-range value, or an option given
	// twice (400). The error is an *OptionError naming the option.
	ErrBadOption = errors.New("imaging: bad transform option")
	// ErrTooLarge: the source exceeds MaxSourceBytes, MaxSourcePixels or MaxFrames, or the
	// output would exceed MaxOutputSide (413 for the source, 400 for the output size). Checked
	// from the header, before any pixel is decoded.
	ErrTooLarge = errors.New("imaging: image too large")
	// ErrUnsupported: the source is not an image format the pipeline accepts (JPEG, PNG, GIF,
	// WebP, AVIF), including SVG, which is never rasterised (415).
	ErrUnsupported = errors.New("imaging: unsupported image format")
	// ErrCorrupt: the source has a known signature but does not decode: truncated, bad header,
	// damaged data (422).
	ErrCorrupt = errors.New("imaging: corrupt image")
	// ErrTimeout: the transform ran past Config.Timeout or its context's deadline (504 from
	// the edge's point of view; the request is not retried on the same input).
	ErrTimeout = errors.New("imaging: transform timed out")
	// ErrBusy: the worker pool's queue is full (503 with Retry-After).
	ErrBusy = errors.New("imaging: transform queue full")
)

// OptionError is the ErrBadOption a parser returns: which option, the value given, and why it
// was refused, so the 400 body can tell the user what to fix.
type OptionError struct {
	Option string // the name as written in the request (w, width, q...)
	Value  string
	Reason string
}

func (e *OptionError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("transform option %q: %s", e.Option, e.Reason)
	}
	return fmt.Sprintf("transform option %q=%q: %s", e.Option, e.Value, e.Reason)
}

// Is makes errors.Is(err, ErrBadOption) true for every OptionError.
func (e *OptionError) Is(target error) bool { return target == ErrBadOption }

func badOption(name, value, reason string) error {
	return &OptionError{Option: name, Value: value, Reason: reason}
}
