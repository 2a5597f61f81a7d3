package s3api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"

	"github.com/imgcdn/imgcdn/internal/checksum"
	"github.com/imgcdn/imgcdn/internal/httprange"
	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// ErrAccessDenied is what an Authorizer returns to refuse a request; it is answered with S3's
// AccessDenied (403). Authorizers may also return an *Error for a different answer.
var ErrAccessDenied = errors.New("s3api: access denied")

// Error is one S3 error answer: the Code clients switch on, the HTTP status, a message for
// people, and the extra elements some codes carry (ArgumentName, ActualObjectSize, Key...).
// Handlers return it, or a domain error that toAPIError maps to it.
type Error struct {
	Code    string
	Message string
	Status  int
	// Fields are extra child elements of <Error>, written in order after <Message>.
	Fields []Field
	// cause is what went wrong internally; it is logged, never sent.
	cause error
	// header holds response headers some errors carry (x-amz-delete-marker...).
	header [][2]string
}

// Field is one extra element of an <Error> body.
type Field struct{ Name, Value string }

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Unwrap returns the internal cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// with returns e with one more extra element.
func (e *Error) with(name, value string) *Error {
	e.Fields = append(e.Fields, Field{name, value})
	return e
}

// withHeader adds a response header to the error answer.
func (e *Error) withHeader(name, value string) *Error {
	e.header = append(e.header, [2]string{name, value})
	return e
}

// withMessage replaces the default message with a more specific one.
func (e *Error) withMessage(msg string) *Error {
	e.Message = msg
	return e
}

// field returns the value of the named extra element, or "".
func (e *Error) field(name string) string {
	for _, f := range e.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// errorCode indexes errorSpecs. The names are S3's codes, from "Error responses" in the
// Amazon S3 API Reference (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
type errorCode int

const (
	codeAccessControlListNotSupported errorCode = iota
	codeAccessDenied
	codeAuthorizationHeaderMalformed
	codeAuthorizationQueryParametersError
	codeBadDigest
	codeBucketAlreadyExists
	codeBucketAlreadyOwnedByYou
	codeBucketNotEmpty
	codeConditionalRequestConflict
	codeEntityTooLarge
	codeEntityTooSmall
	codeExpiredToken
	codeIllegalLocationConstraintException
	codeIllegalVersioningConfigurationException
	codeIncompleteBody
	codeInternalError
	codeInvalidAccessKeyID
	codeInvalidArgument
	codeInvalidBucketAclWithObjectOwnership
	codeInvalidBucketName
	codeInvalidDigest
	codeInvalidLocationConstraint
	codeInvalidPart
	codeInvalidPartNumber
	codeInvalidPartOrder
	codeInvalidRange
	codeInvalidRequest
	codeInvalidStorageClass
	codeInvalidURI
	codeKeyTooLongError
	codeMalformedACLError
	codeMalformedPolicy
	codeMalformedTrailerError
	codeMalformedXML
	codeMaxMessageLengthExceeded
	codeMetadataTooLarge
	codeMethodNotAllowed
	codeMissingContentLength
	codeMissingRequestBodyError
	codeMissingSecurityHeader
	codeNoSuchBucket
	codeNoSuchBucketPolicy
	codeNoSuchKey
	codeNoSuchPublicAccessBlockConfiguration
	codeNoSuchUpload
	codeNoSuchVersion
	codeNotImplemented
	codeNotModified
	codeOwnershipControlsNotFoundError
	codePreconditionFailed
	codeRequestTimeTooSkewed
	codeServerSideEncryptionConfigurationNotFoundError
	codeServiceUnavailable
	codeSignatureDoesNotMatch
	codeUnexpectedContent
	codeXAmzContentSHA256Mismatch
	numErrorCodes
)

type errorSpec struct {
	code    string
	status  int
	message string
}

// errorSpecs is the table of S3 error codes: code, HTTP status and AWS's default message.
var errorSpecs = [numErrorCodes]errorSpec{
	codeAccessControlListNotSupported:                  {"AccessControlListNotSupported", http.StatusBadRequest, "The bucket does not allow ACLs"},
	codeAccessDenied:                                   {"AccessDenied", http.StatusForbidden, "Access Denied"},
	codeAuthorizationHeaderMalformed:                   {"AuthorizationHeaderMalformed", http.StatusBadRequest, "The authorization header you provided is invalid."},
	codeAuthorizationQueryParametersError:              {"AuthorizationQueryParametersError", http.StatusBadRequest, "Error parsing the X-Amz-Credential parameter; the query-string authentication parameters are malformed."},
	codeBadDigest:                                      {"BadDigest", http.StatusBadRequest, "The Content-MD5 you specified did not match what we received."},
	codeBucketAlreadyExists:                            {"BucketAlreadyExists", http.StatusConflict, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."},
	codeBucketAlreadyOwnedByYou:                        {"BucketAlreadyOwnedByYou", http.StatusConflict, "Your previous request to create the named bucket succeeded and you already own it."},
	codeBucketNotEmpty:                                 {"BucketNotEmpty", http.StatusConflict, "The bucket you tried to delete is not empty"},
	codeConditionalRequestConflict:                     {"ConditionalRequestConflict", http.StatusConflict, "A conflicting conditional operation is currently in progress against this resource. Please try again."},
	codeEntityTooLarge:                                 {"EntityTooLarge", http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed object size."},
	codeEntityTooSmall:                                 {"EntityTooSmall", http.StatusBadRequest, "Your proposed upload is smaller than the minimum allowed object size."},
	codeExpiredToken:                                   {"ExpiredToken", http.StatusBadRequest, "The provided token has expired."},
	codeIllegalLocationConstraintException:             {"IllegalLocationConstraintException", http.StatusBadRequest, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."},
	codeIllegalVersioningConfigurationException:        {"IllegalVersioningConfigurationException", http.StatusBadRequest, "Indicates that the versioning configuration specified in the request is invalid."},
	codeIncompleteBody:                                 {"IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header."},
	codeInternalError:                                  {"InternalError", http.StatusInternalServerError, "We encountered an internal error. Please try again."},
	codeInvalidAccessKeyID:                             {"InvalidAccessKeyId", http.StatusForbidden, "The AWS Access Key Id you provided does not exist in our records."},
	codeInvalidArgument:                                {"InvalidArgument", http.StatusBadRequest, "Invalid Argument"},
	codeInvalidBucketAclWithObjectOwnership:            {"InvalidBucketAclWithObjectOwnership", http.StatusBadRequest, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"},
	codeInvalidBucketName:                              {"InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid."},
	codeInvalidDigest:                                  {"InvalidDigest", http.StatusBadRequest, "The Content-MD5 you specified is not valid."},
	codeInvalidLocationConstraint:                      {"InvalidLocationConstraint", http.StatusBadRequest, "The specified location-constraint is not valid"},
	codeInvalidPart:                                    {"InvalidPart", http.StatusBadRequest, "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."},
	codeInvalidPartNumber:                              {"InvalidPartNumber", http.StatusRequestedRangeNotSatisfiable, "The requested partnumber is not satisfiable"},
	codeInvalidPartOrder:                               {"InvalidPartOrder", http.StatusBadRequest, "The list of parts was not in ascending order. Parts must be ordered by part number."},
	codeInvalidRange:                                   {"InvalidRange", http.StatusRequestedRangeNotSatisfiable, "The requested range is not satisfiable"},
	codeInvalidRequest:                                 {"InvalidRequest", http.StatusBadRequest, "Invalid Request"},
	codeInvalidStorageClass:                            {"InvalidStorageClass", http.StatusBadRequest, "The storage class you specified is not valid"},
	codeInvalidURI:                                     {"InvalidURI", http.StatusBadRequest, "Couldn't parse the specified URI."},
	codeKeyTooLongError:                                {"KeyTooLongError", http.StatusBadRequest, "Your key is too long"},
	codeMalformedACLError:                              {"MalformedACLError", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema."},
	codeMalformedPolicy:                                {"MalformedPolicy", http.StatusBadRequest, "Policies must be valid JSON and the first byte must be '{'"},
	codeMalformedTrailerError:                          {"MalformedTrailerError", http.StatusBadRequest, "The request contained trailing data that was not well-formed or did not conform to our published schema."},
	codeMalformedXML:                                   {"MalformedXML", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema"},
	codeMaxMessageLengthExceeded:                       {"MaxMessageLengthExceeded", http.StatusBadRequest, "Your request was too big."},
	codeMetadataTooLarge:                               {"MetadataTooLarge", http.StatusBadRequest, "Your metadata headers exceed the maximum allowed metadata size"},
	codeMethodNotAllowed:                               {"MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource."},
	codeMissingContentLength:                           {"MissingContentLength", http.StatusLengthRequired, "You must provide the Content-Length HTTP header."},
	codeMissingRequestBodyError:                        {"MissingRequestBodyError", http.StatusBadRequest, "Request Body is empty"},
	codeMissingSecurityHeader:                          {"MissingSecurityHeader", http.StatusBadRequest, "Your request is missing a required header."},
	codeNoSuchBucket:                                   {"NoSuchBucket", http.StatusNotFound, "The specified bucket does not exist"},
	codeNoSuchBucketPolicy:                             {"NoSuchBucketPolicy", http.StatusNotFound, "The bucket policy does not exist"},
	codeNoSuchKey:                                      {"NoSuchKey", http.StatusNotFound, "The specified key does not exist."},
	codeNoSuchPublicAccessBlockConfiguration:           {"NoSuchPublicAccessBlockConfiguration", http.StatusNotFound, "The public access block configuration was not found"},
	codeNoSuchUpload:                                   {"NoSuchUpload", http.StatusNotFound, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."},
	codeNoSuchVersion:                                  {"NoSuchVersion", http.StatusNotFound, "The specified version does not exist."},
	codeNotImplemented:                                 {"NotImplemented", http.StatusNotImplemented, "A header you provided implies functionality that is not implemented"},
	codeNotModified:                                    {"NotModified", http.StatusNotModified, "Not Modified"},
	codeOwnershipControlsNotFoundError:                 {"OwnershipControlsNotFoundError", http.StatusNotFound, "The bucket ownership controls were not found"},
	codePreconditionFailed:                             {"PreconditionFailed", http.StatusPreconditionFailed, "At least one of the pre-conditions you specified did not hold"},
	codeRequestTimeTooSkewed:                           {"RequestTimeTooSkewed", http.StatusForbidden, "The difference between the request time and the current time is too large."},
	codeServerSideEncryptionConfigurationNotFoundError: {"ServerSideEncryptionConfigurationNotFoundError", http.StatusNotFound, "The server side encryption configuration was not found"},
	codeServiceUnavailable:                             {"ServiceUnavailable", http.StatusServiceUnavailable, "Please reduce your request rate."},
	codeSignatureDoesNotMatch:                          {"SignatureDoesNotMatch", http.StatusForbidden, "The request signature we calculated does not match the signature you provided. Check your key and signing method."},
	codeUnexpectedContent:                              {"UnexpectedContent", http.StatusBadRequest, "This request does not support content"},
	codeXAmzContentSHA256Mismatch:                      {"XAmzContentSHA256Mismatch", http.StatusBadRequest, "The provided 'x-amz-content-sha256' header does not match what was computed."},
}

// newError returns a fresh *Error for c with AWS's default message.
func newError(c errorCode) *Error {
	s := errorSpecs[c]
	return &Error{Code: s.code, Status: s.status, Message: s.message}
}

// invalidArgument is S3's InvalidArgument naming the offending parameter.
func invalidArgument(msg, name, value string) *Error {
	return newError(codeInvalidArgument).withMessage(msg).with("ArgumentName", name).with("ArgumentValue", value)
}

// notImplemented answers an operation or header this server does not support.
func notImplemented(what string) *Error {
	return newError(codeNotImplemented).withMessage(what + " is not implemented by imgcdn.")
}

// isClientGone reports errors that mean the client went away (its request was canceled or
// its connection closed); there is nobody to answer, and nothing worth logging as a failure.
func isClientGone(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed)
}

// itoa is strconv.FormatInt for the common int case.
func itoa[T ~int | ~int64](n T) string { return strconv.FormatInt(int64(n), 10) }

// toAPIError is the one place where errors become S3 answers: handler *Errors pass through,
// and the sentinel errors of objstore, sigv4, httprange and checksum map to their S3 codes,
// with the extra elements S3 adds (BucketName, Key, UploadId...) taken from the request.
// Anything unrecognised is an InternalError whose cause is logged, never sent.
func toAPIError(err error, rq *request) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if e = mapSigV4Error(err); e != nil {
		e.cause = err
		return e
	}
	if e = mapStoreError(err, rq); e != nil {
		e.cause = err
		return e
	}
	if e = mapChecksumError(err); e != nil {
		e.cause = err
		return e
	}
	if e = mapBodyError(err); e != nil {
		e.cause = err
		return e
	}
	e = newError(codeInternalError)
	e.cause = err
	return e
}

// mapStoreError maps objstore's sentinels.
func mapStoreError(err error, rq *request) *Error {
	var marker *objstore.DeleteMarkerError
	switch {
	case errors.Is(err, objstore.ErrNoSuchBucket):
		return newError(codeNoSuchBucket).with("BucketName", rq.bucket)
	case errors.Is(err, objstore.ErrBucketExists):
		return newError(codeBucketAlreadyOwnedByYou).with("BucketName", rq.bucket)
	case errors.Is(err, objstore.ErrBucketNotEmpty):
		return newError(codeBucketNotEmpty).with("BucketName", rq.bucket)
	case errors.As(err, &marker):
		// A delete marker: S3 answers 404 NoSuchKey when it is the latest version and 405
		// MethodNotAllowed when a version id names it, both with x-amz-delete-marker.
		var e *Error
		if errors.Is(err, objstore.ErrDeleteMarker) {
			e = newError(codeMethodNotAllowed).with("Method", rq.method()).with("ResourceType", "DeleteMarker").
				withHeader("Last-Modified", httpTime(marker.Marker.LastModified))
		} else {
			e = newError(codeNoSuchKey).with("Key", rq.key)
		}
		return e.withHeader("X-Amz-Delete-Marker", "true").withHeader("X-Amz-Version-Id", marker.Marker.VersionID)
	case errors.Is(err, objstore.ErrNoSuchKey):
		return newError(codeNoSuchKey).with("Key", rq.key)
	case isInvalidVersionID(err):
		return invalidArgument("Invalid version id specified", "versionId", rq.query.Get("versionId"))
	case errors.Is(err, objstore.ErrNoSuchVersion):
		return newError(codeNoSuchVersion).with("Key", rq.key).with("VersionId", rq.query.Get("versionId"))
	case errors.Is(err, objstore.ErrNoSuchUpload):
		return newError(codeNoSuchUpload).with("UploadId", rq.query.Get("uploadId"))
	case errors.Is(err, objstore.ErrInvalidPart):
		return newError(codeInvalidPart)
	case errors.Is(err, objstore.ErrInvalidPartOrder):
		return newError(codeInvalidPartOrder)
	case errors.Is(err, objstore.ErrInvalidPartNumber):
		return invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", rq.query.Get("partNumber"))
	case errors.Is(err, objstore.ErrEntityTooSmall):
		return newError(codeEntityTooSmall)
	case errors.Is(err, objstore.ErrEntityTooLarge):
		return newError(codeEntityTooLarge)
	case errors.Is(err, objstore.ErrIncompleteBody):
		return newError(codeIncompleteBody)
	case errors.Is(err, objstore.ErrBadDigest):
		return newError(codeBadDigest)
	case errors.Is(err, objstore.ErrPreconditionFailed):
		return newError(codePreconditionFailed)
	case errors.Is(err, objstore.ErrConditionalConflict):
		return newError(codeConditionalRequestConflict)
	case errors.Is(err, objstore.ErrKeyTooLong):
		return newError(codeKeyTooLongError)
	case errors.Is(err, objstore.ErrInvalidKey):
		return newError(codeInvalidArgument).withMessage("Object keys must be non-empty UTF-8 of at most 1024 bytes.")
	case errors.Is(err, objstore.ErrInvalidBucketName):
		return newError(codeInvalidBucketName).with("BucketName", rq.bucket)
	case errors.Is(err, objstore.ErrInvalidRange), errors.Is(err, httprange.ErrUnsatisfiable):
		return newError(codeInvalidRange)
	case errors.Is(err, httprange.ErrCopyRangeSyntax):
		return newError(codeInvalidArgument).withMessage("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
	case errors.Is(err, httprange.ErrCopyRangeOutOfBounds):
		return newError(codeInvalidArgument).withMessage("Range specified is not valid for source object")
	case errors.Is(err, objstore.ErrEncryptionNotConfigured):
		return notImplemented("Server-side encryption (SSE-S3) on this installation, which has no master key,")
	case errors.Is(err, objstore.ErrInvalidEncryption):
		return invalidArgument("The encryption method specified is not supported", "x-amz-server-side-encryption", "")
	case errors.Is(err, objstore.ErrCorrupt):
		return newError(codeInternalError)
	case errors.Is(err, objstore.ErrClosed):
		return newError(codeServiceUnavailable).withMessage("The server is shutting down; retry the request.")
	}
	return nil
}

// mapSigV4Error maps the signature verifier's errors, with the details S3 reports.
func mapSigV4Error(err error) *Error {
	var (
		sig     *sigv4.SignatureMismatchError
		skew    *sigv4.TimeSkewError
		expired *sigv4.RequestExpiredError
		hdrs    *sigv4.UnsignedHeadersError
		sha     *sigv4.ContentSHA256MismatchError
	)
	switch {
	case errors.As(err, &sig):
		e := newError(codeSignatureDoesNotMatch)
		if sig.AccessKey != "" {
			e.with("AWSAccessKeyId", sig.AccessKey)
		}
		e.with("StringToSign", sig.StringToSign).
			with("SignatureProvided", sig.SignatureProvided).
			with("StringToSignBytes", spacedHex(sig.StringToSign))
		if sig.CanonicalRequest != "" {
			e.with("CanonicalRequest", sig.CanonicalRequest).
				with("CanonicalRequestBytes", spacedHex(sig.CanonicalRequest))
		}
		return e
	case errors.Is(err, sigv4.ErrSignatureDoesNotMatch):
		return newError(codeSignatureDoesNotMatch)
	case errors.As(err, &skew):
		return newError(codeRequestTimeTooSkewed).
			with("RequestTime", skew.RequestTime.UTC().Format("20060102T150405Z")).
			with("ServerTime", skew.ServerTime.UTC().Format("2006-01-02T15:04:05Z")).
			with("MaxAllowedSkewMilliseconds", itoa(skew.MaxSkew.Milliseconds()))
	case errors.As(err, &expired):
		return newError(codeAccessDenied).withMessage("Request has expired").
			with("X-Amz-Expires", itoa(expired.ExpiresSeconds)).
			with("Expires", expired.Expires.UTC().Format("2006-01-02T15:04:05Z")).
			with("ServerTime", expired.ServerTime.UTC().Format("2006-01-02T15:04:05Z"))
	case errors.Is(err, sigv4.ErrRequestExpired):
		return newError(codeAccessDenied).withMessage("Request has expired")
	case errors.Is(err, sigv4.ErrRequestNotYetValid):
		return newError(codeAccessDenied).withMessage("Request is not valid yet")
	case errors.Is(err, sigv4.ErrMissingDate):
		return newError(codeAccessDenied).withMessage("AWS authentication requires a valid Date or x-amz-date header")
	case errors.As(err, &hdrs):
		return newError(codeAccessDenied).withMessage("There were headers present in the request which were not signed").
			with("HeadersNotSigned", strings.Join(hdrs.Headers, ", "))
	case errors.Is(err, sigv4.ErrHeadersNotSigned):
		return newError(codeAccessDenied).withMessage("There were headers present in the request which were not signed")
	case errors.Is(err, sigv4.ErrInvalidAccessKeyID):
		return newError(codeInvalidAccessKeyID)
	case errors.Is(err, sigv4.ErrAuthorizationHeaderMalformed):
		return newError(codeAuthorizationHeaderMalformed).withMessage(detail(err))
	case errors.Is(err, sigv4.ErrAuthorizationQueryParametersError):
		return newError(codeAuthorizationQueryParametersError).withMessage(detail(err))
	case errors.Is(err, sigv4.ErrMissingContentSHA256):
		return newError(codeInvalidRequest).withMessage("Missing required header for this request: x-amz-content-sha256")
	case errors.Is(err, sigv4.ErrInvalidContentSHA256):
		return newError(codeInvalidArgument).withMessage("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.").
			with("ArgumentName", "x-amz-content-sha256")
	case errors.Is(err, sigv4.ErrMissingSecurityHeader):
		return newError(codeMissingSecurityHeader).withMessage(detail(err))
	case errors.Is(err, sigv4.ErrUnsupportedAlgorithm):
		return newError(codeInvalidRequest).withMessage("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	case errors.Is(err, sigv4.ErrMultipleAuthMechanisms):
		return newError(codeInvalidArgument).withMessage("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified").
			with("ArgumentName", "Authorization")
	case errors.As(err, &sha):
		return newError(codeXAmzContentSHA256Mismatch).
			with("ClientComputedContentSHA256", sha.ClientComputed).
			with("S3ComputedContentSHA256", sha.ServerComputed)
	case errors.Is(err, sigv4.ErrContentSHA256Mismatch):
		return newError(codeXAmzContentSHA256Mismatch)
	case errors.Is(err, sigv4.ErrMalformedTrailer):
		return newError(codeMalformedTrailerError)
	case errors.Is(err, sigv4.ErrMalformedChunk):
		return newError(codeInvalidRequest).withMessage("The aws-chunked request body is malformed: " + detail(err))
	case errors.Is(err, sigv4.ErrIncompleteBody):
		return newError(codeIncompleteBody)
	case errors.Is(err, sigv4.ErrBodyTooLarge):
		return newError(codeMaxMessageLengthExceeded)
	}
	return nil
}

// mapChecksumError maps the additional-checksum errors ("Checking object integrity").
func mapChecksumError(err error) *Error {
	var mismatch *checksum.MismatchError
	switch {
	case errors.As(err, &mismatch):
		return newError(codeBadDigest).withMessage(mismatch.Error())
	case errors.Is(err, checksum.ErrMismatch):
		return newError(codeBadDigest).withMessage("The checksum you specified did not match the calculated checksum.")
	case errors.Is(err, checksum.ErrUnsupportedAlgorithm):
		return newError(codeInvalidRequest).withMessage("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5]")
	case errors.Is(err, checksum.ErrMultipleChecksums):
		return newError(codeInvalidRequest).withMessage("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	case errors.Is(err, checksum.ErrMissingValue):
		return newError(codeInvalidRequest).withMessage("x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
	case errors.Is(err, checksum.ErrInvalidValue), errors.Is(err, checksum.ErrAlgorithmConflict), errors.Is(err, checksum.ErrInvalidType):
		return newError(codeInvalidRequest).withMessage(detail(err))
	}
	return nil
}

// mapBodyError maps failures of reading a request body that neither the store nor the
// verifier name.
func mapBodyError(err error) *Error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return newError(codeMaxMessageLengthExceeded)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newError(codeIncompleteBody)
	}
	return nil
}

// isInvalidVersionID reports a version id no store could have issued (S3: 400
// InvalidArgument "Invalid version id specified", rather than 404 NoSuchVersion).
func isInvalidVersionID(err error) bool { return errors.Is(err, objstore.ErrInvalidVersionID) }
