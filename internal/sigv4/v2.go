package sigv4

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Signature Version 2 (S3 API reference, RESTAuthentication.html). It is verified because the
// aws CLI v1 (botocore's HmacV1QueryAuth) still presigns S3 URLs with it: `aws s3 presign`
// prints ...?AWSAccessKeyId=..&Signature=..&Expires=.. unless s3.signature_version is s3v4.
//
//	StringToSign = VERB \n Content-MD5 \n Content-Type \n Date|Expires \n
//	               CanonicalizedAmzHeaders CanonicalizedResource

const (
	v2QueryAccessKey = "AWSAccessKeyId"
	v2QuerySignature = "Signature"
	v2QueryExpires   = "Expires"
)

// v2SubResources are the query parameters that are part of the CanonicalizedResource: the
// documented sub-resources and response overrides, plus those botocore (HmacV1Auth
// QSAOfInterest) and minio-go (resourceList) sign.
var v2SubResources = map[string]bool{
	"accelerate": true, "acl": true, "analytics": true, "cors": true, "defaultObjectAcl": true,
	"delete": true, "encryption": true, "inventory": true, "legal-hold": true, "lifecycle": true,
	"location": true, "logging": true, "metrics": true, "notification": true, "object-lock": true,
	"partNumber": true, "policy": true, "replication": true, "requestPayment": true,
	"response-cache-control": true, "response-content-disposition": true,
	"response-content-encoding": true, "response-content-language": true,
	"response-content-type": true, "response-expires": true, "restore": true, "retention": true,
	"select": true, "select-type": true, "storageClass": true, "tagging": true, "torrent": true,
	"uploadId": true, "uploads": true, "versionId": true, "versioning": true, "versions": true,
	"website": true,
}

func isV2Query(q url.Values) bool {
	return q.Has(v2QueryAccessKey) || q.Has(v2QuerySignature)
}

// v2DateVariant is one way of signing the request time: the Date line, and whether
// x-amz-date is left out of the amz headers.
type v2DateVariant struct {
	line        string
	dropAmzDate bool
}

// verifyV2Header checks "Authorization: AWS <access key>:<base64 signature>".
func (v *Verifier) verifyV2Header(r *http.Request, authz string) (*Auth, error) {
	cred, ok := strings.CutPrefix(authz, "AWS ")
	ak, sig, ok2 := strings.Cut(strings.TrimSpace(cred), ":")
	if !ok || !ok2 || ak == "" || sig == "" {
		return nil, fmt.Errorf("%w: expecting \"AWS <AccessKeyId>:<Signature>\"", ErrAuthorizationHeaderMalformed)
	}
	// With x-amz-date the documentation's rule is an empty Date line and x-amz-date among the
	// amz headers, but its own example puts the x-amz-date value on the Date line instead,
	// and botocore and minio-go sign Date there with x-amz-date among the amz headers; all
	// three sign the same values, so all three verify.
	date, amzDate := r.Header.Get("Date"), r.Header.Get(headerAmzDate)
	variants := []v2DateVariant{{line: date}}
	dateValue := date
	if amzDate != "" {
		dateValue = amzDate
		variants = append(variants, v2DateVariant{line: ""}, v2DateVariant{line: amzDate, dropAmzDate: true})
	}
	t, err := parseHTTPDate(dateValue)
	if err != nil {
		return nil, ErrMissingDate
	}
	secret, ok := v.Secret(ak)
	if !ok {
		return nil, ErrInvalidAccessKeyID
	}
	now := v.now()
	if d := now.Sub(t); d > v.maxSkew() || -d > v.maxSkew() {
		return nil, &TimeSkewError{RequestTime: t, ServerTime: now, MaxSkew: v.maxSkew()}
	}
	if err := v.checkV2(r, nil, ak, secret, sig, variants); err != nil {
		return nil, err
	}
	return &Auth{AccessKey: ak, Service: "s3", Time: t, SignatureVersion: 2}, nil
}

// verifyV2Query checks ?AWSAccessKeyId=..&Signature=..&Expires=<unix seconds>.
func (v *Verifier) verifyV2Query(r *http.Request, q url.Values) (*Auth, error) {
	ak, sig, exp := q.Get(v2QueryAccessKey), q.Get(v2QuerySignature), q.Get(v2QueryExpires)
	if ak == "" || sig == "" || exp == "" {
		return nil, fmt.Errorf("%w: query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters", ErrAuthorizationQueryParametersError)
	}
	expires, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || expires < 0 {
		return nil, fmt.Errorf("%w: Expires must be a number of seconds since the epoch", ErrAuthorizationQueryParametersError)
	}
	secret, ok := v.Secret(ak)
	if !ok {
		return nil, ErrInvalidAccessKeyID
	}
	end, now := time.Unix(expires, 0).UTC(), v.now()
	if now.After(end) {
		return nil, &RequestExpiredError{Expires: end, ServerTime: now}
	}
	// A query value's '+' decodes to a space; in a base64 signature it was a '+'.
	if err := v.checkV2(r, q, ak, secret, strings.ReplaceAll(sig, " ", "+"), []v2DateVariant{{line: exp}}); err != nil {
		return nil, err
	}
	return &Auth{AccessKey: ak, Service: "s3", Time: end, Presigned: true, SignatureVersion: 2}, nil
}

// checkV2 computes the string to sign for each resource candidate and compares HMAC-SHA1
// signatures in constant time. query is nil for header auth; for query auth, botocore moves
// Content-MD5, Content-Type and x-amz-* headers into the query, so they count when the
// request does not carry them as headers.
func (v *Verifier) checkV2(r *http.Request, query url.Values, ak, secret, sig string, dates []v2DateVariant) error {
	want, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(want) != sha1.Size {
		return &SignatureMismatchError{AccessKey: ak, SignatureProvided: sig}
	}
	field := func(name string) string {
		if vs := r.Header.Values(name); len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return strings.TrimSpace(query.Get(strings.ToLower(name)))
	}
	prefix := r.Method + "\n" + field("Content-MD5") + "\n" + field("Content-Type") + "\n"
	bucket := ""
	if v.VirtualHostBucket != nil {
		if b := v.VirtualHostBucket(r); b != "" {
			bucket = "/" + b
		}
	}
	var first *SignatureMismatchError
	for _, d := range dates {
		head := prefix + d.line + "\n" + v2AmzHeaders(r.Header, query, d.dropAmzDate)
		for _, path := range v2Paths(r) {
			for _, sub := range v2SubResourceStrings(r.URL.RawQuery) {
				sts := head + bucket + path + sub
				m := hmac.New(sha1.New, []byte(secret))
				m.Write([]byte(sts))
				if hmac.Equal(m.Sum(nil), want) {
					return nil
				}
				if first == nil {
					first = &SignatureMismatchError{AccessKey: ak, SignatureProvided: sig, StringToSign: sts}
				}
			}
		}
	}
	return first
}

// v2Paths: S3 signs the path as sent (the documentation's example keeps "pr%c3%a9f%c3%a8re"
// in lower case); the UriEncoded form is the fallback for clients that normalise.
func v2Paths(r *http.Request) []string {
	raw := rawPath(r)
	decoded := r.URL.Path
	if decoded == "" {
		decoded = "/"
	}
	return dedupe(raw, uriEncode(decoded, true))
}

// v2AmzHeaders renders CanonicalizedAmzHeaders: x-amz-* names lower-cased and sorted, values
// trimmed and joined with ',', one "name:value\n" each. Unlike SigV4, inner runs of spaces are
// kept (RESTAuthentication.html only unfolds line continuations; botocore and minio-go keep
// them).
func v2AmzHeaders(h http.Header, query url.Values, dropAmzDate bool) string {
	vals := map[string][]string{}
	for k, vs := range h {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-amz-") && !(dropAmzDate && lk == "x-amz-date") {
			vals[lk] = append(vals[lk], vs...)
		}
	}
	for k, vs := range query {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-amz-") && len(h.Values(k)) == 0 && vals[lk] == nil {
			vals[lk] = vs
		}
	}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k)
		b.WriteByte(':')
		for i, v := range vals[k] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.TrimSpace(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// v2SubResourceStrings renders the sub-resources of the query, sorted by name, values
// decoded: botocore keeps "name=" for an empty value written with '=', minio-go writes the
// bare name, so both forms are candidates.
func v2SubResourceStrings(rawQuery string) []string {
	type kv struct {
		k, v  string
		hasEq bool
	}
	var subs []kv
	for _, p := range strings.Split(rawQuery, "&") {
		k, val, hasEq := strings.Cut(p, "=")
		if k = queryUnescape(k); v2SubResources[k] {
			subs = append(subs, kv{k, queryUnescape(val), hasEq})
		}
	}
	if len(subs) == 0 {
		return []string{""}
	}
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].k < subs[j].k })
	render := func(keepEq bool) string {
		var b strings.Builder
		for i, s := range subs {
			b.WriteByte("?&"[min(i, 1)])
			b.WriteString(s.k)
			if s.v != "" || (keepEq && s.hasEq) {
				b.WriteByte('=')
				b.WriteString(s.v)
			}
		}
		return b.String()
	}
	return dedupe(render(true), render(false))
}
