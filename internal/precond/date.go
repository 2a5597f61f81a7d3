package precond

import (
	"net/http"
	"time"
)

// dateValue returns the HTTP-date of header name. ok is false when the header is absent, sent
// more than once, or not a valid HTTP-date: RFC 9110 §13.1.3 and §13.1.4 require a recipient to
// ignore the condition in each of those cases. http.ParseTime accepts the three formats a
// recipient must accept (RFC 9110 §5.6.7): IMF-fixdate, RFC 850 and asctime.
func dateValue(h http.Header, name string) (time.Time, bool) {
	vs := h.Values(name)
	if len(vs) != 1 {
		return time.Time{}, false
	}
	t, err := http.ParseTime(vs[0])
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// modifiedAfter reports whether lastModified is later than d. Last-Modified is sent with
// one-second precision (an HTTP-date has no fractions), so a client echoing it back must see the
// object as unmodified; comparing whole Unix seconds does that.
func modifiedAfter(lastModified, d time.Time) bool {
	return lastModified.Unix() > d.Unix()
}
