// Package precond evaluates HTTP conditional request headers (If-Match, If-None-Match,
// If-Modified-Since, If-Unmodified-Since) and S3's x-amz-copy-source-if-* variants against an
// object's ETag and Last-Modified time.
//
// It is a pure, stdlib-only leaf: callers look the object up first (a missing object is a 404
// before any precondition is considered, RFC 9110 §13.2.1) and map the Result to a status code
// and an S3 error themselves.
package precond

import (
	"net/http"
	"time"
)

// Result is the outcome of evaluating a request's preconditions.
type Result int

const (
	// Proceed means every present precondition passed (or none was present): serve the request.
	Proceed Result = iota
	// NotModified means a GET/HEAD should answer 304 Not Modified with no body.
	NotModified
	// PreconditionFailed means the request should answer 412 Precondition Failed
	// (S3 error code PreconditionFailed).
	PreconditionFailed
)

// String returns the result's name, for logs and test failures.
func (r Result) String() string {
	switch r {
	case Proceed:
		return "Proceed"
	case NotModified:
		return "NotModified"
	case PreconditionFailed:
		return "PreconditionFailed"
	}
	return "Result(?)"
}

// fields names the four conditional headers of one flavour (plain HTTP or S3 copy-source) and
// what a false If-None-Match / If-Modified-Since turns into.
type fields struct {
	ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince string
	// notModified is the result of a false If-None-Match or If-Modified-Since: 304 for a
	// GET/HEAD, 412 for S3's copy-source conditions.
	notModified Result
}

var (
	// httpFields are the RFC 9110 §13.1 request headers, as used by S3 GetObject and HeadObject.
	httpFields = fields{
		ifMatch:           "If-Match",
		ifUnmodifiedSince: "If-Unmodified-Since",
		ifNoneMatch:       "If-None-Match",
		ifModifiedSince:   "If-Modified-Since",
		notModified:       NotModified,
	}
	// copyFields are S3's CopyObject / UploadPartCopy source conditions. AWS documents every
	// failure of these as 412 PreconditionFailed, including the If-None-Match and
	// If-Modified-Since ones that are 304 on a GET.
	copyFields = fields{
		ifMatch:           "X-Amz-Copy-Source-If-Match",
		ifUnmodifiedSince: "X-Amz-Copy-Source-If-Unmodified-Since",
		ifNoneMatch:       "X-Amz-Copy-Source-If-None-Match",
		ifModifiedSince:   "X-Amz-Copy-Source-If-Modified-Since",
		notModified:       PreconditionFailed,
	}
)

// Evaluate applies the conditional headers of a GET or HEAD request to the selected object,
// whose current entity-tag is etag (quoted or not) and whose modification time is lastModified
// (compared at one-second granularity, the precision of an HTTP-date; the zero time means
// "unknown" and disables the date conditions).
//
// The order is RFC 9110 §13.2.2:
//
//  1. If-Match present: false -> 412. Otherwise, If-Unmodified-Since present: false -> 412.
//  2. If-None-Match present: false -> 304. Otherwise, If-Modified-Since present: false -> 304.
//
// Because a present If-Match makes If-Unmodified-Since irrelevant and a present If-None-Match
// makes If-Modified-Since irrelevant, this order yields exactly the combinations the S3
// GetObject/HeadObject reference documents: "If-Match evaluates to true, and If-Unmodified-Since
// evaluates to false; then, S3 returns 200 OK", and "If-None-Match evaluates to false, and
// If-Modified-Since evaluates to true; then, S3 returns 304 Not Modified".
//
// If-Match uses the strong comparison and If-None-Match the weak one (RFC 9110 §8.8.3.2).
// A date that is not a valid HTTP-date in any of the three formats of RFC 9110 §5.6.7, or a
// date header sent more than once, is ignored (RFC 9110 §13.1.3, §13.1.4).
func Evaluate(h http.Header, etag string, lastModified time.Time) Result {
	return evaluate(h, httpFields, etag, lastModified)
}

// EvaluateCopySource applies S3's x-amz-copy-source-if-match, -if-unmodified-since,
// -if-none-match and -if-modified-since headers to the copy source of a CopyObject or
// UploadPartCopy request, in the same order as Evaluate. Every failure is PreconditionFailed:
// the CopyObject reference documents that with x-amz-copy-source-if-none-match false and
// x-amz-copy-source-if-modified-since true "Amazon S3 returns the 412 Precondition Failed
// response code", and with x-amz-copy-source-if-match true and
// x-amz-copy-source-if-unmodified-since false it "returns 200 OK and copies the data".
func EvaluateCopySource(h http.Header, etag string, lastModified time.Time) Result {
	return evaluate(h, copyFields, etag, lastModified)
}

func evaluate(h http.Header, f fields, etag string, lastModified time.Time) Result {
	current := parseCurrent(etag)

	// RFC 9110 §13.2.2 steps 1 and 2.
	if v, ok := listValue(h, f.ifMatch); ok {
		if !matchAny(v, current, strongMatch) {
			return PreconditionFailed
		}
	} else if d, ok := dateValue(h, f.ifUnmodifiedSince); ok && !lastModified.IsZero() {
		if modifiedAfter(lastModified, d) {
			return PreconditionFailed
		}
	}

	// Steps 3 and 4. Step 4 applies to GET and HEAD only; Evaluate is only used for those, and
	// S3 defines the copy-source variant for CopyObject and UploadPartCopy explicitly.
	if v, ok := listValue(h, f.ifNoneMatch); ok {
		if matchAny(v, current, weakMatch) {
			return f.notModified
		}
	} else if d, ok := dateValue(h, f.ifModifiedSince); ok && !lastModified.IsZero() {
		if !modifiedAfter(lastModified, d) {
			return f.notModified
		}
	}
	return Proceed
}
