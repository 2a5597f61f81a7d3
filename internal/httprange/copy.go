package httprange

import (
	"errors"
	"strings"
)

var (
	// ErrCopyRangeSyntax means x-amz-copy-source-range is not of the form bytes=first-last with
	// both offsets present and first <= last. S3 answers 400 InvalidArgument ("The
	// x-amz-copy-source-range value must be of the form bytes=first-last where first and last are
	// the zero-based offsets of the first and last bytes to copy").
	ErrCopyRangeSyntax = errors.New("httprange: x-amz-copy-source-range must be bytes=first-last")
	// ErrCopyRangeOutOfBounds means the range reaches past the end of the source object. S3
	// answers 400 InvalidArgument ("Range specified is not valid for source object of size: N"),
	// not the 416 InvalidRange of GetObject.
	ErrCopyRangeOutOfBounds = errors.New("httprange: x-amz-copy-source-range is not within the source object")
)

// ParseCopySourceRange parses the x-amz-copy-source-range header of UploadPartCopy against a
// source object of size bytes.
//
// The UploadPartCopy reference: "The range value must use the form bytes=first-last, where the
// first and last are the zero-based byte offsets to copy. For example, bytes=0-9 indicates that
// you want to copy the first 10 bytes of the source." Unlike a GetObject Range there is no
// open-ended or suffix form, no list and no clamping: a last offset at or past the end is an
// error. (The same page says a range can only be copied from a source larger than 5 MB; S3 does
// not enforce that, so neither does this function.)
func ParseCopySourceRange(v string, size int64) (Range, error) {
	spec, ok := strings.CutPrefix(v, "bytes=")
	if !ok {
		return Range{}, ErrCopyRangeSyntax
	}
	a, b, found := strings.Cut(spec, "-")
	if !found {
		return Range{}, ErrCopyRangeSyntax
	}
	first, okA := parseDigits(a)
	last, okB := parseDigits(b)
	if !okA || !okB || last < first {
		return Range{}, ErrCopyRangeSyntax
	}
	if last >= size {
		return Range{}, ErrCopyRangeOutOfBounds
	}
	return Range{Start: first, Length: last - first + 1}, nil
}
