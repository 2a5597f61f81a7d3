package syncapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/jsonapi"
)

// Errors of this endpoint; domain errors come from distrib, signature errors from sigv4.
var (
	// errAnonymous: no signature (403 MissingAuthenticationToken).
	errAnonymous = jsonapi.Anonymous("requests must be signed with AWS Signature Version 4 for the imgcdn-edge service, with an edge key")
	// errWrongService: a signature for another service than imgcdn-edge (403 AccessDenied).
	errWrongService = jsonapi.Forbidden("the request is signed for another service; sign it for imgcdn-edge")
	// errNotEdge: a key that is not an edge key (403 AccessDenied).
	errNotEdge = jsonapi.Forbidden("only edge keys may follow the control plane; create one with `imgcdn keys create --edge`")
	// errNotFound: a path this endpoint does not serve (404 NotFound).
	errNotFound = jsonapi.NotFound("no such endpoint; edges use GET /imgcdn/edge/v1/state and POST /imgcdn/edge/v1/applied")
	// errMalformed: a body that is not the expected JSON document (400 MalformedInput).
	errMalformed = jsonapi.Malformed("the body is not the expected JSON document")
	// errTooLarge: a body over MaxBodySize (413 RequestEntityTooLarge).
	errTooLarge = jsonapi.TooLarge("the body is larger than 1 MiB")
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
	switch {
	case errors.As(err, &ia):
		return apiError{http.StatusBadRequest, ErrorBody{Code: "InvalidArgument", Message: ia.Error()}}
	case errors.Is(err, errShuttingDown), errors.Is(err, distrib.ErrClosed):
		return apiError{http.StatusServiceUnavailable, ErrorBody{Code: "ServiceUnavailable", Message: errShuttingDown.Error()}}
	case errors.Is(err, distrib.ErrNoSuchEdge):
		return e(http.StatusBadRequest, "InvalidArgument")
	}
	if status, body, ok := jsonapi.CommonError(err, errTooLarge, msg); ok {
		return apiError{status, body}
	}
	return apiError{http.StatusInternalServerError, jsonapi.InternalError}
}

// publicMessage is err's text without the Go package prefixes of the sentinels it wraps.
func publicMessage(err error) string {
	msg := err.Error()
	for _, p := range []string{"distrib: ", "sigv4: ", "follow: "} {
		msg = strings.ReplaceAll(msg, p, "")
	}
	return msg
}
