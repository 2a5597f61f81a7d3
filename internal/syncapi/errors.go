package syncapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
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

// methodError is a known path asked with a method it does not serve (405, with Allow).
type methodError struct{ allow string }

func (e *methodError) Error() string { return "this endpoint accepts " + e.allow + " only" }

// ErrorBody is the JSON document of every error answer.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

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
	e := func(status int, code string) apiError { return apiError{status, ErrorBody{code, msg}} }
	var ia *distrib.InvalidArgumentError
	var me *methodError
	switch {
	case errors.As(err, &ia):
		return apiError{http.StatusBadRequest, ErrorBody{"InvalidArgument", ia.Error()}}
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
		return apiError{http.StatusRequestEntityTooLarge, ErrorBody{"RequestEntityTooLarge", errTooLarge.Error()}}
	case errors.Is(err, errShuttingDown), errors.Is(err, distrib.ErrClosed):
		return apiError{http.StatusServiceUnavailable, ErrorBody{"ServiceUnavailable", errShuttingDown.Error()}}
	case errors.Is(err, distrib.ErrNoSuchEdge):
		return e(http.StatusBadRequest, "InvalidArgument")
	}
	for _, m := range signatureErrors {
		if errors.Is(err, m.err) {
			return apiError{m.status, ErrorBody{m.code, msg}}
		}
	}
	return apiError{http.StatusInternalServerError, ErrorBody{"InternalError", "imgcdn could not complete the request; see the control plane's log"}}
}

// publicMessage is err's text without the Go package prefixes of the sentinels it wraps.
func publicMessage(err error) string {
	msg := err.Error()
	for _, p := range []string{"distrib: ", "sigv4: ", "follow: "} {
		msg = strings.ReplaceAll(msg, p, "")
	}
	return msg
}

type errorMapping struct {
	err    error
	status int
	code   string
}

var signatureErrors = []errorMapping{
	{sigv4.ErrInvalidAccessKeyID, http.StatusForbidden, "InvalidClientTokenId"},
	{sigv4.ErrSignatureDoesNotMatch, http.StatusForbidden, "SignatureDoesNotMatch"},
	{sigv4.ErrRequestTimeTooSkewed, http.StatusForbidden, "SignatureDoesNotMatch"},
	{sigv4.ErrRequestExpired, http.StatusForbidden, "SignatureDoesNotMatch"},
	{sigv4.ErrRequestNotYetValid, http.StatusForbidden, "SignatureDoesNotMatch"},
	{sigv4.ErrHeadersNotSigned, http.StatusForbidden, "AccessDenied"},
	{sigv4.ErrContentSHA256Mismatch, http.StatusBadRequest, "InvalidArgument"},
	{sigv4.ErrInvalidContentSHA256, http.StatusBadRequest, "InvalidArgument"},
	{sigv4.ErrMultipleAuthMechanisms, http.StatusBadRequest, "InvalidArgument"},
	{sigv4.ErrAuthorizationHeaderMalformed, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrAuthorizationQueryParametersError, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrMissingDate, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrUnsupportedAlgorithm, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrMissingSecurityHeader, http.StatusBadRequest, "IncompleteSignature"},
	{sigv4.ErrMissingContentSHA256, http.StatusBadRequest, "InvalidRequest"},
	{sigv4.ErrMalformedChunk, http.StatusBadRequest, "MalformedInput"},
	{sigv4.ErrMalformedTrailer, http.StatusBadRequest, "MalformedInput"},
	{sigv4.ErrIncompleteBody, http.StatusBadRequest, "MalformedInput"},
}

// writeJSON writes v as the answer's JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only this package's and distrib's plain types are marshalled: this cannot happen.
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
