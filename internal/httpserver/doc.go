// Package httpserver is an HTTP/1.1 server for the edge's hit path: it serves any
// http.Handler with fewer syscalls and allocations per keep-alive request than net/http
// (issue 6: the profile of the edge showed ~40% of its CPU in syscalls, because net/http
// writes the header and a 32 KiB body in two writes and arms a background read for every
// request, plus allocations and header sorting).
//
// Where it saves:
//   - The header section is parsed in place from a per-connection buffer and converted to
//     one string per request; header names are canonicalized in the buffer first, so every
//     name and value is a substring of that string (RFC 9112 §5).
//   - The *http.Request, its URL, Header map and value slice, the ResponseWriter and the
//     body reader are reused for every request of a connection.
//   - The response header and the body are sent with one writev (or one write on TLS) when
//     the handler set Content-Length, or when the whole body fit the 64 KiB buffer when the
//     handler returned (then Content-Length is computed); larger bodies of unknown length
//     are chunked.
//   - The "client went away" watch (a background read) is armed only when someone asks the
//     request's context for Done, not for every request.
//   - Read and write deadlines are only moved when they drift by more than 1/8 of their
//     timeout, so a busy connection does not reprogram its timers on every request.
//
// The contract that buys this: a handler must not keep the *http.Request, its Header, URL or
// Body, nor the ResponseWriter, after ServeHTTP returns (net/http's documentation already
// forbids using the ResponseWriter and Body then; this package also reuses the Request).
// Copy what a goroutine needs, or Clone the request, before returning.
//
// HTTP/2 stays on net/http: SplitTLS hands TLS connections that negotiated h2 by ALPN to a
// listener for an http.Server, and the http/1.1 ones to this server, so both serve one
// handler.
package httpserver
