package checksum

import (
	"fmt"
	"net/http"
	"strings"
)

// Request headers ("Checking object integrity"; PutObject, UploadPart).
const (
	headerPrefix       = "x-amz-checksum-"
	HeaderSDKAlgorithm = "x-amz-sdk-checksum-algorithm" // the SDKs' announcement of the algorithm
	HeaderAlgorithm    = "x-amz-checksum-algorithm"     // CreateMultipartUpload's algorithm
	HeaderType         = "x-amz-checksum-type"          // CreateMultipartUpload's COMPOSITE / FULL_OBJECT
	HeaderMode         = "x-amz-checksum-mode"          // GetObject/HeadObject: ENABLED to receive checksums
	headerTrailer      = "x-amz-trailer"
)

// Spec is the checksum a request asks the server to verify.
type Spec struct {
	Algorithm Algorithm
	// Value is the base64 checksum from the x-amz-checksum-* header; "" when it comes as a
	// trailer of an aws-chunked body (InTrailer).
	Value     string
	InTrailer bool
}

// Parse reads the checksum a PutObject or UploadPart request carries: an x-amz-checksum-*
// header, or one announced in X-Amz-Trailer, cross-checked with x-amz-sdk-checksum-algorithm.
// ok is false when the request asks for no checksum. Errors are S3's InvalidRequest cases.
func Parse(h http.Header) (spec Spec, ok bool, err error) {
	var found []Spec
	for k, vs := range h {
		name := strings.ToLower(k)
		alg, isValue := strings.CutPrefix(name, headerPrefix)
		if !isValue || name == HeaderAlgorithm || name == HeaderType || name == HeaderMode {
			continue
		}
		a, err := ParseAlgorithm(alg)
		if err != nil {
			return Spec{}, false, err
		}
		if len(vs) != 1 {
			return Spec{}, false, ErrMultipleChecksums
		}
		if _, err := a.Decode(vs[0]); err != nil {
			return Spec{}, false, err
		}
		found = append(found, Spec{Algorithm: a, Value: vs[0]})
	}
	for _, v := range h.Values(headerTrailer) {
		for _, name := range strings.Split(v, ",") {
			alg, isChecksum := strings.CutPrefix(strings.ToLower(strings.TrimSpace(name)), headerPrefix)
			if !isChecksum {
				continue
			}
			a, err := ParseAlgorithm(alg)
			if err != nil {
				return Spec{}, false, err
			}
			found = append(found, Spec{Algorithm: a, InTrailer: true})
		}
	}
	if len(found) > 1 {
		return Spec{}, false, ErrMultipleChecksums
	}
	sdk := h.Get(HeaderSDKAlgorithm)
	if sdk != "" {
		a, err := ParseAlgorithm(sdk)
		if err != nil {
			return Spec{}, false, err
		}
		if len(found) == 0 {
			return Spec{}, false, ErrMissingValue
		}
		if found[0].Algorithm != a {
			return Spec{}, false, fmt.Errorf("%w: %s announced, %s sent", ErrAlgorithmConflict, a, found[0].Algorithm)
		}
	}
	if len(found) == 0 {
		return Spec{}, false, nil
	}
	return found[0], true, nil
}

// FromHeaders is the lenient form of Parse: the algorithm name and the header value ("" when
// the value comes in a trailer), ok false when no valid checksum is requested. Use Parse to
// answer malformed requests with S3's errors.
func FromHeaders(h http.Header) (alg, value string, ok bool) {
	s, ok, err := Parse(h)
	if err != nil || !ok {
		return "", "", false
	}
	return string(s.Algorithm), s.Value, true
}
