package ttl

import (
	"net/http"
	"time"
)

// Policy is a cache behaviour's (or cache policy's) MinTTL, DefaultTTL and MaxTTL.
type Policy struct {
	// Min is how long an object stays cached at least, whatever the origin says; with Min > 0
	// even no-cache, no-store and private responses are cached, for Min.
	Min time.Duration
	// Default is the TTL when the origin sends neither Cache-Control max-age / s-maxage nor
	// Expires.
	Default time.Duration
	// Max caps the TTL the origin asks for with max-age, s-maxage or Expires. It does not cap
	// Default: "The value that you specify for Maximum TTL applies only when your origin adds
	// HTTP headers such as Cache-Control max-age, Cache-Control s-maxage, or Expires".
	Max time.Duration
}

// Defaults is the policy CloudFront applies when a behaviour leaves the TTLs unset ("Values that
// you specify ...": Minimum TTL 0, Default TTL 86400 seconds, Maximum TTL 31536000 seconds).
func Defaults() Policy {
	return Policy{Min: 0, Default: 24 * time.Hour, Max: 365 * 24 * time.Hour}
}

// Decision says whether and for how long the edge keeps a response.
type Decision struct {
	// Cacheable is false when the response must not be stored at all.
	Cacheable bool
	// TTL is how long the stored response is fresh, counted from when it is stored. A
	// cacheable response with TTL 0 is stored but revalidated on every request.
	TTL time.Duration
	// StaleWhileRevalidate and StaleIfError are the origin's RFC 5861 windows after TTL during
	// which a stale copy may be served while one background revalidation runs, or instead of an
	// origin error. Both are 0 when the response forbids serving stale (must-revalidate,
	// proxy-revalidate) or is cached only because of Min.
	StaleWhileRevalidate, StaleIfError time.Duration
}

// Decide applies CloudFront's expiration rules to a non-error origin response (status < 400;
// errors go through DecideError, which needs the distribution's ErrorCachingMinTTL).
//
// The rules, from the table in "Specifying the amount of time that CloudFront caches objects":
//   - Cache-Control s-maxage wins over max-age, and max-age over Expires ("If you specify
//     values both for Cache-Control max-age and for Expires, CloudFront uses only the value of
//     Cache-Control max-age");
//   - with one of them, Minimum TTL = 0: "the lesser of the value of the Cache-Control max-age
//     directive or the value of the CloudFront maximum TTL" (likewise s-maxage; Expires "until
//     the date in the Expires header or for the value of the CloudFront maximum TTL, whichever
//     is sooner"); Minimum TTL > 0: the value when it lies between Minimum and Maximum TTL, the
//     Minimum TTL when it is below, the Maximum TTL when it is above;
//   - with none of them: "the value of the CloudFront default TTL" (Minimum TTL = 0), "the
//     greater of the value of the CloudFront minimum TTL or default TTL" (Minimum TTL > 0);
//   - no-cache, no-store and/or private: "CloudFront and browsers respect the headers" with
//     Minimum TTL = 0 (not cached), "CloudFront caches objects for the value of the CloudFront
//     minimum TTL" with Minimum TTL > 0.
//
// Which statuses are stored at all: 200, 203, 204 and 206 (the heuristically cacheable 2xx of
// RFC 9110 15.1); 300, 301, 302 and 303 "according to the settings in your CloudFront
// distribution and the headers in the response", and 307 and 308 "only when you include the
// Cache-Control header in responses from the origin" ("How CloudFront processes HTTP 3xx status
// codes"). 304 is an answer to the edge's own revalidation, never an object to store.
func Decide(p Policy, status int, respHeader http.Header, now time.Time) Decision {
	switch status {
	case 200, 203, 204, 206, 300, 301, 302, 303:
	case 307, 308:
		if len(respHeader.Values("Cache-Control")) == 0 {
			return Decision{}
		}
	default:
		return Decision{}
	}
	cc := parseCacheControl(respHeader)
	if cc.noStore || cc.noCache || cc.private {
		if p.Min > 0 {
			return Decision{Cacheable: true, TTL: p.Min}
		}
		return Decision{}
	}
	d := Decision{Cacheable: true}
	if lifetime, ok := originLifetime(cc, respHeader, now); ok {
		d.TTL = clamp(lifetime, p.Min, p.Max)
	} else {
		d.TTL = max(p.Default, p.Min)
	}
	if !cc.mustRevalidate && !cc.proxyRevalid {
		d.StaleWhileRevalidate = cc.staleWhileRevalidate
		d.StaleIfError = cc.staleErr
	}
	return d
}

// originLifetime is the freshness lifetime the origin asked for (RFC 9111 4.2.1, with
// CloudFront's precedence s-maxage > max-age > Expires), and false when it asked for none.
func originLifetime(cc directives, h http.Header, now time.Time) (time.Duration, bool) {
	switch {
	case cc.hasSMaxAge:
		return cc.sMaxAge, true
	case cc.hasMaxAge:
		return cc.maxAge, true
	}
	exp := h.Values("Expires")
	if len(exp) == 0 {
		return 0, false
	}
	// RFC 9111 5.3: "A cache recipient MUST interpret invalid date formats, especially the
	// value "0", as representing a time in the past (i.e., "already expired")".
	expires, err := http.ParseTime(exp[0])
	if err != nil {
		return 0, true
	}
	// 4.2.1: the lifetime is "the value of the Expires header field minus the value of the
	// Date header field"; without a valid Date, the time the response was received.
	base := now
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		base = date
	}
	if !expires.After(base) {
		return 0, true
	}
	return min(expires.Sub(base), maxDelta), true
}

// clamp bounds an origin-requested lifetime by Min and Max. Min wins over an inconsistent Max,
// since the guide describes Minimum TTL as "the minimum amount of time ... that you want objects
// to stay in the CloudFront cache".
func clamp(v, lo, hi time.Duration) time.Duration {
	if v > hi {
		v = hi
	}
	if v < lo {
		v = lo
	}
	return v
}
