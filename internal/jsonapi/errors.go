package jsonapi

import (
	"errors"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Failure is one of the failures every one of these APIs has (no signature, a refused key or
// service, an unknown path, a bad or oversized body), worded by the API that returns it.
type Failure struct {
	status int
	code   string
	msg    string
}

func (e *Failure) Error() string { return e.msg }

// Anonymous is an unsigned request: 403 MissingAuthenticationToken.
func Anonymous(msg string) *Failure {
	return &Failure{http.StatusForbidden, "MissingAuthenticationToken", msg}
}

// Forbidden is a signature for another service, or a key the API does not serve: 403
// AccessDenied.
func Forbidden(msg string) *Failure { return &Failure{http.StatusForbidden, "AccessDenied", msg} }

// NotFound is a path the API does not serve: 404 NotFound.
func NotFound(msg string) *Failure { return &Failure{http.StatusNotFound, "NotFound", msg} }

// Malformed is a body that is not the expected JSON document: 400 MalformedInput.
func Malformed(msg string) *Failure { return &Failure{http.StatusBadRequest, "MalformedInput", msg} }

// TooLarge is a body over the API's limit: 413 RequestEntityTooLarge.
func TooLarge(msg string) *Failure {
	return &Failure{http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", msg}
}

// InternalError is the answer to an error no mapping knows: its message hides the detail,
// which the API logs.
var InternalError = ErrorBody{Code: "InternalError", Message: "imgcdn could not complete the request; see the control plane's log"}

// CommonError maps the errors all these APIs share: a *Failure, a MethodError (405), the
// verifier's body limit (as tooLarge) and its signature errors (SignatureError). msg is the
// answer's message for err, as the API words it. ok is false for any other error.
func CommonError(err error, tooLarge *Failure, msg string) (status int, body ErrorBody, ok bool) {
	var ae *Failure
	var me *MethodError
	switch {
	case errors.Is(err, sigv4.ErrBodyTooLarge):
		return tooLarge.status, ErrorBody{Code: tooLarge.code, Message: tooLarge.msg}, true
	case errors.As(err, &ae):
		if ae.status == http.StatusRequestEntityTooLarge {
			msg = ae.msg
		}
		return ae.status, ErrorBody{Code: ae.code, Message: msg}, true
	case errors.As(err, &me):
		return http.StatusMethodNotAllowed, ErrorBody{Code: "MethodNotAllowed", Message: msg}, true
	}
	if status, code, ok := SignatureError(err); ok {
		return status, ErrorBody{Code: code, Message: msg}, true
	}
	return 0, ErrorBody{}, false
}
