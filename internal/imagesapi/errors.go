package imagesapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/imaging"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Errors of this endpoint; domain errors come from distrib and imaging, signature errors
// from sigv4.
var (
	// errAnonymous: no signature (403 MissingAuthenticationToken).
	errAnonymous = errors.New("requests must be signed with AWS Signature Version 4 for the imgcdn-images service, with the account root's key")
	// errWrongService: a signature for another service (403 AccessDenied).
	errWrongService = errors.New("the request is signed for another service; sign it for imgcdn-images")
	// errNotRoot: a key other than the account root's (403 AccessDenied).
	errNotRoot = errors.New("only the account root may manage image settings (`imgcdn credentials` prints its key)")
	// errNotFound: a path this endpoint does not serve (404 NotFound).
	errNotFound = errors.New("no such endpoint; use /imgcdn/images/v1/settings[/<distribution id>[/secret|/sign]]")
	// errMalformed: a body that is not the expected JSON document (400 MalformedInput).
	errMalformed = errors.New("the body is not the expected JSON document")
	// errTooLarge: a body over MaxBodySize (413 RequestEntityTooLarge).
	errTooLarge = errors.New("the body is larger than 16 KiB")
)

// methodError is a known path asked with a method it does not serve (405, with Allow).
type methodError struct{ allow string }

func (e *methodError) Error() string { return "this path accepts " + e.allow + " only" }

// ErrorBody is the JSON document of every error answer.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type apiError struct {
	status int
	body   ErrorBody
}

// errorFor maps every error to a status and code: the one place that does. Unknown errors
// are 500 InternalError, whose message hides the detail (it is logged).
func errorFor(err error) apiError {
	msg := strings.NewReplacer("distrib: ", "", "sigv4: ", "", "imaging: ", "").Replace(err.Error())
	e := func(status int, code string) apiError { return apiError{status, ErrorBody{code, msg}} }
	var ia *distrib.InvalidArgumentError
	var oe *imaging.OptionError
	var me *methodError
	switch {
	case errors.As(err, &ia):
		return e(http.StatusBadRequest, "InvalidArgument")
	case errors.As(err, &oe), errors.Is(err, imaging.ErrNotTransform):
		return e(http.StatusBadRequest, "InvalidTransformURL")
	case errors.As(err, &me):
		return e(http.StatusMethodNotAllowed, "MethodNotAllowed")
	case errors.Is(err, errAnonymous):
		return e(http.StatusForbidden, "MissingAuthenticationToken")
	case errors.Is(err, errWrongService), errors.Is(err, errNotRoot):
		return e(http.StatusForbidden, "AccessDenied")
	case errors.Is(err, errNotFound):
		return e(http.StatusNotFound, "NotFound")
	case errors.Is(err, distrib.ErrNoSuchDistribution):
		return e(http.StatusNotFound, "NoSuchDistribution")
	case errors.Is(err, distrib.ErrNoImageSettings):
		return e(http.StatusNotFound, "NoImageSettings")
	case errors.Is(err, errMalformed):
		return e(http.StatusBadRequest, "MalformedInput")
	case errors.Is(err, errTooLarge), errors.Is(err, sigv4.ErrBodyTooLarge):
		return apiError{http.StatusRequestEntityTooLarge, ErrorBody{"RequestEntityTooLarge", errTooLarge.Error()}}
	case errors.Is(err, distrib.ErrClosed):
		return e(http.StatusServiceUnavailable, "ServiceUnavailable")
	}
	for _, m := range signatureErrors {
		if errors.Is(err, m.err) {
			return apiError{m.status, ErrorBody{m.code, msg}}
		}
	}
	return apiError{http.StatusInternalServerError, ErrorBody{"InternalError", "imgcdn could not complete the request; see the control plane's log"}}
}

type errorMapping struct {
	err    error
	status int
	code   string
}

// signatureErrors are the codes of the common AWS errors (CommonErrors.html), as cfapi,
// syncapi and originsapi answer them.
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
}

// writeJSON writes v as the answer's JSON body; never cached (it may hold a secret).
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
