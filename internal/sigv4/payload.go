package sigv4

import (
	"encoding/hex"
	"fmt"
)

// PayloadMode says how the body is protected, from X-Amz-Content-Sha256
// (sig-v4-header-based-auth.html, "x-amz-content-sha256" values).
type PayloadMode int

const (
	// PayloadUnsigned: UNSIGNED-PAYLOAD, or no payload hash at all (anonymous requests,
	// presigned URLs without X-Amz-Content-Sha256). The body is passed through.
	PayloadUnsigned PayloadMode = iota
	// PayloadSHA256: a hex SHA-256 of the body was signed; Body checks it at EOF.
	PayloadSHA256
	// PayloadStreamingSigned: STREAMING-AWS4-HMAC-SHA256-PAYLOAD, aws-chunked with a
	// signature per chunk.
	PayloadStreamingSigned
	// PayloadStreamingSignedTrailer: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, signed chunks
	// then signed trailing headers.
	PayloadStreamingSignedTrailer
	// PayloadStreamingUnsignedTrailer: STREAMING-UNSIGNED-PAYLOAD-TRAILER, aws-chunked without
	// signatures, then trailing headers (the SDKs' default checksum trailer).
	PayloadStreamingUnsignedTrailer
)

// Wire values of X-Amz-Content-Sha256.
const (
	unsignedPayload                = "UNSIGNED-PAYLOAD"
	streamingSigned                = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	streamingSignedTrailer         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	streamingUnsignedTrailer       = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	streamingECDSA                 = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
	streamingECDSATrailer          = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"
	emptySHA256                    = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	headerContentSHA256            = "X-Amz-Content-Sha256"
	headerDecodedContentLength     = "X-Amz-Decoded-Content-Length"
	headerTrailer                  = "X-Amz-Trailer"
	trailerSignatureName           = "x-amz-trailer-signature"
	chunkSignaturePrefix           = "chunk-signature="
	chunkStringToSignAlgorithm     = "AWS4-HMAC-SHA256-PAYLOAD"
	trailerStringToSignAlgorithmID = "AWS4-HMAC-SHA256-TRAILER"
)

func (m PayloadMode) String() string {
	switch m {
	case PayloadUnsigned:
		return unsignedPayload
	case PayloadSHA256:
		return "SHA256"
	case PayloadStreamingSigned:
		return streamingSigned
	case PayloadStreamingSignedTrailer:
		return streamingSignedTrailer
	case PayloadStreamingUnsignedTrailer:
		return streamingUnsignedTrailer
	}
	return fmt.Sprintf("PayloadMode(%d)", int(m))
}

// streaming reports whether the body is aws-chunked.
func (m PayloadMode) streaming() bool { return m >= PayloadStreamingSigned }

// parsePayload classifies an X-Amz-Content-Sha256 value; digest is set for PayloadSHA256.
func parsePayload(v string) (mode PayloadMode, digest []byte, err error) {
	switch v {
	case unsignedPayload:
		return PayloadUnsigned, nil, nil
	case streamingSigned:
		return PayloadStreamingSigned, nil, nil
	case streamingSignedTrailer:
		return PayloadStreamingSignedTrailer, nil, nil
	case streamingUnsignedTrailer:
		return PayloadStreamingUnsignedTrailer, nil, nil
	case streamingECDSA, streamingECDSATrailer:
		return 0, nil, fmt.Errorf("%w: %s (SigV4a) is not supported", ErrUnsupportedAlgorithm, v)
	}
	if len(v) == 64 {
		if d, err := hex.DecodeString(v); err == nil {
			return PayloadSHA256, d, nil
		}
	}
	return 0, nil, fmt.Errorf("%w (got %q)", ErrInvalidContentSHA256, v)
}
