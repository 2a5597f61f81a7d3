package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Defaults of Verifier's zero fields.
const (
	// DefaultMaxSkew is S3's allowed clock difference for header-signed requests
	// (RequestTimeTooSkewed beyond 15 minutes).
	DefaultMaxSkew = 15 * time.Minute
	// DefaultMaxHashedBody bounds the body Verify buffers to compute a payload hash that the
	// request does not declare (CloudFront API calls send no X-Amz-Content-Sha256).
	DefaultMaxHashedBody = 1 << 20
	// MaxPresignExpires is the longest X-Amz-Expires S3 accepts: seven days.
	MaxPresignExpires = 7 * 24 * 60 * 60
)

const (
	amzDateFormat = "20060102T150405Z"
	headerAmzDate = "X-Amz-Date"
)

// Verifier checks SigV4 signatures. Its zero value plus Secret is ready to use; it is safe for
// concurrent use and must not be copied after first use (it holds the signing-key cache).
type Verifier struct {
	// Secret returns the secret key for an access key id. Required.
	Secret func(accessKey string) (secret string, ok bool)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxSkew is the largest accepted difference between the request time and now for
	// header-signed requests, and how far in the future a presigned URL's X-Amz-Date may
	// lie. 0 means DefaultMaxSkew (15 minutes, as S3).
	MaxSkew time.Duration
	// MaxHashedBody bounds the body Verify reads when it must hash the payload itself
	// (services other than S3 declare no X-Amz-Content-Sha256). 0 means DefaultMaxHashedBody.
	MaxHashedBody int64
	// VirtualHostBucket returns the bucket a virtual-hosted-style request names in its Host
	// ("" for path-style). Only Signature Version 2 needs it: its CanonicalizedResource
	// starts with "/bucket" even when the bucket is in the Host. nil means path-style only.
	VirtualHostBucket func(r *http.Request) string

	keys keyCache
}

// Validate reports a Verifier that cannot work.
func (v *Verifier) Validate() error {
	if v.Secret == nil {
		return errors.New("sigv4: Verifier.Secret is required")
	}
	if v.MaxSkew < 0 || v.MaxHashedBody < 0 {
		return errors.New("sigv4: Verifier.MaxSkew and MaxHashedBody must not be negative")
	}
	return nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew > 0 {
		return v.MaxSkew
	}
	return DefaultMaxSkew
}

// Auth is a verified request's identity.
type Auth struct {
	// Anonymous is true when the request has no Authorization header and no X-Amz-Algorithm
	// query parameter: verification was skipped and the caller decides.
	Anonymous bool
	// AccessKey, Region and Service come from the verified credential scope.
	AccessKey, Region, Service string
	// Time is the signed request time (X-Amz-Date or Date); for a Signature Version 2
	// presigned URL, which carries no request time, it is the signed expiry (Expires).
	Time time.Time
	// Presigned is true for query-string (presigned URL) authentication.
	Presigned bool
	// Payload is how the body is protected; Body enforces it.
	Payload PayloadMode
	// SignatureVersion is 4, or 2 for the legacy S3 scheme (aws CLI v1 presigned URLs;
	// Region is then empty and the payload unsigned); 0 for anonymous requests.
	SignatureVersion int

	digest     []byte   // PayloadSHA256: the signed digest
	key        [32]byte // signing key, for chunk and trailer signatures
	seed       string   // hex seed signature, the first "previous signature" of a chunk chain
	scope      string
	amzDate    string
	payloadErr error // anonymous requests: why Body must refuse the payload
}

// Verify checks the header or query signature of r. It does not read the body, except to
// hash a payload the request does not declare (non-S3 services; see MaxHashedBody), in which
// case r.Body is replaced by the buffered copy. Anonymous requests return
// &Auth{Anonymous: true}, nil: the caller decides whether to allow them. Errors wrap this
// package's sentinels.
func (v *Verifier) Verify(r *http.Request) (*Auth, error) {
	if v.Secret == nil {
		return nil, errors.New("sigv4: Verifier.Secret is required")
	}
	authz := r.Header.Get("Authorization")
	var query url.Values
	if strings.Contains(r.URL.RawQuery, qAlgorithm) {
		query, _ = url.ParseQuery(r.URL.RawQuery) // a bad pair elsewhere must not hide the rest
	}
	if strings.Contains(r.URL.RawQuery, v2QueryAccessKey) || strings.Contains(r.URL.RawQuery, v2QuerySignature) {
		query, _ = url.ParseQuery(r.URL.RawQuery)
	}
	presign := query.Get(qAlgorithm) != ""
	presignV2 := !presign && isV2Query(query)
	switch {
	case authz != "" && (presign || presignV2):
		return nil, ErrMultipleAuthMechanisms
	case presign:
		return v.verifyQuery(r, query)
	case presignV2:
		return v.verifyV2Query(r, query)
	case strings.HasPrefix(authz, "AWS "):
		return v.verifyV2Header(r, authz)
	case authz != "":
		return v.verifyHeader(r, authz)
	}
	return anonymous(r), nil
}

// anonymous classifies the payload of an unsigned request, so that a declared SHA-256 or an
// unsigned-trailer body is still checked and decoded (minio-go sends anonymous uploads as
// STREAMING-UNSIGNED-PAYLOAD-TRAILER); the signed streaming modes cannot be verified.
func anonymous(r *http.Request) *Auth {
	a := &Auth{Anonymous: true}
	h := r.Header.Get(headerContentSHA256)
	if h == "" {
		return a
	}
	mode, digest, err := parsePayload(h)
	switch {
	case err != nil:
		a.payloadErr = err
	case mode == PayloadStreamingSigned || mode == PayloadStreamingSignedTrailer:
		a.payloadErr = fmt.Errorf("%w: %s needs a signed request (Authorization header)", ErrMissingSecurityHeader, h)
	default:
		a.Payload, a.digest = mode, digest
	}
	return a
}

func (v *Verifier) verifyHeader(r *http.Request, authz string) (*Auth, error) {
	a, err := parseAuthorization(authz)
	if err != nil {
		return nil, err
	}
	t, amzDate, dateHeader, err := headerTime(r)
	if err != nil {
		return nil, err
	}
	if !a.signs(dateHeader) {
		return nil, fmt.Errorf("%w: SignedHeaders must include %s", ErrAuthorizationHeaderMalformed, dateHeader)
	}
	if a.cred.date != amzDate[:8] {
		return nil, fmt.Errorf("%w: invalid credential date %q; it is not the same as the request date %q", ErrAuthorizationHeaderMalformed, a.cred.date, amzDate[:8])
	}
	secret, ok := v.Secret(a.cred.accessKey)
	if !ok {
		return nil, ErrInvalidAccessKeyID
	}
	now := v.now()
	if d := now.Sub(t); d > v.maxSkew() || -d > v.maxSkew() {
		return nil, &TimeSkewError{RequestTime: t, ServerTime: now, MaxSkew: v.maxSkew()}
	}
	s3 := a.cred.service == "s3"
	payloadHash := r.Header.Get(headerContentSHA256)
	var mode PayloadMode
	var digest []byte
	if payloadHash == "" {
		if s3 {
			return nil, ErrMissingContentSHA256
		}
		if digest, err = v.hashBody(r); err != nil {
			return nil, err
		}
		mode, payloadHash = PayloadSHA256, hex.EncodeToString(digest)
	} else if mode, digest, err = parsePayload(payloadHash); err != nil {
		return nil, err
	}
	if err := a.checkUnsignedHeaders(r, false); err != nil {
		return nil, err
	}
	key := v.keys.get(secret, a.cred)
	if err := a.checkSignature(r, key, amzDate, payloadHash, s3, ""); err != nil {
		return nil, err
	}
	return a.auth(t, amzDate, key, mode, digest, false), nil
}

func (v *Verifier) verifyQuery(r *http.Request, q url.Values) (*Auth, error) {
	p, err := parsePresigned(q)
	if err != nil {
		return nil, err
	}
	t, err := time.Parse(amzDateFormat, p.amzDate)
	if err != nil {
		return nil, fmt.Errorf("%w: X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"", ErrAuthorizationQueryParametersError)
	}
	if p.cred.date != p.amzDate[:8] {
		return nil, fmt.Errorf("%w: invalid credential date %q; it is not the same as X-Amz-Date %q", ErrAuthorizationQueryParametersError, p.cred.date, p.amzDate[:8])
	}
	expires, err := strconv.ParseInt(p.expires, 10, 64)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: X-Amz-Expires should be a number", ErrAuthorizationQueryParametersError)
	case expires < 1:
		return nil, fmt.Errorf("%w: X-Amz-Expires must be a positive number of seconds", ErrAuthorizationQueryParametersError)
	case expires > MaxPresignExpires:
		return nil, fmt.Errorf("%w: X-Amz-Expires must be less than a week (in seconds) that is 604800", ErrAuthorizationQueryParametersError)
	}
	secret, ok := v.Secret(p.cred.accessKey)
	if !ok {
		return nil, ErrInvalidAccessKeyID
	}
	now := v.now()
	if end := t.Add(time.Duration(expires) * time.Second); now.After(end) {
		return nil, &RequestExpiredError{ExpiresSeconds: expires, Expires: end, ServerTime: now}
	}
	if t.After(now.Add(v.maxSkew())) {
		return nil, ErrRequestNotYetValid
	}
	s3 := p.cred.service == "s3"
	mode, digest, payloadHash := PayloadUnsigned, []byte(nil), unsignedPayload
	switch {
	case p.payload != "":
		payloadHash = p.payload
		if mode, digest, err = parsePayload(p.payload); err != nil {
			return nil, err
		}
	case !s3:
		if digest, err = v.hashBody(r); err != nil {
			return nil, err
		}
		mode, payloadHash = PayloadSHA256, hex.EncodeToString(digest)
	}
	if err := p.checkUnsignedHeaders(r, true); err != nil {
		return nil, err
	}
	key := v.keys.get(secret, p.cred)
	if err := p.checkSignature(r, key, p.amzDate, payloadHash, s3, qSignature); err != nil {
		return nil, err
	}
	return p.auth(t, p.amzDate, key, mode, digest, true), nil
}

func (a *authorization) auth(t time.Time, amzDate string, key [32]byte, mode PayloadMode, digest []byte, presigned bool) *Auth {
	return &Auth{
		AccessKey: a.cred.accessKey, Region: a.cred.region, Service: a.cred.service,
		Time: t, Presigned: presigned, Payload: mode, SignatureVersion: 4,
		digest: digest, key: key, seed: a.signatureHex, scope: a.cred.scope(), amzDate: amzDate,
	}
}

// headerTime returns the request time from X-Amz-Date, else from Date (RFC 7231 formats),
// with its ISO 8601 basic form used in the string to sign and the header's lower-case name.
func headerTime(r *http.Request) (t time.Time, amzDate, name string, err error) {
	if v := r.Header.Get(headerAmzDate); v != "" {
		t, err = time.Parse(amzDateFormat, v)
		if err != nil {
			return time.Time{}, "", "", ErrMissingDate
		}
		return t, v, "x-amz-date", nil
	}
	if v := r.Header.Get("Date"); v != "" {
		t, err = parseHTTPDate(v)
		if err != nil {
			return time.Time{}, "", "", ErrMissingDate
		}
		t = t.UTC()
		return t, t.Format(amzDateFormat), "date", nil
	}
	return time.Time{}, "", "", ErrMissingDate
}

func (a *authorization) signs(name string) bool {
	for _, n := range a.headerNames {
		if n == name {
			return true
		}
	}
	return false
}

// checkUnsignedHeaders refuses x-amz-* headers that are not signed, as S3 does, so nobody can
// add metadata, ACLs or copy sources to a signed request or a presigned URL. A presigned URL
// signs no payload header, so a stray X-Amz-Content-Sha256 there is ignored, not refused.
func (a *authorization) checkUnsignedHeaders(r *http.Request, presigned bool) error {
	var bad []string
	for k := range r.Header {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, "x-amz-") || a.signs(lk) {
			continue
		}
		if presigned && lk == "x-amz-content-sha256" {
			continue
		}
		bad = append(bad, lk)
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return &UnsignedHeadersError{Headers: bad}
}

// checkSignature computes the canonical request and string to sign
// (create-signed-request.html) for each canonical-form candidate and compares in constant
// time. On mismatch the error describes the normative candidate, as S3's XML does.
func (a *authorization) checkSignature(r *http.Request, key [32]byte, amzDate, payloadHash string, s3 bool, skipQuery string) error {
	headers := canonicalHeaders(r, a.headerNames)
	signed := strings.Join(a.headerNames, ";")
	scope := a.cred.scope()
	var first *SignatureMismatchError
	for _, uri := range canonicalURIs(r, s3) {
		for _, query := range canonicalQueries(r.URL.RawQuery, skipQuery) {
			creq := r.Method + "\n" + uri + "\n" + query + "\n" + headers + "\n" + signed + "\n" + payloadHash
			sum := sha256.Sum256([]byte(creq))
			sts := algorithmHMAC + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
			m := hmac.New(sha256.New, key[:])
			m.Write([]byte(sts))
			if hmac.Equal(m.Sum(nil), a.signature[:]) {
				return nil
			}
			if first == nil {
				first = &SignatureMismatchError{AccessKey: a.cred.accessKey, SignatureProvided: a.signatureHex, StringToSign: sts, CanonicalRequest: creq}
			}
		}
	}
	return first
}

// hashBody reads a body whose hash the client did not declare, bounded by MaxHashedBody,
// and puts the buffered copy back on r.
func (v *Verifier) hashBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		sum := sha256.Sum256(nil)
		return sum[:], nil
	}
	limit := v.MaxHashedBody
	if limit <= 0 {
		limit = DefaultMaxHashedBody
	}
	buf, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("sigv4: reading the body to hash it: %w", err)
	}
	if int64(len(buf)) > limit {
		return nil, fmt.Errorf("%w: over %d bytes", ErrBodyTooLarge, limit)
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{bytes.NewReader(buf), r.Body}
	sum := sha256.Sum256(buf)
	return sum[:], nil
}

// parseHTTPDate accepts the HTTP date formats (RFC 9110 IMF-fixdate, RFC 850, asctime) and
// RFC 1123 with a numeric zone, which the S3 documentation's examples use
// ("Tue, 27 Mar 2007 19:36:42 +0000").
func parseHTTPDate(v string) (time.Time, error) {
	if t, err := http.ParseTime(v); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.RFC1123Z, v)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}
