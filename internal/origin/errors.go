package origin

import "errors"

// Errors of Fetch, to be tested with errors.Is; each wraps the underlying network error too,
// so a net.Error's Timeout() stays visible. The edge answers ErrConnect and ErrBadResponse
// with 502 and ErrTimeout with 504, as CloudFront does ("HTTP 502 status code (Bad Gateway)"
// and "HTTP 504 status code (Gateway Timeout)", CloudFront developer guide).
var (
	// ErrInvalidTarget means the Target cannot be fetched as it is (a match-viewer origin
	// not resolved with ForViewer, no host, a local bucket without Config.LocalS3, an OAI
	// or OAC without an edge key).
	ErrInvalidTarget = errors.New("origin: invalid origin target")
	// ErrConnect means no connection to the origin could be made (refused, DNS, connect
	// timeout, TLS handshake) in ConnectionAttempts tries.
	ErrConnect = errors.New("origin: cannot connect to the origin")
	// ErrTimeout means the origin accepted the request but did not answer, or stopped
	// sending its body, for longer than the read timeout.
	ErrTimeout = errors.New("origin: the origin did not respond within the read timeout")
	// ErrBadResponse means the origin's answer could not be read (closed connection,
	// malformed or oversized headers).
	ErrBadResponse = errors.New("origin: the origin's response is invalid")
)
