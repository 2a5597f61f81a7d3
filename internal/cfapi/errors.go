package cfapi

import (
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Errors of the API layer itself; domain errors come from distrib, signature errors from sigv4.
var (
	// errMissingBody: a create or update without a body (400 MissingBody).
	errMissingBody = errors.New("this operation requires a body; send the config document")
	// errMalformed: the body is not the expected XML document (400 MalformedInput).
	errMalformed = errors.New("the XML document is malformed or is not the expected config")
	// errAnonymous: no signature at all (403 MissingAuthenticationToken).
	errAnonymous = errors.New("the request must be signed with AWS Signature Version 4 for the cloudfront service")
	// errNotRoot: a principal other than the account root (403 AccessDenied).
	errNotRoot = errors.New("only the account root may call the CloudFront API; sign with the root access key")
	// errUnsupported: a request that is not one of the operations served (501 NotImplemented).
	errUnsupported = errors.New("imgcdn does not support this CloudFront operation")
)

// apiError is what a client sees: the HTTP status, CloudFront's error code and a message.
type apiError struct {
	status  int
	code    string
	message string
}

// errorFor maps every error to CloudFront's wire code: the one place that does. Codes and
// statuses are those of botocore's model (the "error" traits of each shape) and of the
// common AWS errors (CommonErrors.html) for signature failures. Unknown errors are 500
// InternalError, whose message hides the detail (it is logged instead).
func errorFor(err error) apiError {
	msg := err.Error()
	var ia *distrib.InvalidArgumentError
	switch {
	case errors.As(err, &ia):
		return apiError{http.StatusBadRequest, "InvalidArgument", ia.Error()}
	case errors.Is(err, errMissingBody):
		return apiError{http.StatusBadRequest, "MissingBody", msg}
	case errors.Is(err, errMalformed):
		return apiError{http.StatusBadRequest, "MalformedInput", msg}
	case errors.Is(err, errInconsistentQuantities):
		return apiError{http.StatusBadRequest, "InconsistentQuantities", msg}
	case errors.Is(err, errUnsupported):
		return apiError{http.StatusNotImplemented, "NotImplemented", msg}
	case errors.Is(err, errAnonymous):
		return apiError{http.StatusForbidden, "MissingAuthenticationToken", msg}
	case errors.Is(err, errNotRoot):
		return apiError{http.StatusForbidden, "AccessDenied", msg}
	case errors.Is(err, distrib.ErrInvalidFunctionAssociation):
		// Wrapped with the behaviour and the reason.
		return apiError{http.StatusBadRequest, "InvalidFunctionAssociation", trimPrefix(msg)}
	case errors.Is(err, errNoSuchFunction):
		return apiError{http.StatusNotFound, "NoSuchFunctionExists", msg}
	case errors.Is(err, errFunctionExists):
		return apiError{http.StatusConflict, "FunctionAlreadyExists", msg}
	case errors.Is(err, errUserFunctions), errors.Is(err, errBuiltinFunction):
		return apiError{http.StatusBadRequest, "UnsupportedOperation", msg}
	case errors.Is(err, distrib.ErrInvalidTagging):
		// Wrapped with the reason, which the user needs to fix the tag.
		return apiError{http.StatusBadRequest, "InvalidTagging", trimPrefix(msg)}
	}
	for _, m := range domainErrors {
		if errors.Is(err, m.err) {
			return apiError{m.status, m.code, trimPrefix(m.err.Error())}
		}
	}
	for _, m := range signatureErrors {
		if errors.Is(err, m.err) {
			return apiError{m.status, m.code, msg}
		}
	}
	return apiError{http.StatusInternalServerError, "InternalError", "imgcdn could not complete the request; see the server log"}
}

type errorMapping struct {
	err    error
	status int
	code   string
}

var domainErrors = []errorMapping{
	{distrib.ErrNoSuchOAI, http.StatusNotFound, "NoSuchCloudFrontOriginAccessIdentity"},
	{distrib.ErrOAIAlreadyExists, http.StatusConflict, "CloudFrontOriginAccessIdentityAlreadyExists"},
	{distrib.ErrTooManyOAIs, http.StatusBadRequest, "TooManyCloudFrontOriginAccessIdentities"},
	{distrib.ErrOAIInUse, http.StatusConflict, "CloudFrontOriginAccessIdentityInUse"},
	{distrib.ErrNoSuchOAC, http.StatusNotFound, "NoSuchOriginAccessControl"},
	{distrib.ErrOACAlreadyExists, http.StatusConflict, "OriginAccessControlAlreadyExists"},
	{distrib.ErrTooManyOACs, http.StatusBadRequest, "TooManyOriginAccessControls"},
	{distrib.ErrOACInUse, http.StatusConflict, "OriginAccessControlInUse"},
	{distrib.ErrMissingIfMatch, http.StatusBadRequest, "InvalidIfMatchVersion"},
	{distrib.ErrPreconditionFailed, http.StatusPreconditionFailed, "PreconditionFailed"},
	{distrib.ErrIllegalUpdate, http.StatusBadRequest, "IllegalUpdate"},
	{distrib.ErrNoSuchDistribution, http.StatusNotFound, "NoSuchDistribution"},
	{distrib.ErrDistributionAlreadyExists, http.StatusConflict, "DistributionAlreadyExists"},
	{distrib.ErrTooManyDistributions, http.StatusBadRequest, "TooManyDistributions"},
	{distrib.ErrDistributionNotDisabled, http.StatusConflict, "DistributionNotDisabled"},
	{distrib.ErrNoSuchOrigin, http.StatusNotFound, "NoSuchOrigin"},
	{distrib.ErrInvalidOAIRef, http.StatusBadRequest, "InvalidOriginAccessIdentity"},
	{distrib.ErrInvalidOACRef, http.StatusBadRequest, "InvalidOriginAccessControl"},
	{distrib.ErrTooManyOrigins, http.StatusBadRequest, "TooManyOrigins"},
	{distrib.ErrCNAMEAlreadyExists, http.StatusConflict, "CNAMEAlreadyExists"},
	{distrib.ErrInvalidViewerCertificate, http.StatusBadRequest, "InvalidViewerCertificate"},
	{distrib.ErrInvalidDefaultRootObject, http.StatusBadRequest, "InvalidDefaultRootObject"},
	{distrib.ErrNoSuchInvalidation, http.StatusNotFound, "NoSuchInvalidation"},
	{distrib.ErrInvalidationAlreadyExists, http.StatusConflict, "InvalidationBatchAlreadyExists"},
	{distrib.ErrBatchTooLarge, http.StatusRequestEntityTooLarge, "BatchTooLarge"},
	{distrib.ErrTooManyInvalidationsInProgress, http.StatusBadRequest, "TooManyInvalidationsInProgress"},
	{distrib.ErrNoSuchCachePolicy, http.StatusNotFound, "NoSuchCachePolicy"},
	{distrib.ErrCachePolicyAlreadyExists, http.StatusConflict, "CachePolicyAlreadyExists"},
	{distrib.ErrTooManyCachePolicies, http.StatusBadRequest, "TooManyCachePolicies"},
	{distrib.ErrCachePolicyInUse, http.StatusConflict, "CachePolicyInUse"},
	{distrib.ErrTooManyHeadersInCachePolicy, http.StatusBadRequest, "TooManyHeadersInCachePolicy"},
	{distrib.ErrTooManyCookiesInCachePolicy, http.StatusBadRequest, "TooManyCookiesInCachePolicy"},
	{distrib.ErrTooManyQueryStringsInCachePolicy, http.StatusBadRequest, "TooManyQueryStringsInCachePolicy"},
	{distrib.ErrNoSuchOriginRequestPolicy, http.StatusNotFound, "NoSuchOriginRequestPolicy"},
	{distrib.ErrOriginRequestPolicyAlreadyExists, http.StatusConflict, "OriginRequestPolicyAlreadyExists"},
	{distrib.ErrTooManyOriginRequestPolicies, http.StatusBadRequest, "TooManyOriginRequestPolicies"},
	{distrib.ErrOriginRequestPolicyInUse, http.StatusConflict, "OriginRequestPolicyInUse"},
	{distrib.ErrTooManyHeadersInOriginRequestPolicy, http.StatusBadRequest, "TooManyHeadersInOriginRequestPolicy"},
	{distrib.ErrTooManyCookiesInOriginRequestPolicy, http.StatusBadRequest, "TooManyCookiesInOriginRequestPolicy"},
	{distrib.ErrTooManyQueryStringsInOriginRequestPolicy, http.StatusBadRequest, "TooManyQueryStringsInOriginRequestPolicy"},
	{distrib.ErrNoSuchResponseHeadersPolicy, http.StatusNotFound, "NoSuchResponseHeadersPolicy"},
	{distrib.ErrResponseHeadersPolicyAlreadyExists, http.StatusConflict, "ResponseHeadersPolicyAlreadyExists"},
	{distrib.ErrTooManyResponseHeadersPolicies, http.StatusBadRequest, "TooManyResponseHeadersPolicies"},
	{distrib.ErrResponseHeadersPolicyInUse, http.StatusConflict, "ResponseHeadersPolicyInUse"},
	{distrib.ErrTooManyCustomHeadersInResponseHeadersPolicy, http.StatusBadRequest, "TooManyCustomHeadersInResponseHeadersPolicy"},
	{distrib.ErrTooManyRemoveHeadersInResponseHeadersPolicy, http.StatusBadRequest, "TooManyRemoveHeadersInResponseHeadersPolicy"},
	{distrib.ErrTooLongCSPInResponseHeadersPolicy, http.StatusBadRequest, "TooLongCSPInResponseHeadersPolicy"},
	{distrib.ErrIllegalDelete, http.StatusBadRequest, "IllegalDelete"},
	{distrib.ErrManagedPolicyUpdate, http.StatusBadRequest, "IllegalUpdate"},
	{distrib.ErrNoSuchResource, http.StatusNotFound, "NoSuchResource"},
}

var signatureErrors = []errorMapping{
	{sigv4.ErrInvalidAccessKeyID, http.StatusForbidden, "InvalidClientTokenId"},
	{sigv4.ErrSignatureDoesNotMatch, http.StatusForbidden, "SignatureDoesNotMatch"},
	{sigv4.ErrRequestTimeTooSkewed, http.StatusForbidden, "SignatureDoesNotMatch"},
	{sigv4.ErrRequestExpired, http.StatusForbidden, "SignatureDoesNotMatch"},
	{sigv4.ErrRequestNotYetValid, http.StatusForbidden, "SignatureDoesNotMatch"},
	{sigv4.ErrContentSHA256Mismatch, http.StatusBadRequest, "InvalidArgument"},
	{sigv4.ErrBodyTooLarge, http.StatusBadRequest, "MalformedInput"},
	{sigv4.ErrAuthorizationHeaderMalformed, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrAuthorizationQueryParametersError, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrMissingDate, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrHeadersNotSigned, http.StatusForbidden, "AccessDenied"},
	{sigv4.ErrUnsupportedAlgorithm, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrMultipleAuthMechanisms, http.StatusBadRequest, "InvalidArgument"},
	{sigv4.ErrInvalidContentSHA256, http.StatusBadRequest, "InvalidArgument"},
	{sigv4.ErrMissingSecurityHeader, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrMalformedChunk, http.StatusBadRequest, "MalformedInput"},
	{sigv4.ErrIncompleteBody, http.StatusBadRequest, "MalformedInput"},
}

// trimPrefix drops the "distrib: " package prefix from a sentinel's text for the wire.
func trimPrefix(s string) string {
	const p = "distrib: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// errorResponse is CloudFront's error document (API reference, "Errors"; botocore's
// rest-xml parser reads Error/Code and Error/Message).
type errorResponse struct {
	XMLName   xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ ErrorResponse"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// errorDocument renders e; Type is Sender for client faults and Receiver for server faults.
func errorDocument(e apiError, requestID string) errorResponse {
	typ := "Sender"
	if e.status >= 500 && e.status != http.StatusNotImplemented {
		typ = "Receiver"
	}
	return errorResponse{Type: typ, Code: e.code, Message: e.message, RequestID: requestID}
}
