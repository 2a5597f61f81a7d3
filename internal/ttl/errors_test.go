package ttl

import (
	"net/http"
	"testing"
	"time"
)

func dur(d time.Duration) *time.Duration { return &d }

func TestDecideError(t *testing.T) {
	none := http.Header(nil)
	maxAge := hdr("Cache-Control", "max-age=300")
	sMaxAge := hdr("Cache-Control", "max-age=5, s-maxage=120")
	short := hdr("Cache-Control", "max-age=3")
	noStore := hdr("Cache-Control", "no-store")
	cases := []struct {
		name   string
		status int
		h      http.Header
		ecmt   *time.Duration
		want   Decision
	}{
		// Always cached, for the error caching minimum TTL (10 s by default).
		{"404 default", 404, none, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"405 default", 405, none, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"414 default", 414, none, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"500 default", 500, none, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"501 default", 501, none, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"502 default", 502, none, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"503 default", 503, none, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"504 default", 504, none, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"404 configured", 404, none, dur(300 * sec), Decision{Cacheable: true, TTL: 300 * sec}},
		// "the maximum of" the minimum TTL and the origin's max-age / s-maxage.
		{"404 longer max-age", 404, maxAge, nil, Decision{Cacheable: true, TTL: 300 * sec}},
		{"404 shorter max-age", 404, short, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"503 s-maxage over max-age", 503, sMaxAge, nil, Decision{Cacheable: true, TTL: 120 * sec}},
		{"502 configured above max-age", 502, maxAge, dur(time.Hour), Decision{Cacheable: true, TTL: time.Hour}},
		// Error caching minimum TTL 0 and no max-age: not cached.
		{"404 zero ecmt", 404, none, dur(0), Decision{}},
		{"500 zero ecmt", 500, none, dur(0), Decision{}},
		{"404 zero ecmt with max-age", 404, maxAge, dur(0), Decision{Cacheable: true, TTL: 300 * sec}},
		// A 4xx "restricted by a cache control header" is not cached; 5xx are.
		{"404 no-store", 404, noStore, nil, Decision{}},
		{"405 private", 405, hdr("Cache-Control", "private"), nil, Decision{}},
		{"503 no-store", 503, noStore, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		// Cached only with max-age or s-maxage.
		{"400 bare", 400, none, nil, Decision{}},
		{"403 bare", 403, none, nil, Decision{}},
		{"412 bare", 412, none, nil, Decision{}},
		{"415 bare", 415, none, nil, Decision{}},
		{"403 bare configured", 403, none, dur(60 * sec), Decision{}},
		{"400 max-age", 400, maxAge, nil, Decision{Cacheable: true, TTL: 300 * sec}},
		{"403 max-age", 403, maxAge, nil, Decision{Cacheable: true, TTL: 300 * sec}},
		{"412 s-maxage", 412, sMaxAge, nil, Decision{Cacheable: true, TTL: 120 * sec}},
		{"415 short max-age", 415, short, nil, Decision{Cacheable: true, TTL: 10 * sec}},
		{"403 expires only", 403, hdr("Expires", httpDate(now.Add(time.Hour))), nil, Decision{}},
		{"403 max-age with no-cache", 403, hdr("Cache-Control", "no-cache, max-age=300"), nil, Decision{}},
		// Never cached.
		{"416", 416, maxAge, dur(60 * sec), Decision{}},
		{"401", 401, maxAge, nil, Decision{}},
		{"410", 410, maxAge, nil, Decision{}},
		{"429", 429, none, nil, Decision{}},
		{"505", 505, none, nil, Decision{}},
		{"200 is not an error", 200, maxAge, nil, Decision{}},
		// A negative configured value is treated as 0.
		{"negative ecmt", 404, none, dur(-time.Second), Decision{}},
	}
	for _, c := range cases {
		if got := DecideError(c.status, c.h, c.ecmt); got != c.want {
			t.Errorf("%s: DecideError = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestErrorTTL(t *testing.T) {
	cases := []struct {
		status int
		ecmt   *time.Duration
		want   time.Duration
		ok     bool
	}{
		{404, nil, 10 * sec, true},
		{504, nil, 10 * sec, true},
		{500, dur(5 * time.Minute), 5 * time.Minute, true},
		{404, dur(0), 0, false},
		{403, nil, 0, false},
		{400, dur(time.Minute), 0, false},
		{416, nil, 0, false},
		{200, nil, 0, false},
	}
	for _, c := range cases {
		got, ok := ErrorTTL(c.status, c.ecmt)
		if got != c.want || ok != c.ok {
			t.Errorf("ErrorTTL(%d, %v) = %v, %v; want %v, %v", c.status, c.ecmt, got, ok, c.want, c.ok)
		}
	}
}
