package ttl

import (
	"net/http"
	"testing"
	"time"
)

func TestFresh(t *testing.T) {
	stored := now
	cases := []struct {
		ttl  time.Duration
		at   time.Time
		want bool
	}{
		{time.Minute, stored, true},
		{time.Minute, stored.Add(59 * sec), true},
		{time.Minute, stored.Add(time.Minute), false}, // the TTL is a half-open interval
		{time.Minute, stored.Add(time.Hour), false},
		{0, stored, false}, // TTL 0: revalidate every time
		{time.Minute, stored.Add(-time.Second), true},
	}
	for _, c := range cases {
		if got := Fresh(stored, c.ttl, c.at); got != c.want {
			t.Errorf("Fresh(ttl %v, +%v) = %v, want %v", c.ttl, c.at.Sub(stored), got, c.want)
		}
	}
}

func TestCurrentAge(t *testing.T) {
	cases := []struct {
		originAge time.Duration
		at        time.Time
		want      time.Duration
	}{
		{0, now, 0},
		{0, now.Add(5 * sec), 5 * sec},
		{100 * sec, now.Add(5 * sec), 105 * sec},
		{100 * sec, now.Add(-5 * sec), 100 * sec}, // a clock step back never lowers the age
		{-sec, now.Add(sec), sec},
	}
	for _, c := range cases {
		if got := CurrentAge(now, c.originAge, c.at); got != c.want {
			t.Errorf("CurrentAge(origin %v, +%v) = %v, want %v", c.originAge, c.at.Sub(now), got, c.want)
		}
	}
}

func TestCorrectedInitialAge(t *testing.T) {
	req := now
	resp := now.Add(2 * sec)
	cases := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"nothing: the response delay", hdr(), 2 * sec},
		{"age plus delay", hdr("Age", "30"), 32 * sec},
		{"apparent age wins", hdr("Date", httpDate(resp.Add(-time.Minute)), "Age", "10"), time.Minute},
		{"corrected age wins", hdr("Date", httpDate(resp.Add(-10*sec)), "Age", "100"), 102 * sec},
		{"date in the future", hdr("Date", httpDate(resp.Add(time.Hour))), 2 * sec},
		{"invalid age ignored", hdr("Age", "soon"), 2 * sec},
		{"invalid date ignored", hdr("Date", "yesterday", "Age", "1"), 3 * sec},
		{"first age line", hdr("Age", "5", "Age", "500"), 7 * sec},
	}
	for _, c := range cases {
		if got := CorrectedInitialAge(c.h, req, resp); got != c.want {
			t.Errorf("%s: CorrectedInitialAge = %v, want %v", c.name, got, c.want)
		}
	}
}
