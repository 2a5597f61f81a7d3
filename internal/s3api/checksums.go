package s3api

import (
	"crypto/md5"
	"encoding/base64"
	"io"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/checksum"
	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// checkedBody wraps a request body so that the additional checksum the request declares
// (an x-amz-checksum-* header, or one announced in x-amz-trailer whose value arrives after
// the aws-chunked body) is verified at EOF, and returns the function that yields the
// checksum to record. With no declared checksum and a non-empty computeAlg (the algorithm of
// a multipart upload) the checksum is computed without being verified; with neither, the
// body is returned as is and the record function is nil.
func checkedBody(h http.Header, body *sigv4.Body, computeAlg string) (io.Reader, func() *objstore.Checksum, error) {
	spec, declared, err := checksum.Parse(h)
	if err != nil {
		return nil, nil, err
	}
	alg := computeAlg
	var expected func() string
	switch {
	case declared && computeAlg != "" && string(spec.Algorithm) != computeAlg:
		return nil, nil, newError(codeInvalidRequest).withMessage("Checksum Type mismatch occurred, expected checksum Type: " +
			strings.ToLower(computeAlg) + ", actual checksum Type: " + strings.ToLower(string(spec.Algorithm)))
	case declared && spec.InTrailer:
		alg = string(spec.Algorithm)
		name := spec.Algorithm.Header()
		expected = func() string { return body.Trailer().Get(name) }
	case declared:
		alg = string(spec.Algorithm)
		value := spec.Value
		expected = func() string { return value }
	case alg == "":
		return body, nil, nil
	}
	cr := checksum.NewReader(body, alg, expected)
	return cr, func() *objstore.Checksum {
		return &objstore.Checksum{Algorithm: alg, Value: cr.Sum(), Type: string(checksum.FullObject)}
	}, nil
}

// computingReader computes alg over r (nothing to verify): copies and part copies record
// a checksum of the bytes they wrote.
func computingReader(r io.Reader, alg string) (io.Reader, func() *objstore.Checksum) {
	if alg == "" {
		return r, nil
	}
	cr := checksum.NewReader(r, alg, nil)
	return cr, func() *objstore.Checksum {
		return &objstore.Checksum{Algorithm: alg, Value: cr.Sum(), Type: string(checksum.FullObject)}
	}
}

// contentMD5 decodes Content-MD5 (RFC 1864: base64 of the 16-byte digest). A value that is
// not that is InvalidDigest; whether it matches the body is the store's check (BadDigest).
func contentMD5(h http.Header) ([]byte, error) {
	v, ok := h["Content-Md5"]
	if !ok {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(v[0])
	if err != nil || len(b) != md5.Size || len(v) != 1 {
		return nil, newError(codeInvalidDigest).with("Content-MD5", v[0])
	}
	return b, nil
}
