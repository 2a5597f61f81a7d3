package origin

import (
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/auth"
)

// hopByHop are the connection-specific header fields of RFC 9110 §7.6.1 (plus the
// Keep-Alive and Proxy-Connection of older practice): they describe one hop and are never
// forwarded, either way.
var hopByHop = []string{
	"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// removeHopByHop deletes the hop-by-hop fields from h, including those the Connection
// field lists.
func removeHopByHop(h http.Header) {
	for _, v := range h.Values("Connection") {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				h.Del(name)
			}
		}
	}
	for _, name := range hopByHop {
		h.Del(name)
	}
}

// signingHeaders are request headers that belong to a signature: those of the viewer's are
// dropped whenever the edge signs, and the delegation headers are dropped always, so a
// viewer can never choose whom the edge fetches as.
var signingHeaders = []string{"Authorization", "X-Amz-Date", "X-Amz-Content-Sha256", "X-Amz-Security-Token"}

// requestHeader is the header of an origin request: a copy of the edge's h without
// hop-by-hop fields, Host (set from the target) or delegation headers.
func requestHeader(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		out = make(http.Header)
	}
	removeHopByHop(out)
	out.Del("Host")
	out.Del(auth.HeaderEdgeOAI)
	out.Del(auth.HeaderSourceARN)
	return out
}
