package httprange

import (
	"errors"
	"testing"
)

func TestParseCopySourceRange(t *testing.T) {
	const size = 100
	cases := []struct {
		name string
		v    string
		size int64
		want Range
		err  error
	}{
		// UploadPartCopy reference: "bytes=0-9 indicates that you want to copy the first 10
		// bytes of the source".
		{"doc example", "bytes=0-9", size, Range{0, 10}, nil},
		{"single byte", "bytes=5-5", size, Range{5, 1}, nil},
		{"up to last byte", "bytes=10-99", size, Range{10, 90}, nil},
		{"whole object", "bytes=0-99", size, Range{0, 100}, nil},

		{"last at size", "bytes=0-100", size, Range{}, ErrCopyRangeOutOfBounds},
		{"first past size", "bytes=150-160", size, Range{}, ErrCopyRangeOutOfBounds},
		{"empty source", "bytes=0-0", 0, Range{}, ErrCopyRangeOutOfBounds},
		{"huge last", "bytes=0-99999999999999999999999", size, Range{}, ErrCopyRangeOutOfBounds},

		{"empty", "", size, Range{}, ErrCopyRangeSyntax},
		{"open ended", "bytes=0-", size, Range{}, ErrCopyRangeSyntax},
		{"suffix", "bytes=-10", size, Range{}, ErrCopyRangeSyntax},
		{"last below first", "bytes=9-0", size, Range{}, ErrCopyRangeSyntax},
		{"list", "bytes=0-1,3-4", size, Range{}, ErrCopyRangeSyntax},
		{"other unit", "items=0-9", size, Range{}, ErrCopyRangeSyntax},
		{"no unit", "0-9", size, Range{}, ErrCopyRangeSyntax},
		{"uppercase unit", "Bytes=0-9", size, Range{}, ErrCopyRangeSyntax},
		{"spaces", "bytes= 0-9", size, Range{}, ErrCopyRangeSyntax},
		{"letters", "bytes=a-9", size, Range{}, ErrCopyRangeSyntax},
		{"plus", "bytes=+0-9", size, Range{}, ErrCopyRangeSyntax},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseCopySourceRange(c.v, c.size)
			if got != c.want || !errors.Is(err, c.err) || (err == nil) != (c.err == nil) {
				t.Errorf("ParseCopySourceRange(%q, %d) = %+v, %v; want %+v, %v", c.v, c.size, got, err, c.want, c.err)
			}
		})
	}
}
