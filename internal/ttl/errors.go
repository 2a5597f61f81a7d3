package ttl

import (
	"net/http"
	"time"
)

// DefaultErrorCachingMinTTL is how long CloudFront caches an error response when the
// distribution has no CustomErrorResponse for that status: "The amount of time specified by the
// error caching minimum TTL (10 seconds by default)".
const DefaultErrorCachingMinTTL = 10 * time.Second

// DecideError applies CloudFront's error-caching rules ("How CloudFront processes HTTP 4xx and
// 5xx status codes from your origin", section "HTTP 4xx and 5xx status codes that CloudFront
// caches") to an origin response with status >= 400. errorCachingMinTTL is the
// ErrorCachingMinTTL of the distribution's CustomErrorResponse for status, or nil for the
// 10-second default.
//
//   - 404, 405, 414, 500, 501, 502, 503 and 504 are always cached ("CloudFront always caches the
//     following HTTP 4xx and 5xx status codes"), except a 4xx "restricted by a cache control
//     header" (no-store, no-cache or private);
//   - 400, 403, 412 and 415 are cached "only ... if your origin returns a Cache-Control max-age
//     or Cache-Control s-maxage header";
//   - in both cases for "the maximum of" the error caching minimum TTL and the max-age or
//     s-maxage "returned by the origin when the first request generated the error";
//   - 416 is never cached ("CloudFront doesn't cache status code 416 responses, so even if you
//     specify a value for Error Caching Minimum TTL for status code 416, CloudFront doesn't use
//     it"), nor is any other status.
//
// A resulting TTL of 0 (ErrorCachingMinTTL set to 0 and no max-age) means not cached.
func DecideError(status int, respHeader http.Header, errorCachingMinTTL *time.Duration) Decision {
	minTTL := DefaultErrorCachingMinTTL
	if errorCachingMinTTL != nil {
		minTTL = max(*errorCachingMinTTL, 0)
	}
	cc := parseCacheControl(respHeader)
	var originTTL time.Duration
	hasOriginTTL := cc.hasSMaxAge || cc.hasMaxAge
	if cc.hasSMaxAge {
		originTTL = cc.sMaxAge
	} else if cc.hasMaxAge {
		originTTL = cc.maxAge
	}
	restricted := cc.noStore || cc.noCache || cc.private
	switch status {
	case 404, 405, 414:
		if restricted {
			return Decision{}
		}
	case 500, 501, 502, 503, 504:
	case 400, 403, 412, 415:
		if restricted || !hasOriginTTL {
			return Decision{}
		}
	default:
		return Decision{}
	}
	ttl := max(minTTL, originTTL)
	if ttl <= 0 {
		return Decision{}
	}
	return Decision{Cacheable: true, TTL: ttl}
}

// ErrorTTL is how long CloudFront caches an error status when the origin sends no Cache-Control
// at all: the error caching minimum TTL (10 seconds when errorCachingMinTTL is nil) for the
// statuses CloudFront always caches, and false for every other status (DecideError has the
// rules, including the statuses cached only with max-age or s-maxage).
func ErrorTTL(status int, errorCachingMinTTL *time.Duration) (time.Duration, bool) {
	d := DecideError(status, nil, errorCachingMinTTL)
	return d.TTL, d.Cacheable
}
