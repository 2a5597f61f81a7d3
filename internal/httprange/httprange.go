// Package httprange parses the single byte ranges S3 accepts: the Range header of GetObject
// (RFC 9110 §14) and the x-amz-copy-source-range header of UploadPartCopy.
//
// It is a stdlib-only leaf. It returns sentinel errors; the S3 API layer maps them to wire codes
// (ErrUnsatisfiable -> 416 InvalidRange; ErrCopyRangeSyntax and ErrCopyRangeOutOfBounds -> 400
// InvalidArgument).
package httprange

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// ErrUnsatisfiable means a syntactically valid Range selects no byte of the object: the
// first-byte-pos is at or past its end, the suffix length is zero, or the object is empty. The
// answer is 416 Range Not Satisfiable (S3: InvalidRange) with "Content-Range: bytes */size"
// (RFC 9110 §15.5.17).
var ErrUnsatisfiable = errors.New("httprange: range not satisfiable")

// Range is a non-empty run of bytes of an object: [Start, Start+Length).
type Range struct {
	Start, Length int64
}

// End returns the offset of the last byte of r (the last-pos of a byte-range-spec).
func (r Range) End() int64 { return r.Start + r.Length - 1 }

// ContentRange returns the Content-Range field value of a 206 answer serving r of an object of
// size bytes, "bytes first-last/size" (RFC 9110 §14.4).
func (r Range) ContentRange(size int64) string {
	return "bytes " + strconv.FormatInt(r.Start, 10) + "-" + strconv.FormatInt(r.End(), 10) +
		"/" + strconv.FormatInt(size, 10)
}

// UnsatisfiedContentRange returns the Content-Range field value of a 416 answer for an object of
// size bytes, "bytes */size" (RFC 9110 §14.4).
func UnsatisfiedContentRange(size int64) string {
	return "bytes */" + strconv.FormatInt(size, 10)
}

// Parse interprets a Range header for an object of size bytes (size >= 0).
//
// ok is true with a nil error when r is the one range to serve (206 Partial Content). ok is
// false with a nil error when the whole object is to be served (200), which is the case for:
//
//   - an empty header;
//   - a header that is not a valid ranges-specifier (RFC 9110 §14.2: a server MAY ignore the
//     Range header), including a last-pos below the first-pos (§14.1.1 calls that range-spec
//     invalid);
//   - a range unit other than bytes (§14.2: ignore unknown units);
//   - more than one range. The GetObject reference says "Amazon S3 doesn't support retrieving
//     multiple ranges of data per GET request" without naming an error, and S3 in practice
//     answers such a request with the whole object and a 200, not an error and not a
//     multipart/byteranges body; imgcdn does the same, which §14.2 also permits.
//
// A last-pos at or beyond the end is clamped to the last byte, and a suffix longer than the
// object selects all of it (§14.1.2). ErrUnsatisfiable is returned when the first-pos is at or
// beyond size, for a zero suffix length, and for any range on an empty object: RFC 9110 §14.1.1
// would allow a non-zero suffix on an empty representation, but it selects no bytes, cannot be
// written as a Content-Range and S3 answers 416 InvalidRange for ranged reads of empty objects.
func Parse(header string, size int64) (r Range, ok bool, err error) {
	unit, set, found := strings.Cut(strings.TrimSpace(header), "=")
	if !found || !strings.EqualFold(strings.TrimSpace(unit), "bytes") {
		return Range{}, false, nil
	}
	spec, single := onlyElement(set)
	if !single {
		return Range{}, false, nil
	}
	first, last, isSuffix, valid := parseSpec(spec)
	if !valid {
		return Range{}, false, nil
	}
	if isSuffix {
		// "-n": the last n bytes (RFC 9110 §14.1.2).
		if last == 0 || size <= 0 {
			return Range{}, false, ErrUnsatisfiable
		}
		n := min(last, size)
		return Range{Start: size - n, Length: n}, true, nil
	}
	if first >= size {
		return Range{}, false, ErrUnsatisfiable
	}
	if last < 0 || last >= size { // "a-" or a last-pos past the end
		last = size - 1
	}
	return Range{Start: first, Length: last - first + 1}, true, nil
}

// onlyElement returns the single range-spec of a range-set, trimmed of optional whitespace.
// single is false when the set holds no element or several. Empty list elements are not
// counted (RFC 9110 §5.6.1).
func onlyElement(set string) (spec string, single bool) {
	n := 0
	for e := range strings.SplitSeq(set, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		n++
		spec = e
	}
	return spec, n == 1
}

// parseSpec parses one int-range ("first-last", "first-") or suffix-range ("-length").
// For "first-" last is -1; for a suffix range first is -1 and last holds the suffix length.
// valid is false for anything else, including last < first.
func parseSpec(spec string) (first, last int64, isSuffix, valid bool) {
	a, b, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false, false
	}
	if a == "" {
		n, ok := parseDigits(b)
		return -1, n, true, ok
	}
	first, ok := parseDigits(a)
	if !ok {
		return 0, 0, false, false
	}
	if b == "" {
		return first, -1, false, true
	}
	last, ok = parseDigits(b)
	if !ok || last < first {
		return 0, 0, false, false
	}
	return first, last, false, true
}

// parseDigits parses 1*DIGIT. Values beyond int64 saturate at math.MaxInt64 rather than fail:
// such a first-pos is simply past the end (416), such a last-pos is clamped, such a suffix
// means the whole object, exactly as the arbitrarily large numbers of RFC 9110 §14.1.1 would.
func parseDigits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			n = math.MaxInt64
			continue
		}
		n = n*10 + d
	}
	return n, true
}
