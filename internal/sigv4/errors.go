package sigv4

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors. Each names the S3 error code the S3 layer answers with; errors carrying
// detail wrap them (fmt.Errorf("%w: ...")) or are typed values whose Is reports the sentinel,
// so callers test with errors.Is and read details with errors.As.
var (
	// ErrAuthorizationHeaderMalformed: the Authorization header cannot be parsed, its
	// credential scope is malformed, or its date differs from X-Amz-Date
	// (S3: 400 AuthorizationHeaderMalformed).
	ErrAuthorizationHeaderMalformed = errors.New("sigv4: the authorization header is malformed")
	// ErrAuthorizationQueryParametersError: a presigned URL lacks a parameter or has a bad
	// one, e.g. X-Amz-Expires outside 1..604800 (S3: 400 AuthorizationQueryParametersError).
	ErrAuthorizationQueryParametersError = errors.New("sigv4: error parsing the X-Amz-* authorization query parameters")
	// ErrInvalidAccessKeyID: Verifier.Secret does not know the access key
	// (S3: 403 InvalidAccessKeyId).
	ErrInvalidAccessKeyID = errors.New("sigv4: the AWS access key id you provided does not exist in our records")
	// ErrSignatureDoesNotMatch: the computed signature differs. Verify returns it as a
	// *SignatureMismatchError carrying the StringToSign and CanonicalRequest that S3 puts in
	// its error XML (S3: 403 SignatureDoesNotMatch).
	ErrSignatureDoesNotMatch = errors.New("sigv4: the request signature we calculated does not match the signature you provided")
	// ErrRequestTimeTooSkewed: X-Amz-Date (or Date) is more than Verifier.MaxSkew away from
	// now; returned as a *TimeSkewError (S3: 403 RequestTimeTooSkewed).
	ErrRequestTimeTooSkewed = errors.New("sigv4: the difference between the request time and the current time is too large")
	// ErrRequestExpired: a presigned URL is past X-Amz-Date + X-Amz-Expires; returned as a
	// *RequestExpiredError (S3: 403 AccessDenied "Request has expired").
	ErrRequestExpired = errors.New("sigv4: request has expired")
	// ErrRequestNotYetValid: a presigned URL's X-Amz-Date lies further in the future than
	// MaxSkew (S3: 403 AccessDenied "Request is not valid yet").
	ErrRequestNotYetValid = errors.New("sigv4: request is not valid yet")
	// ErrMissingDate: neither a parsable X-Amz-Date nor Date header
	// (S3: 403 AccessDenied "AWS authentication requires a valid Date or x-amz-date header").
	ErrMissingDate = errors.New("sigv4: AWS authentication requires a valid Date or x-amz-date header")
	// ErrMissingContentSHA256: header-signed S3 requests must carry X-Amz-Content-Sha256
	// (S3: 400 InvalidRequest "Missing required header for this request: x-amz-content-sha256").
	ErrMissingContentSHA256 = errors.New("sigv4: missing required header for this request: x-amz-content-sha256")
	// ErrInvalidContentSHA256: X-Amz-Content-Sha256 is neither a known mode nor a hex SHA-256
	// (S3: 400 InvalidArgument).
	ErrInvalidContentSHA256 = errors.New("sigv4: x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value")
	// ErrMissingSecurityHeader: a header the request needs is absent, e.g. the signed
	// streaming modes on an unsigned request (S3: 400 MissingSecurityHeader).
	ErrMissingSecurityHeader = errors.New("sigv4: your request is missing a required header")
	// ErrHeadersNotSigned: x-amz-* headers present but not in SignedHeaders; returned as an
	// *UnsignedHeadersError (S3: 403 AccessDenied "There were headers present in the
	// request which were not signed").
	ErrHeadersNotSigned = errors.New("sigv4: there were headers present in the request which were not signed")
	// ErrUnsupportedAlgorithm: an algorithm other than AWS4-HMAC-SHA256, e.g. SigV4a's
	// AWS4-ECDSA-P256-SHA256 or Signature Version 2 (S3: 400 InvalidArgument / InvalidRequest).
	ErrUnsupportedAlgorithm = errors.New("sigv4: unsupported authorization algorithm")
	// ErrMultipleAuthMechanisms: both an Authorization header and X-Amz-Algorithm in the
	// query (S3: 400 InvalidArgument "Only one auth mechanism allowed").
	ErrMultipleAuthMechanisms = errors.New("sigv4: only one auth mechanism allowed")
	// ErrContentSHA256Mismatch: the body's SHA-256 differs from X-Amz-Content-Sha256;
	// returned by Body reads as a *ContentSHA256MismatchError
	// (S3: 400 XAmzContentSHA256Mismatch).
	ErrContentSHA256Mismatch = errors.New("sigv4: the provided 'x-amz-content-sha256' header does not match what was computed")
	// ErrMalformedChunk: aws-chunked framing is broken, a chunk is larger than MaxChunkSize,
	// a chunk signature is missing or wrong, or the body is longer than
	// x-amz-decoded-content-length (S3: 400 InvalidChunkSizeError / SignatureDoesNotMatch;
	// the S3 layer may inspect errors.Is(err, ErrSignatureDoesNotMatch) first).
	ErrMalformedChunk = errors.New("sigv4: malformed aws-chunked body")
	// ErrMalformedTrailer: the trailing headers of an aws-chunked body are not well formed,
	// too large, not the ones announced in X-Amz-Trailer, or their signature is missing
	// (S3: 400 MalformedTrailerError).
	ErrMalformedTrailer = errors.New("sigv4: the request contained trailing data that was not well-formed")
	// ErrIncompleteBody: the body ended before the final chunk, or holds fewer bytes than
	// x-amz-decoded-content-length (S3: 400 IncompleteBody).
	ErrIncompleteBody = errors.New("sigv4: you did not provide the number of bytes specified")
	// ErrBodyTooLarge: a request whose payload hash must be computed by the verifier
	// (non-S3 services send no X-Amz-Content-Sha256) is larger than
	// Verifier.MaxHashedBody (S3: 400 MaxMessageLengthExceeded).
	ErrBodyTooLarge = errors.New("sigv4: request body too large to hash")
)

// SignatureMismatchError is ErrSignatureDoesNotMatch with what S3 returns in its error XML:
// the StringToSign and CanonicalRequest the server computed (for the normalised form of the
// request), so a client author can diff them against the client's.
type SignatureMismatchError struct {
	AccessKey         string
	SignatureProvided string
	StringToSign      string
	CanonicalRequest  string
	// Chunk is true when a chunk or trailer signature failed rather than the seed signature;
	// StringToSign is then the chunk's and CanonicalRequest is empty.
	Chunk bool
}

func (e *SignatureMismatchError) Error() string {
	if e.Chunk {
		return ErrSignatureDoesNotMatch.Error() + " (chunk signature)"
	}
	return ErrSignatureDoesNotMatch.Error() + ". Check your key and signing method."
}

// Is makes errors.Is(err, ErrSignatureDoesNotMatch) true.
func (e *SignatureMismatchError) Is(target error) bool { return target == ErrSignatureDoesNotMatch }

// TimeSkewError is ErrRequestTimeTooSkewed with the values S3 reports in RequestTime,
// ServerTime and MaxAllowedSkewMilliseconds.
type TimeSkewError struct {
	RequestTime, ServerTime time.Time
	MaxSkew                 time.Duration
}

func (e *TimeSkewError) Error() string {
	return fmt.Sprintf("%s: request time %s, server time %s, max allowed skew %s",
		ErrRequestTimeTooSkewed, e.RequestTime.UTC().Format(time.RFC3339), e.ServerTime.UTC().Format(time.RFC3339), e.MaxSkew)
}

// Is makes errors.Is(err, ErrRequestTimeTooSkewed) true.
func (e *TimeSkewError) Is(target error) bool { return target == ErrRequestTimeTooSkewed }

// RequestExpiredError is ErrRequestExpired with the values S3 reports: X-Amz-Expires, the
// expiry instant and the server time.
type RequestExpiredError struct {
	ExpiresSeconds      int64
	Expires, ServerTime time.Time
}

func (e *RequestExpiredError) Error() string {
	return fmt.Sprintf("%s: expired at %s, server time %s", ErrRequestExpired,
		e.Expires.UTC().Format(time.RFC3339), e.ServerTime.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrRequestExpired) true.
func (e *RequestExpiredError) Is(target error) bool { return target == ErrRequestExpired }

// UnsignedHeadersError is ErrHeadersNotSigned with the offending header names (lower case),
// which S3 lists in its HeadersNotSigned element.
type UnsignedHeadersError struct {
	Headers []string
}

func (e *UnsignedHeadersError) Error() string {
	return ErrHeadersNotSigned.Error() + ": " + strings.Join(e.Headers, ", ")
}

// Is makes errors.Is(err, ErrHeadersNotSigned) true.
func (e *UnsignedHeadersError) Is(target error) bool { return target == ErrHeadersNotSigned }

// ContentSHA256MismatchError is ErrContentSHA256Mismatch with the two digests S3 reports in
// ClientComputedContentSHA256 and S3ComputedContentSHA256.
type ContentSHA256MismatchError struct {
	ClientComputed, ServerComputed string
}

func (e *ContentSHA256MismatchError) Error() string {
	return ErrContentSHA256Mismatch.Error() + ": client " + e.ClientComputed + ", server " + e.ServerComputed
}

// Is makes errors.Is(err, ErrContentSHA256Mismatch) true.
func (e *ContentSHA256MismatchError) Is(target error) bool { return target == ErrContentSHA256Mismatch }
