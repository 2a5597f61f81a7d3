// Package jsonapi is the plumbing shared by imgcdn's own SigV4-signed JSON APIs on the API
// port (syncapi for edges, originsapi and imagesapi for the account root): the error document,
// the failures they all have (errors.go), the mapping of signature errors to AWS's common
// error codes, writing answers, and the client that signs requests as AWS clients do. Each API
// keeps its own routes, authorization and domain error codes; only what would otherwise be
// written three times lives here.
package jsonapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// ErrorBody is the JSON document of every error answer.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// MethodError is a known path asked with a method it does not serve: 405 with Allow.
type MethodError struct{ Allow string }

func (e *MethodError) Error() string { return "this path accepts " + e.Allow + " only" }

// signatureErrors are the codes of AWS's common errors (CommonErrors.html) for what the SigV4
// verifier refuses, as cfapi answers them too.
var signatureErrors = []struct {
	err    error
	status int
	code   string
}{
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

// SignatureError maps an error of the SigV4 verifier to its status and AWS error code; ok is
// false for any other error.
func SignatureError(err error) (status int, code string, ok bool) {
	for _, m := range signatureErrors {
		if errors.Is(err, m.err) {
			return m.status, m.code, true
		}
	}
	return 0, "", false
}

// WriteJSON writes v as the answer's JSON body, never cached (answers may name credentials
// and always describe state that changes).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain data types of imgcdn's packages are marshalled: this cannot happen.
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// WriteError writes an error answer for err, with Allow when err is a MethodError.
func WriteError(w http.ResponseWriter, status int, body ErrorBody, err error) {
	var me *MethodError
	if errors.As(err, &me) {
		w.Header().Set("Allow", me.Allow)
	}
	WriteJSON(w, status, body)
}
