package httprange

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// fuzzSize maps any fuzzed int64 to a valid object size (>= 0).
func fuzzSize(n int64) int64 {
	if n == math.MinInt64 {
		return 0
	}
	if n < 0 {
		return -n
	}
	return n
}

// FuzzParse checks Parse never panics and that every range it accepts lies inside the object,
// is non-empty and formats to a Content-Range that names the same bytes.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "bytes=0-499", "bytes=-500", "bytes=9500-", "bytes=0-0,-1",
		"bytes=-0", "Bytes= 1-2 ", "bytes=99999999999999999999-", "items=1-2", "bytes=5-2"} {
		f.Add(s, int64(10000))
		f.Add(s, int64(0))
		f.Add(s, int64(1))
	}
	f.Fuzz(func(t *testing.T, h string, n int64) {
		size := fuzzSize(n)
		r, ok, err := Parse(h, size)
		switch {
		case err != nil:
			if !errors.Is(err, ErrUnsatisfiable) || ok || r != (Range{}) {
				t.Fatalf("Parse(%q, %d) = %+v, %v, %v", h, size, r, ok, err)
			}
		case !ok:
			if r != (Range{}) {
				t.Fatalf("Parse(%q, %d) returned %+v without ok", h, size, r)
			}
		default:
			if r.Start < 0 || r.Length <= 0 || r.Start >= size || r.Length > size-r.Start {
				t.Fatalf("Parse(%q, %d) = %+v, outside [0,%d)", h, size, r, size)
			}
			want := fmt.Sprintf("bytes %d-%d/%d", r.Start, r.Start+r.Length-1, size)
			if got := r.ContentRange(size); got != want {
				t.Fatalf("ContentRange = %q, want %q", got, want)
			}
			// The Content-Range's own first-last, sent back as a Range, selects the same bytes.
			again, ok2, err2 := Parse(fmt.Sprintf("bytes=%d-%d", r.Start, r.End()), size)
			if again != r || !ok2 || err2 != nil {
				t.Fatalf("re-parse of %+v gave %+v, %v, %v", r, again, ok2, err2)
			}
		}
	})
}

// FuzzParseCopySourceRange checks the x-amz-copy-source-range parser never panics and only
// returns ranges inside the source object.
func FuzzParseCopySourceRange(f *testing.F) {
	for _, s := range []string{"bytes=0-9", "bytes=0-", "bytes=-1", "bytes=9-0", "bytes=0-100", ""} {
		f.Add(s, int64(100))
	}
	f.Fuzz(func(t *testing.T, v string, n int64) {
		size := fuzzSize(n)
		r, err := ParseCopySourceRange(v, size)
		if err != nil {
			if !errors.Is(err, ErrCopyRangeSyntax) && !errors.Is(err, ErrCopyRangeOutOfBounds) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if r.Start < 0 || r.Length <= 0 || r.Start >= size || r.Length > size-r.Start {
			t.Fatalf("ParseCopySourceRange(%q, %d) = %+v, outside [0,%d)", v, size, r, size)
		}
	})
}
