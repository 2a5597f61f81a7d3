package ttl

import (
	"net/http"
	"testing"
	"time"
)

// FuzzDecide feeds arbitrary Cache-Control and Expires values from an origin through Decide and
// DecideError and checks the invariants every decision must keep.
func FuzzDecide(f *testing.F) {
	for _, s := range []string{"max-age=60", "no-cache", `no-cache="a,b", max-age=5`, "s-maxage=1, max-age=2",
		"max-age=99999999999999999999", "stale-while-revalidate=5", `max-age="7`, "\\\""} {
		f.Add(s, "Sun, 01 Jun 2025 13:00:00 GMT")
	}
	p := Policy{Min: 30 * time.Second, Default: time.Hour, Max: 24 * time.Hour}
	f.Fuzz(func(t *testing.T, cc, expires string) {
		h := http.Header{"Cache-Control": {cc}, "Expires": {expires}, "Date": {httpDate(now)}}
		d := Decide(p, 200, h, now)
		if !d.Cacheable {
			if d != (Decision{}) {
				t.Fatalf("not cacheable but %+v", d)
			}
			return
		}
		if d.TTL < p.Min || d.TTL > p.Max || d.StaleWhileRevalidate < 0 || d.StaleIfError < 0 {
			t.Fatalf("Decide(%q, %q) = %+v outside [%v, %v]", cc, expires, d, p.Min, p.Max)
		}
		// Min = 0 only removes the floor.
		if d0 := Decide(Policy{Default: p.Default, Max: p.Max}, 200, h, now); d0.Cacheable && d0.TTL > d.TTL {
			t.Fatalf("a lower Min gave a longer TTL: %v > %v", d0.TTL, d.TTL)
		}
		if e := DecideError(404, h, nil); e.Cacheable && e.TTL < DefaultErrorCachingMinTTL {
			t.Fatalf("DecideError(404) = %+v below the error caching minimum", e)
		}
	})
}
