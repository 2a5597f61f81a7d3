package sigv4

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Algorithm names (sig-v4-header-based-auth.html; SigV4a is sigv4a-signing in the IAM guide).
const (
	algorithmHMAC  = "AWS4-HMAC-SHA256"
	algorithmECDSA = "AWS4-ECDSA-P256-SHA256"
	scopeTerminal  = "aws4_request"
)

// Query parameter names of a presigned URL (sigv4-query-string-auth.html).
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qDate          = "X-Amz-Date"
	qExpires       = "X-Amz-Expires"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qSignature     = "X-Amz-Signature"
	qContentSHA256 = "X-Amz-Content-Sha256"
)

// credential is the Credential component: <access key>/<yyyymmdd>/<region>/<service>/aws4_request.
type credential struct {
	accessKey, date, region, service string
}

func (c credential) scope() string {
	return c.date + "/" + c.region + "/" + c.service + "/" + scopeTerminal
}

// parseCredential splits from the right, so the scope is always the last four components;
// an access key id never contains '/' in practice, but a stray one then fails lookup
// (InvalidAccessKeyId) instead of shifting the scope.
func parseCredential(s string) (credential, bool) {
	parts := strings.Split(s, "/")
	n := len(parts)
	if n < 5 || parts[n-1] != scopeTerminal {
		return credential{}, false
	}
	c := credential{
		accessKey: strings.Join(parts[:n-4], "/"),
		date:      parts[n-4],
		region:    parts[n-3],
		service:   parts[n-2],
	}
	if c.accessKey == "" || c.region == "" || c.service == "" || !isDigits(c.date, 8) {
		return credential{}, false
	}
	return c, true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// authorization is a parsed SigV4 Authorization header or presigned query.
type authorization struct {
	cred          credential
	signedHeaders string   // as sent: it is part of the canonical request verbatim
	headerNames   []string // signedHeaders split, lower-cased
	signature     [32]byte
	signatureHex  string
}

// parseAuthorization parses
//
//	AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=<64 hex>
//
// Components are separated by commas with optional spaces (sig-v4-header-based-auth.html);
// each must appear exactly once.
func parseAuthorization(v string) (authorization, error) {
	alg, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
	switch alg {
	case algorithmHMAC:
	case algorithmECDSA:
		return authorization{}, fmt.Errorf("%w: %s (SigV4a) is not supported; sign with %s", ErrUnsupportedAlgorithm, alg, algorithmHMAC)
	default:
		return authorization{}, fmt.Errorf("%w: unsupported authorization type %q", ErrUnsupportedAlgorithm, alg)
	}
	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	for _, field := range strings.Split(rest, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		k, val, ok := strings.Cut(field, "=")
		if !ok {
			return authorization{}, fmt.Errorf("%w: component %q is not key=value", ErrAuthorizationHeaderMalformed, field)
		}
		var dst *string
		var seen *bool
		switch k {
		case "Credential":
			dst, seen = &cred, &haveCred
		case "SignedHeaders":
			dst, seen = &signed, &haveSigned
		case "Signature":
			dst, seen = &sig, &haveSig
		default:
			return authorization{}, fmt.Errorf("%w: unknown component %q", ErrAuthorizationHeaderMalformed, k)
		}
		if *seen {
			return authorization{}, fmt.Errorf("%w: duplicate component %q", ErrAuthorizationHeaderMalformed, k)
		}
		*dst, *seen = val, true
	}
	if !haveCred || !haveSigned || !haveSig {
		return authorization{}, fmt.Errorf("%w: expecting Credential, SignedHeaders and Signature", ErrAuthorizationHeaderMalformed)
	}
	return buildAuthorization(cred, signed, sig, ErrAuthorizationHeaderMalformed)
}

// buildAuthorization validates the three components shared by header and query auth;
// malformed is the sentinel to wrap (header or query flavour).
func buildAuthorization(cred, signed, sig string, malformed error) (authorization, error) {
	c, ok := parseCredential(cred)
	if !ok {
		return authorization{}, fmt.Errorf("%w: the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"", malformed)
	}
	a := authorization{cred: c, signedHeaders: signed, signatureHex: sig}
	if signed == "" {
		return authorization{}, fmt.Errorf("%w: SignedHeaders is empty", malformed)
	}
	hasHost := false
	for _, name := range strings.Split(signed, ";") {
		if name == "" || strings.ContainsAny(name, " \t:") {
			return authorization{}, fmt.Errorf("%w: bad SignedHeaders entry %q", malformed, name)
		}
		name = strings.ToLower(name)
		hasHost = hasHost || name == "host"
		a.headerNames = append(a.headerNames, name)
	}
	if !hasHost {
		return authorization{}, fmt.Errorf("%w: SignedHeaders must include host", malformed)
	}
	if len(sig) != 64 {
		return authorization{}, fmt.Errorf("%w: the Signature must be 64 hexadecimal characters", malformed)
	}
	if _, err := hex.Decode(a.signature[:], []byte(sig)); err != nil {
		return authorization{}, fmt.Errorf("%w: the Signature must be 64 hexadecimal characters", malformed)
	}
	return a, nil
}

// presigned is the parsed X-Amz-* query of a presigned URL.
type presigned struct {
	authorization
	amzDate string
	expires string
	payload string // X-Amz-Content-Sha256, "" when absent
}

// parsePresigned reads the presign parameters; all of X-Amz-Algorithm, -Credential, -Date,
// -Expires, -SignedHeaders and -Signature are required (sigv4-query-string-auth.html).
func parsePresigned(q url.Values) (presigned, error) {
	switch alg := q.Get(qAlgorithm); alg {
	case algorithmHMAC:
	case algorithmECDSA:
		return presigned{}, fmt.Errorf("%w: %s (SigV4a) is not supported; sign with %s", ErrUnsupportedAlgorithm, alg, algorithmHMAC)
	default:
		return presigned{}, fmt.Errorf("%w: X-Amz-Algorithm only supports \"%s\"", ErrAuthorizationQueryParametersError, algorithmHMAC)
	}
	for _, k := range []string{qCredential, qDate, qExpires, qSignedHeaders, qSignature} {
		if len(q[k]) != 1 || q[k][0] == "" {
			return presigned{}, fmt.Errorf("%w: query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters (%s missing or repeated)",
				ErrAuthorizationQueryParametersError, k)
		}
	}
	a, err := buildAuthorization(q.Get(qCredential), q.Get(qSignedHeaders), q.Get(qSignature), ErrAuthorizationQueryParametersError)
	if err != nil {
		return presigned{}, err
	}
	return presigned{authorization: a, amzDate: q.Get(qDate), expires: q.Get(qExpires), payload: q.Get(qContentSHA256)}, nil
}

// Service returns the service name of the request's credential scope ("s3", "cloudfront",
// ...), from the Authorization header or the X-Amz-Credential query parameter; "" when the
// request is unsigned or the scope cannot be parsed. It never verifies anything: it is the
// cheap routing decision of the API port (issue 2: the service in the credential scope tells
// S3 from CloudFront requests).
func Service(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		_, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
		for _, field := range strings.Split(rest, ",") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(field), "Credential="); ok {
				c, _ := parseCredential(v)
				return c.service
			}
		}
		return ""
	}
	if !strings.Contains(r.URL.RawQuery, qCredential) {
		return ""
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return ""
	}
	c, _ := parseCredential(q.Get(qCredential))
	return c.service
}
