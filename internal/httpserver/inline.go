package httpserver

import (
	"errors"
	"net/http"
)

// InlineHandler is a Handler that can also answer some requests on an event loop's own
// thread (Server.ServeLoop): the cheap ones, such as a cache hit from memory, which then
// cost no goroutine switch at all.
type InlineHandler interface {
	http.Handler
	// ServeInline answers r as ServeHTTP would and reports true, if it can do so without
	// blocking: no I/O besides writing to w, no waiting on locks held for long, no heavy
	// computation. Otherwise it returns false having written nothing and set nothing it
	// relies on later, and the server calls ServeHTTP for r on a goroutine of its own.
	// A request with a body is never served inline. What the socket does not take at once
	// is queued; written with WriteImmutable it is kept as it is, otherwise it is copied,
	// up to 1 MiB per connection, past which Write fails and the connection closes.
	// r and its Context belong to the connection, which reuses both for its next request:
	// ServeInline keeps neither once it returns (a goroutine it starts takes copies of what
	// it needs, and a context of its own).
	ServeInline(w http.ResponseWriter, r *http.Request) bool
}

// WriteImmutable writes p to w like w.Write, promising that p is never modified again, so
// an event loop that cannot send it all at once may keep p rather than copy it (a cached
// body shared by every response that sends it). Wrappers are looked through with the
// Unwrap method http.ResponseController uses.
func WriteImmutable(w http.ResponseWriter, p []byte) (int, error) {
	for inner := w; ; {
		if res, ok := inner.(*response); ok {
			res.immutable = true
			n, err := w.Write(p)
			res.immutable = false // also cleared by the next request's reset, should Write panic
			return n, err
		}
		u, ok := inner.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w.Write(p)
		}
		inner = u.Unwrap()
	}
}

// errInlineDeadline answers http.ResponseController's deadline calls on a response written
// by an event loop, which keeps the connection's timeouts itself.
var errInlineDeadline = errors.New("httpserver: no deadlines for a handler served inline")
