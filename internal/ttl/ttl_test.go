package ttl

import (
	"net/http"
	"testing"
	"time"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

const (
	sec  = time.Second
	hour = time.Hour
)

// TestDecideExpirationTable walks every row of the table in "Specifying the amount of time that
// CloudFront caches objects", in both columns (Minimum TTL = 0 and > 0) and, where the guide
// says the outcome "depends on the values of the CloudFront minimum TTL and maximum TTL", on each
// side of both bounds.
func TestDecideExpirationTable(t *testing.T) {
	min0 := Policy{Min: 0, Default: 24 * hour, Max: 365 * 24 * hour}
	minPos := Policy{Min: 60 * sec, Default: 300 * sec, Max: 3600 * sec}
	// Min above Default: "the greater of the value of the CloudFront minimum TTL or default TTL".
	minOverDefault := Policy{Min: 600 * sec, Default: 300 * sec, Max: 3600 * sec}
	smallMax := Policy{Min: 0, Default: 24 * hour, Max: 300 * sec}

	cases := []struct {
		name string
		p    Policy
		h    http.Header
		want Decision
	}{
		// Row 1: the origin adds Cache-Control max-age.
		{"max-age, min 0", min0, hdr("Cache-Control", "max-age=3600"), Decision{Cacheable: true, TTL: 3600 * sec}},
		{"max-age above max, min 0", smallMax, hdr("Cache-Control", "max-age=3600"), Decision{Cacheable: true, TTL: 300 * sec}},
		{"max-age=0, min 0", min0, hdr("Cache-Control", "max-age=0"), Decision{Cacheable: true, TTL: 0}},
		{"max-age between min and max", minPos, hdr("Cache-Control", "max-age=120"), Decision{Cacheable: true, TTL: 120 * sec}},
		{"max-age below min", minPos, hdr("Cache-Control", "max-age=10"), Decision{Cacheable: true, TTL: 60 * sec}},
		{"max-age above max, min > 0", minPos, hdr("Cache-Control", "max-age=7200"), Decision{Cacheable: true, TTL: 3600 * sec}},
		{"max-age equal to min", minPos, hdr("Cache-Control", "max-age=60"), Decision{Cacheable: true, TTL: 60 * sec}},
		{"max-age equal to max", minPos, hdr("Cache-Control", "max-age=3600"), Decision{Cacheable: true, TTL: 3600 * sec}},

		// Row 2: the origin adds no max-age (nor s-maxage nor Expires).
		{"no headers, min 0", min0, hdr(), Decision{Cacheable: true, TTL: 24 * hour}},
		{"no headers, min > 0", minPos, hdr(), Decision{Cacheable: true, TTL: 300 * sec}},
		{"no headers, min above default", minOverDefault, hdr(), Decision{Cacheable: true, TTL: 600 * sec}},
		{"default not capped by max", Policy{Default: 2 * hour, Max: hour}, hdr(), Decision{Cacheable: true, TTL: 2 * hour}},
		{"only public", min0, hdr("Cache-Control", "public"), Decision{Cacheable: true, TTL: 24 * hour}},

		// Row 3: the origin adds max-age and s-maxage: s-maxage decides.
		{"s-maxage over max-age, min 0", min0, hdr("Cache-Control", "max-age=60, s-maxage=600"), Decision{Cacheable: true, TTL: 600 * sec}},
		{"s-maxage shorter than max-age", min0, hdr("Cache-Control", "s-maxage=30, max-age=600"), Decision{Cacheable: true, TTL: 30 * sec}},
		{"s-maxage above max, min 0", smallMax, hdr("Cache-Control", "max-age=60, s-maxage=600"), Decision{Cacheable: true, TTL: 300 * sec}},
		{"s-maxage between min and max", minPos, hdr("Cache-Control", "max-age=5, s-maxage=120"), Decision{Cacheable: true, TTL: 120 * sec}},
		{"s-maxage below min", minPos, hdr("Cache-Control", "max-age=7200, s-maxage=5"), Decision{Cacheable: true, TTL: 60 * sec}},
		{"s-maxage above max, min > 0", minPos, hdr("Cache-Control", "max-age=5, s-maxage=9000"), Decision{Cacheable: true, TTL: 3600 * sec}},
		{"s-maxage alone", min0, hdr("Cache-Control", "s-maxage=42"), Decision{Cacheable: true, TTL: 42 * sec}},

		// Row 4: the origin adds Expires.
		{"expires, min 0", min0, hdr("Date", httpDate(now), "Expires", httpDate(now.Add(2*hour))), Decision{Cacheable: true, TTL: 2 * hour}},
		{"expires after max, min 0", smallMax, hdr("Date", httpDate(now), "Expires", httpDate(now.Add(2*hour))), Decision{Cacheable: true, TTL: 300 * sec}},
		{"expires between min and max", minPos, hdr("Date", httpDate(now), "Expires", httpDate(now.Add(120*sec))), Decision{Cacheable: true, TTL: 120 * sec}},
		{"expires before min", minPos, hdr("Date", httpDate(now), "Expires", httpDate(now.Add(10*sec))), Decision{Cacheable: true, TTL: 60 * sec}},
		{"expires after max, min > 0", minPos, hdr("Date", httpDate(now), "Expires", httpDate(now.Add(5*hour))), Decision{Cacheable: true, TTL: 3600 * sec}},
		{"expires in the past, min 0", min0, hdr("Date", httpDate(now), "Expires", httpDate(now.Add(-hour))), Decision{Cacheable: true, TTL: 0}},
		{"expires in the past, min > 0", minPos, hdr("Date", httpDate(now), "Expires", httpDate(now.Add(-hour))), Decision{Cacheable: true, TTL: 60 * sec}},
		{"expires counted from Date, not now", min0, hdr("Date", httpDate(now.Add(-hour)), "Expires", httpDate(now.Add(hour))), Decision{Cacheable: true, TTL: 2 * hour}},
		{"expires without Date counts from now", min0, hdr("Expires", httpDate(now.Add(hour))), Decision{Cacheable: true, TTL: hour}},
		{"expires 0 is already expired", min0, hdr("Expires", "0"), Decision{Cacheable: true, TTL: 0}},
		{"expires garbage is already expired, min > 0", minPos, hdr("Expires", "tomorrow"), Decision{Cacheable: true, TTL: 60 * sec}},
		{"max-age wins over expires", min0, hdr("Cache-Control", "max-age=60", "Date", httpDate(now), "Expires", httpDate(now.Add(30*24*hour))), Decision{Cacheable: true, TTL: 60 * sec}},
		{"max-age wins over an earlier expires", min0, hdr("Cache-Control", "max-age=600", "Expires", "0"), Decision{Cacheable: true, TTL: 600 * sec}},

		// Row 5: no-cache, no-store and/or private.
		{"no-cache, min 0", min0, hdr("Cache-Control", "no-cache"), Decision{}},
		{"no-store, min 0", min0, hdr("Cache-Control", "no-store"), Decision{}},
		{"private, min 0", min0, hdr("Cache-Control", "private"), Decision{}},
		{"private with max-age, min 0", min0, hdr("Cache-Control", "private, max-age=600"), Decision{}},
		{"no-cache with field name, min 0", min0, hdr("Cache-Control", `no-cache="Set-Cookie, X-A"`), Decision{}},
		{"no-store in a second line, min 0", min0, hdr("Cache-Control", "max-age=600", "Cache-Control", "no-store"), Decision{}},
		{"no-cache, min > 0", minPos, hdr("Cache-Control", "no-cache"), Decision{Cacheable: true, TTL: 60 * sec}},
		{"no-store, min > 0", minPos, hdr("Cache-Control", "no-store"), Decision{Cacheable: true, TTL: 60 * sec}},
		{"private, min > 0", minPos, hdr("Cache-Control", "private"), Decision{Cacheable: true, TTL: 60 * sec}},
		{"no-store with long max-age, min > 0", minPos, hdr("Cache-Control", "no-store, max-age=3000"), Decision{Cacheable: true, TTL: 60 * sec}},
		{"no-cache with stale directives, min > 0", minPos, hdr("Cache-Control", "no-cache, stale-while-revalidate=60"), Decision{Cacheable: true, TTL: 60 * sec}},

		// Directive syntax (RFC 9111 5.2).
		{"names are case-insensitive", min0, hdr("Cache-Control", "Max-Age=30"), Decision{Cacheable: true, TTL: 30 * sec}},
		{"quoted value", min0, hdr("Cache-Control", `max-age="30"`), Decision{Cacheable: true, TTL: 30 * sec}},
		{"spaces around items", min0, hdr("Cache-Control", " public ,  max-age=30 "), Decision{Cacheable: true, TTL: 30 * sec}},
		{"first of repeated max-age", min0, hdr("Cache-Control", "max-age=30, max-age=90"), Decision{Cacheable: true, TTL: 30 * sec}},
		{"invalid max-age is stale", min0, hdr("Cache-Control", "max-age=abc"), Decision{Cacheable: true, TTL: 0}},
		{"negative max-age is stale", min0, hdr("Cache-Control", "max-age=-5"), Decision{Cacheable: true, TTL: 0}},
		{"empty max-age is stale", min0, hdr("Cache-Control", "max-age"), Decision{Cacheable: true, TTL: 0}},
		{"invalid max-age below min", minPos, hdr("Cache-Control", "max-age=1.5"), Decision{Cacheable: true, TTL: 60 * sec}},
		{"huge max-age is 2^31 s then capped", min0, hdr("Cache-Control", "max-age=99999999999999999999999"), Decision{Cacheable: true, TTL: 365 * 24 * hour}},
		{"huge max-age with huge Max", Policy{Max: 100 * 365 * 24 * hour}, hdr("Cache-Control", "max-age=99999999999999999999999"), Decision{Cacheable: true, TTL: maxDelta}},
		{"unknown directives ignored", min0, hdr("Cache-Control", "immutable, foo=\"a,b\", max-age=30"), Decision{Cacheable: true, TTL: 30 * sec}},

		// RFC 5861 windows.
		{"stale windows", min0, hdr("Cache-Control", "max-age=60, stale-while-revalidate=30, stale-if-error=86400"),
			Decision{Cacheable: true, TTL: 60 * sec, StaleWhileRevalidate: 30 * sec, StaleIfError: 86400 * sec}},
		{"stale windows with default TTL", min0, hdr("Cache-Control", "stale-if-error=20"),
			Decision{Cacheable: true, TTL: 24 * hour, StaleIfError: 20 * sec}},
		{"must-revalidate forbids stale", min0, hdr("Cache-Control", "max-age=60, must-revalidate, stale-while-revalidate=30, stale-if-error=30"),
			Decision{Cacheable: true, TTL: 60 * sec}},
		{"proxy-revalidate forbids stale", min0, hdr("Cache-Control", "max-age=60, proxy-revalidate, stale-if-error=30"),
			Decision{Cacheable: true, TTL: 60 * sec}},
	}
	for _, c := range cases {
		if got := Decide(c.p, 200, c.h, now); got != c.want {
			t.Errorf("%s: Decide = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestDecideStatuses(t *testing.T) {
	p := Policy{Default: 300 * sec, Max: hour}
	withCC := hdr("Cache-Control", "max-age=60")
	cases := []struct {
		status int
		h      http.Header
		want   Decision
	}{
		{200, nil, Decision{Cacheable: true, TTL: 300 * sec}},
		{203, nil, Decision{Cacheable: true, TTL: 300 * sec}},
		{204, nil, Decision{Cacheable: true, TTL: 300 * sec}},
		{206, withCC, Decision{Cacheable: true, TTL: 60 * sec}},
		{300, nil, Decision{Cacheable: true, TTL: 300 * sec}},
		{301, nil, Decision{Cacheable: true, TTL: 300 * sec}},
		{302, withCC, Decision{Cacheable: true, TTL: 60 * sec}},
		{303, nil, Decision{Cacheable: true, TTL: 300 * sec}},
		// 307 and 308 only with a Cache-Control header.
		{307, nil, Decision{}},
		{308, hdr("Expires", httpDate(now.Add(hour))), Decision{}},
		{307, withCC, Decision{Cacheable: true, TTL: 60 * sec}},
		{308, hdr("Cache-Control", "public"), Decision{Cacheable: true, TTL: 300 * sec}},
		{308, hdr("Cache-Control", "no-store"), Decision{}},
		// Never stored by Decide.
		{100, withCC, Decision{}},
		{201, withCC, Decision{}},
		{202, nil, Decision{}},
		{205, nil, Decision{}},
		{304, withCC, Decision{}},
		{305, withCC, Decision{}},
		{404, withCC, Decision{}}, // errors go through DecideError
		{410, withCC, Decision{}},
		{503, nil, Decision{}},
	}
	for _, c := range cases {
		if got := Decide(p, c.status, c.h, now); got != c.want {
			t.Errorf("Decide(status %d, %v) = %+v, want %+v", c.status, c.h, got, c.want)
		}
	}
}

func TestDefaults(t *testing.T) {
	want := Policy{Min: 0, Default: 86400 * sec, Max: 31536000 * sec}
	if got := Defaults(); got != want {
		t.Fatalf("Defaults() = %+v, want %+v", got, want)
	}
	if got := Decide(Defaults(), 200, nil, now); got.TTL != 24*hour {
		t.Fatalf("no headers under the defaults: TTL %v, want 24h (\"the default TTL is 24 hours\")", got.TTL)
	}
}
