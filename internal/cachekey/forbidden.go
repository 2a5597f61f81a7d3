package cachekey

import (
	"net/http"
	"strings"
)

// neverForwarded are request headers that no selector can put in the key or send to the origin.
//
//   - Hop-by-hop fields (RFC 9110 7.6.1: Connection, Proxy-Connection, Keep-Alive, TE,
//     Transfer-Encoding, Upgrade, and the Proxy-Authenticate/Proxy-Authorization pair, with
//     Trailer) describe one connection, not the request; CloudFront's table lists each as
//     removed or replaced and not usable for caching.
//   - "HTTP request headers and CloudFront behavior": CloudFront removes Expect, X-Forwarded-Proto
//     and X-Real-IP, adds its own X-Amz-Cf-Id, and does not cache on Cache-Control, Pragma,
//     Content-Length, Max-Forwards or Request-Range.
//   - Cookie is chosen cookie by cookie through the cookie selector, never as a header.
//   - The SigV4 inputs the edge's origin signer owns (X-Amz-Date, X-Amz-Content-Sha256,
//     X-Amz-Security-Token) and the edge delegation headers (X-Amz-Source-Arn,
//     X-Amz-Source-Account, X-Imgcdn-*): a viewer-supplied value must never reach a signed
//     origin request, or a viewer could pick the identity the edge acts as.
var neverForwarded = map[string]bool{
	"connection": true, "proxy-connection": true, "keep-alive": true, "te": true,
	"transfer-encoding": true, "upgrade": true, "trailer": true,
	"proxy-authenticate": true, "proxy-authorization": true,
	"expect": true, "x-forwarded-proto": true, "x-real-ip": true, "x-amz-cf-id": true,
	"cache-control": true, "pragma": true, "content-length": true, "max-forwards": true,
	"request-range": true, "cookie": true,
	"x-amz-date": true, "x-amz-content-sha256": true, "x-amz-security-token": true,
	"x-amz-source-arn": true, "x-amz-source-account": true,
}

// forbidden reports whether a lower-cased header name is never keyed or forwarded, including the
// prefixes CloudFront strips ("CloudFront removes all X-Edge-* headers") and imgcdn's own.
func forbidden(name string) bool {
	return neverForwarded[name] || strings.HasPrefix(name, "x-edge-") || strings.HasPrefix(name, "x-imgcdn-")
}

// connectionTokens are the extra hop-by-hop fields a Connection header names (RFC 9110 7.6.1: "a
// proxy ... MUST remove ... each connection option" listed in it), lower-cased.
func connectionTokens(h http.Header) map[string]bool {
	lines := h.Values("Connection")
	if len(lines) == 0 {
		return nil // most requests: nothing to allocate
	}
	out := map[string]bool{}
	for _, line := range lines {
		for tok := range strings.SplitSeq(line, ",") {
			if tok = strings.ToLower(strings.TrimSpace(tok)); tok != "" {
				out[tok] = true
			}
		}
	}
	return out
}
