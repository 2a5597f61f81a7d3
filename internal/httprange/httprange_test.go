package httprange

import (
	"errors"
	"math"
	"testing"
)

func TestParse(t *testing.T) {
	const size = 10000
	cases := []struct {
		name   string
		h      string
		size   int64
		want   Range
		wantOK bool
		err    error
	}{
		// RFC 9110 §14.1.2 examples, for a 10000-byte representation.
		{"first 500 bytes", "bytes=0-499", size, Range{0, 500}, true, nil},
		{"second 500 bytes", "bytes=500-999", size, Range{500, 500}, true, nil},
		{"final 500 bytes suffix", "bytes=-500", size, Range{9500, 500}, true, nil},
		{"final 500 bytes open", "bytes=9500-", size, Range{9500, 500}, true, nil},
		{"first and last bytes only", "bytes=0-0,-1", size, Range{}, false, nil},
		{"single byte", "bytes=0-0", size, Range{0, 1}, true, nil},
		{"last byte", "bytes=-1", size, Range{9999, 1}, true, nil},
		{"last byte by position", "bytes=9999-9999", size, Range{9999, 1}, true, nil},
		{"whole by open range", "bytes=0-", size, Range{0, size}, true, nil},

		// Clamping.
		{"last-pos clamped", "bytes=9000-20000", size, Range{9000, 1000}, true, nil},
		{"last-pos huge clamped", "bytes=1-99999999999999999999999", size, Range{1, 9999}, true, nil},
		{"suffix longer than object", "bytes=-20000", size, Range{0, size}, true, nil},
		{"suffix huge", "bytes=-99999999999999999999999", size, Range{0, size}, true, nil},

		// Tolerated spellings.
		{"unit case-insensitive", "Bytes=1-2", size, Range{1, 2}, true, nil},
		{"whitespace around spec", "bytes= 1-2 ", size, Range{1, 2}, true, nil},
		{"whitespace around header", "  bytes=1-2\t", size, Range{1, 2}, true, nil},
		{"empty list elements", "bytes=,1-2,", size, Range{1, 2}, true, nil},

		// Unsatisfiable: 416 InvalidRange.
		{"first-pos at size", "bytes=10000-", size, Range{}, false, ErrUnsatisfiable},
		{"first-pos past size", "bytes=10000-10005", size, Range{}, false, ErrUnsatisfiable},
		{"first-pos huge", "bytes=99999999999999999999999-", size, Range{}, false, ErrUnsatisfiable},
		{"zero suffix", "bytes=-0", size, Range{}, false, ErrUnsatisfiable},
		{"empty object open range", "bytes=0-", 0, Range{}, false, ErrUnsatisfiable},
		{"empty object int range", "bytes=0-10", 0, Range{}, false, ErrUnsatisfiable},
		{"empty object suffix", "bytes=-5", 0, Range{}, false, ErrUnsatisfiable},

		// Ignored: serve the whole object.
		{"no header", "", size, Range{}, false, nil},
		{"other unit", "items=0-5", size, Range{}, false, nil},
		{"no equals", "bytes 0-5", size, Range{}, false, nil},
		{"two ranges", "bytes=0-1,5-6", size, Range{}, false, nil},
		{"two ranges one unsatisfiable", "bytes=0-1,20000-", size, Range{}, false, nil},
		{"last below first", "bytes=5-2", size, Range{}, false, nil},
		{"no dash", "bytes=5", size, Range{}, false, nil},
		{"only dash", "bytes=-", size, Range{}, false, nil},
		{"empty set", "bytes=", size, Range{}, false, nil},
		{"letters", "bytes=a-b", size, Range{}, false, nil},
		{"plus sign", "bytes=+1-2", size, Range{}, false, nil},
		{"negative first", "bytes=--1", size, Range{}, false, nil},
		{"two dashes", "bytes=1-2-3", size, Range{}, false, nil},
		{"inner space", "bytes=1 -2", size, Range{}, false, nil},
		{"hex", "bytes=0x1-0x2", size, Range{}, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok, err := Parse(c.h, c.size)
			if got != c.want || ok != c.wantOK || !errors.Is(err, c.err) || (err == nil) != (c.err == nil) {
				t.Errorf("Parse(%q, %d) = %+v, %v, %v; want %+v, %v, %v", c.h, c.size, got, ok, err, c.want, c.wantOK, c.err)
			}
		})
	}
}

func TestContentRange(t *testing.T) {
	cases := []struct {
		r    Range
		size int64
		want string
	}{
		{Range{0, 500}, 10000, "bytes 0-499/10000"},
		{Range{9500, 500}, 10000, "bytes 9500-9999/10000"},
		{Range{7, 1}, 8, "bytes 7-7/8"},
		{Range{0, 5 << 30}, 5 << 30, "bytes 0-5368709119/5368709120"},
	}
	for _, c := range cases {
		if got := c.r.ContentRange(c.size); got != c.want {
			t.Errorf("%+v.ContentRange(%d) = %q, want %q", c.r, c.size, got, c.want)
		}
	}
	if got := UnsatisfiedContentRange(10000); got != "bytes */10000" {
		t.Errorf("UnsatisfiedContentRange = %q", got)
	}
}

func TestParseDigitsSaturates(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"007", 7, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"9223372036854775808", math.MaxInt64, true},
		{"123456789012345678901234567890", math.MaxInt64, true},
		{"", 0, false},
		{"1a", 0, false},
		{" 1", 0, false},
	}
	for _, c := range cases {
		got, ok := parseDigits(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseDigits(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
