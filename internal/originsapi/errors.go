package originsapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/jsonapi"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Errors of this endpoint; domain errors come from distrib, signature errors from sigv4.
var (
	// errAnonymous: no signature (403 MissingAuthenticationToken).
	errAnonymous = errors.New("requests must be signed with AWS Signature Version 4 for the imgcdn-origins service, with the account root's key")
	// errWrongService: a signature for another service (403 AccessDenied).
	errWrongService = errors.New("the request is signed for another service; sign it for imgcdn-origins")
	// errNotRoot: a key other than the account root's (403 AccessDenied).
	errNotRoot = errors.New("only the account root may manage origin endpoints (`imgcdn credentials` prints its key)")
	// errNotFound: a path this endpoint does not serve (404 NotFound).
	errNotFound = errors.New("no such endpoint; use GET /imgcdn/origins/v1/endpoints or PUT/DELETE /imgcdn/origins/v1/endpoints/<domain>")
	// errMalformed: a body that is not the expected JSON document (400 MalformedInput).
	errMalformed = errors.New("the body is not the expected JSON document")
	// errTooLarge: a body over MaxBodySize (413 RequestEntityTooLarge).
	errTooLarge = errors.New("the body is larger than 64 KiB")
)

// ErrorBody is the JSON document of every error answer.
type ErrorBody = jsonapi.ErrorBody

// apiError is what a client sees.
type apiError struct {
	status int
	body   ErrorBody
}

// errorFor maps every error to a status and code: the one place that does. Unknown errors
// are 500 InternalError, whose message hides the detail (it is logged).
func errorFor(err error) apiError {
	msg := strings.ReplaceAll(strings.ReplaceAll(err.Error(), "distrib: ", ""), "sigv4: ", "")
	e := func(status int, code string) apiError { return apiError{status, ErrorBody{Code: code, Message: msg}} }
	var ia *distrib.InvalidArgumentError
	var me *jsonapi.MethodError
	switch {
	case errors.As(err, &ia):
		return e(http.StatusBadRequest, "InvalidArgument")
	case errors.As(err, &me):
		return e(http.StatusMethodNotAllowed, "MethodNotAllowed")
	case errors.Is(err, errAnonymous):
		return e(http.StatusForbidden, "MissingAuthenticationToken")
	case errors.Is(err, errWrongService), errors.Is(err, errNotRoot):
		return e(http.StatusForbidden, "AccessDenied")
	case errors.Is(err, errNotFound):
		return e(http.StatusNotFound, "NotFound")
	case errors.Is(err, distrib.ErrNoSuchOriginEndpoint):
		return e(http.StatusNotFound, "NoSuchOriginEndpoint")
	case errors.Is(err, distrib.ErrOriginEndpointInUse):
		return e(http.StatusConflict, "OriginEndpointInUse")
	case errors.Is(err, distrib.ErrTooManyOriginEndpoints):
		return e(http.StatusBadRequest, "TooManyOriginEndpoints")
	case errors.Is(err, errMalformed):
		return e(http.StatusBadRequest, "MalformedInput")
	case errors.Is(err, errTooLarge), errors.Is(err, sigv4.ErrBodyTooLarge):
		return apiError{http.StatusRequestEntityTooLarge, ErrorBody{Code: "RequestEntityTooLarge", Message: errTooLarge.Error()}}
	case errors.Is(err, distrib.ErrClosed):
		return e(http.StatusServiceUnavailable, "ServiceUnavailable")
	}
	if status, code, ok := jsonapi.SignatureError(err); ok {
		return apiError{status, ErrorBody{Code: code, Message: msg}}
	}
	return apiError{http.StatusInternalServerError, ErrorBody{Code: "InternalError", Message: "imgcdn could not complete the request; see the control plane's log"}}
}
