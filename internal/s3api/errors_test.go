package s3api

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/checksum"
	"github.com/imgcdn/imgcdn/internal/httprange"
	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// TestErrorMapping checks the one mapping from domain, signature and checksum errors to S3
// codes and statuses, including wrapped errors as the packages return them.
func TestErrorMapping(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("context: %w", err) }
	tests := []struct {
		err    error
		code   string
		status int
	}{
		{objstore.ErrNoSuchBucket, "NoSuchBucket", 404},
		{wrap(objstore.ErrNoSuchKey), "NoSuchKey", 404},
		{objstore.ErrNoSuchVersion, "NoSuchVersion", 404},
		{objstore.ErrNoSuchUpload, "NoSuchUpload", 404},
		{objstore.ErrBucketExists, "BucketAlreadyOwnedByYou", 409},
		{objstore.ErrBucketNotEmpty, "BucketNotEmpty", 409},
		{objstore.ErrInvalidPart, "InvalidPart", 400},
		{objstore.ErrInvalidPartOrder, "InvalidPartOrder", 400},
		{objstore.ErrInvalidPartNumber, "InvalidArgument", 400},
		{objstore.ErrEntityTooSmall, "EntityTooSmall", 400},
		{objstore.ErrEntityTooLarge, "EntityTooLarge", 400},
		{objstore.ErrIncompleteBody, "IncompleteBody", 400},
		{objstore.ErrBadDigest, "BadDigest", 400},
		{wrap(objstore.ErrPreconditionFailed), "PreconditionFailed", 412},
		{objstore.ErrConditionalConflict, "ConditionalRequestConflict", 409},
		{objstore.ErrKeyTooLong, "KeyTooLongError", 400},
		{objstore.ErrInvalidKey, "InvalidArgument", 400},
		{objstore.ErrInvalidBucketName, "InvalidBucketName", 400},
		{objstore.ErrInvalidRange, "InvalidRange", 416},
		{httprange.ErrUnsatisfiable, "InvalidRange", 416},
		{httprange.ErrCopyRangeSyntax, "InvalidArgument", 400},
		{objstore.ErrClosed, "ServiceUnavailable", 503},
		{&sigv4.SignatureMismatchError{StringToSign: "s"}, "SignatureDoesNotMatch", 403},
		{sigv4.ErrSignatureDoesNotMatch, "SignatureDoesNotMatch", 403},
		{sigv4.ErrInvalidAccessKeyID, "InvalidAccessKeyId", 403},
		{&sigv4.TimeSkewError{RequestTime: time.Unix(0, 0), ServerTime: time.Unix(3600, 0), MaxSkew: 15 * time.Minute}, "RequestTimeTooSkewed", 403},
		{&sigv4.RequestExpiredError{ExpiresSeconds: 60}, "AccessDenied", 403},
		{sigv4.ErrRequestNotYetValid, "AccessDenied", 403},
		{sigv4.ErrMissingDate, "AccessDenied", 403},
		{&sigv4.UnsignedHeadersError{Headers: []string{"x-amz-meta-a"}}, "AccessDenied", 403},
		{wrap(sigv4.ErrAuthorizationHeaderMalformed), "AuthorizationHeaderMalformed", 400},
		{wrap(sigv4.ErrAuthorizationQueryParametersError), "AuthorizationQueryParametersError", 400},
		{sigv4.ErrMissingContentSHA256, "InvalidRequest", 400},
		{sigv4.ErrInvalidContentSHA256, "InvalidArgument", 400},
		{sigv4.ErrMissingSecurityHeader, "MissingSecurityHeader", 400},
		{sigv4.ErrUnsupportedAlgorithm, "InvalidRequest", 400},
		{sigv4.ErrMultipleAuthMechanisms, "InvalidArgument", 400},
		{&sigv4.ContentSHA256MismatchError{ClientComputed: "a", ServerComputed: "b"}, "XAmzContentSHA256Mismatch", 400},
		{sigv4.ErrMalformedChunk, "InvalidRequest", 400},
		{sigv4.ErrMalformedTrailer, "MalformedTrailerError", 400},
		{sigv4.ErrIncompleteBody, "IncompleteBody", 400},
		{sigv4.ErrBodyTooLarge, "MaxMessageLengthExceeded", 400},
		{&checksum.MismatchError{Algorithm: checksum.CRC32}, "BadDigest", 400},
		{checksum.ErrUnsupportedAlgorithm, "InvalidRequest", 400},
		{checksum.ErrMultipleChecksums, "InvalidRequest", 400},
		{checksum.ErrInvalidValue, "InvalidRequest", 400},
		{checksum.ErrMissingValue, "InvalidRequest", 400},
		{&http.MaxBytesError{Limit: 1}, "MaxMessageLengthExceeded", 400},
		{io.ErrUnexpectedEOF, "IncompleteBody", 400},
		{errors.New("anything else"), "InternalError", 500},
		{newError(codeNotImplemented), "NotImplemented", 501},
	}
	rq := &request{bucket: "b", key: "k", query: map[string][]string{}}
	for _, tc := range tests {
		e := toAPIError(tc.err, rq)
		if e.Code != tc.code || e.Status != tc.status {
			t.Errorf("%v: got %s %d, want %s %d", tc.err, e.Code, e.Status, tc.code, tc.status)
		}
		if e.Message == "" {
			t.Errorf("%v: empty message", tc.err)
		}
	}
	// The cause of an internal error is kept for the log and never sent.
	e := toAPIError(errors.New("disk /var/secret failed"), rq)
	var buf bytes.Buffer
	writeErrorBody(&buf, e, "/b/k", "ID", "host")
	if bytes.Contains(buf.Bytes(), []byte("secret")) || e.Unwrap() == nil {
		t.Errorf("internal cause leaked or lost: %s", buf.Bytes())
	}
}

// TestErrorTable checks every code has a distinct name, a real status and a message.
func TestErrorTable(t *testing.T) {
	seen := map[string]bool{}
	for c := errorCode(0); c < numErrorCodes; c++ {
		s := errorSpecs[c]
		if s.code == "" || s.message == "" || http.StatusText(s.status) == "" {
			t.Errorf("error code %d is incomplete: %+v", c, s)
		}
		if seen[s.code] {
			t.Errorf("duplicate code %s", s.code)
		}
		seen[s.code] = true
	}
}

func TestXMLTextEscaping(t *testing.T) {
	var buf bytes.Buffer
	xmlText(&buf, "a<b>&\"c\nd\re\x00f\xffg😀")
	want := "a&lt;b&gt;&amp;&quot;c\nd&#xD;e\uFFFDf\uFFFDg😀"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	// The result must be well-formed XML that decodes to the text (minus the replaced runes).
	var v struct {
		XMLName xml.Name `xml:"x"`
		Text    string   `xml:",chardata"`
	}
	if err := xml.Unmarshal([]byte("<x>"+buf.String()+"</x>"), &v); err != nil {
		t.Fatal(err)
	}
}

// TestServerErrorsAreLogged checks a 5xx is logged with its cause and request id.
func TestServerErrorsAreLogged(t *testing.T) {
	var logs bytes.Buffer
	e := newTestEnv(t, func(c *Config) {
		c.Logger = newTextLogger(&logs)
		c.Authorizer = AuthorizerFunc(func(context.Context, AuthzRequest) error { return errors.New("policy store offline") })
	})
	resp, body := e.do(http.MethodGet, "/", nil)
	mustError(t, resp, body, http.StatusInternalServerError, "InternalError")
	if !bytes.Contains(logs.Bytes(), []byte("policy store offline")) || !bytes.Contains(logs.Bytes(), []byte(resp.Header.Get("X-Amz-Request-Id"))) {
		t.Errorf("log: %s", logs.Bytes())
	}
	if bytes.Contains(body, []byte("policy store")) {
		t.Errorf("cause sent to the client: %s", body)
	}
}

// TestHandlerPanicIsAnInternalError checks that a panic (here in the authorizer) is answered
// 500 InternalError in S3's format, logged, and does not take the server down.
func TestHandlerPanicIsAnInternalError(t *testing.T) {
	var logs bytes.Buffer
	e := newTestEnv(t, func(c *Config) {
		c.Logger = newTextLogger(&logs)
		c.Authorizer = AuthorizerFunc(func(_ context.Context, req AuthzRequest) error {
			if req.Op == OpHeadBucket {
				panic("authorizer bug")
			}
			return nil
		})
	})
	resp, body := e.do(http.MethodGet, "/", nil)
	mustStatus(t, resp, body, 200)
	resp, body = e.do(http.MethodHead, "/bkt", nil)
	mustError(t, resp, body, http.StatusInternalServerError, "InternalError")
	resp, body = e.do(http.MethodGet, "/", nil)
	mustStatus(t, resp, body, 200)
	if !bytes.Contains(logs.Bytes(), []byte("authorizer bug")) {
		t.Errorf("panic not logged: %s", logs.Bytes())
	}
}
