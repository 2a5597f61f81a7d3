package ttl

import (
	"net/http"
	"time"
)

// Fresh reports whether an entry stored at storedAt with the given TTL (a Decision's TTL, from
// the moment it was stored) may still be served without revalidation at now. The TTL is counted
// from storage, as CloudFront counts how long an object stays in the edge cache; a caller that
// wants an upstream Age to count against it passes ttl minus CorrectedInitialAge.
func Fresh(storedAt time.Time, ttl time.Duration, now time.Time) bool {
	return now.Sub(storedAt) < ttl
}

// CurrentAge is the value of the Age header the edge sends for an entry (RFC 9111 4.2.3:
// current_age = corrected_initial_age + resident_time, where resident_time = now -
// response_time). originAge is the corrected initial age when the entry was stored (see
// CorrectedInitialAge; 0 when the origin sent no Age). A clock that went backwards never makes
// the age smaller than originAge.
func CurrentAge(storedAt time.Time, originAge time.Duration, now time.Time) time.Duration {
	return max(originAge, 0) + max(now.Sub(storedAt), 0)
}

// CorrectedInitialAge is RFC 9111 4.2.3's corrected_initial_age of a response requested at
// requestTime and received at responseTime:
//
//	apparent_age = max(0, response_time - date_value)
//	response_delay = response_time - request_time
//	corrected_age_value = age_value + response_delay
//	corrected_initial_age = max(apparent_age, corrected_age_value)
//
// A missing or invalid Date contributes no apparent age, and a missing or invalid Age counts as
// 0 (5.1: Age is delta-seconds; anything else is not an age).
func CorrectedInitialAge(respHeader http.Header, requestTime, responseTime time.Time) time.Duration {
	var apparent time.Duration
	if date, err := http.ParseTime(respHeader.Get("Date")); err == nil {
		apparent = max(responseTime.Sub(date), 0)
	}
	var ageValue time.Duration
	if v := respHeader.Values("Age"); len(v) > 0 {
		ageValue = deltaSeconds(v[0])
	}
	corrected := ageValue + max(responseTime.Sub(requestTime), 0)
	return max(apparent, corrected)
}
