package syncapi

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
	errAnonymous = errors.New("requests must be signed with AWS Signature Version 4 for the imgcdn-edge service, with an edge key")
	// errWrongService: a signature for another service than imgcdn-edge (403 AccessDenied).
	errWrongService = errors.New("the request is signed for another service; sign it for imgcdn-edge")
	// errNotEdge: a key that is not an edge key (403 AccessDenied).
	errNotEdge = errors.New("only edge keys may follow the control plane; create one with `imgcdn keys create --edge`")
	// errNotFound: a path this endpoint does not serve (404 NotFound).
	errNotFound = errors.New("no such endpoint; edges use GET /imgcdn/edge/v1/state and POST /imgcdn/edge/v1/applied")
	// errMalformed: a body that is not the expected JSON document (400 MalformedInput).
	errMalformed = errors.New("the body is not the expected JSON document")
	// errTooLarge: a body over MaxBodySize (413 RequestEntityTooLarge).
	errTooLarge = errors.New("the body is larger than 1 MiB")
	// errShuttingDown: Close has been called (503 ServiceUnavailable); edges retry.
	errShuttingDown = errors.New("the control plane is shutting down; retry shortly")
)

// ErrorBody is the JSON document of every error answer.
type ErrorBody = jsonapi.ErrorBody

// apiError is what a client sees.
type apiError struct {
	status int
	body   ErrorBody
}

// errorFor maps every error to a status and code: the one place that does. Signature
// failures use the codes of the common AWS errors (CommonErrors.html), as cfapi does.
// Unknown errors are 500 InternalError, whose message hides the detail (it is logged).
func errorFor(err error) apiError {
	msg := publicMessage(err)
	e := func(status int, code string) apiError { return apiError{status, ErrorBody{Code: code, Message: msg}} }
	var ia *distrib.InvalidArgumentError
	var me *jsonapi.MethodError
	switch {
	case errors.As(err, &ia):
		return apiError{http.StatusBadRequest, ErrorBody{Code: "InvalidArgument", Message: ia.Error()}}
	case errors.As(err, &me):
		return e(http.StatusMethodNotAllowed, "MethodNotAllowed")
	case errors.Is(err, errAnonymous):
		return e(http.StatusForbidden, "MissingAuthenticationToken")
	case errors.Is(err, errWrongService), errors.Is(err, errNotEdge):
		return e(http.StatusForbidden, "AccessDenied")
	case errors.Is(err, errNotFound):
		return e(http.StatusNotFound, "NotFound")
	case errors.Is(err, errMalformed):
		return e(http.StatusBadRequest, "MalformedInput")
	case errors.Is(err, errTooLarge), errors.Is(err, sigv4.ErrBodyTooLarge):
		return apiError{http.StatusRequestEntityTooLarge, ErrorBody{Code: "RequestEntityTooLarge", Message: errTooLarge.Error()}}
	case errors.Is(err, errShuttingDown), errors.Is(err, distrib.ErrClosed):
		return apiError{http.StatusServiceUnavailable, ErrorBody{Code: "ServiceUnavailable", Message: errShuttingDown.Error()}}
	case errors.Is(err, distrib.ErrNoSuchEdge):
		return e(http.StatusBadRequest, "InvalidArgument")
	}
	if status, code, ok := jsonapi.SignatureError(err); ok {
		return apiError{status, ErrorBody{Code: code, Message: msg}}
	}
	return apiError{http.StatusInternalServerError, ErrorBody{Code: "InternalError", Message: "imgcdn could not complete the request; see the control plane's log"}}
}

// publicMessage is err's text without the Go package prefixes of the sentinels it wraps.
func publicMessage(err error) string {
	msg := err.Error()
	for _, p := range []string{"distrib: ", "sigv4: ", "follow: "} {
		msg = strings.ReplaceAll(msg, p, "")
	}
	return msg
}
