package cachekey

import (
	"net/http"
	"strings"
)

// OriginRequest returns the viewer headers and the query string the edge sends to the origin for
// a request whose cache key follows key.
//
// With legacy ForwardedValues pass the same policy twice: CloudFront forwards exactly what it
// keys on, so what is not in the key never reaches the origin and cannot make two requests with
// one key fetch different objects. With an origin request policy pass it as forward: its
// selections are added to the key's ("The values that you include in the cache key are
// automatically included in requests that CloudFront sends to the origin", "Controlling origin
// requests").
//
// The result holds only viewer-derived fields: the selected headers (never the ones listed in
// neverForwarded or named by Connection), a Cookie header rebuilt from the selected cookies, and
// Accept-Encoding. When key enables Gzip or Brotli, Accept-Encoding is the normalised value, or
// "identity" when the viewer sent the header without an enabled coding, and absent when the
// viewer sent none ("Cache compressed objects"); otherwise it is forwarded as sent only if a
// selector chooses it. The query keeps the selected parameters as the viewer wrote them, in the
// key's order. The edge itself adds Host, User-Agent, Via, X-Forwarded-For, X-Amz-Cf-Id, its own
// conditional and Range headers, and any signature; a selected Host (custom origins) is returned
// under "Host" for the caller to apply to http.Request.Host.
func OriginRequest(key Policy, forward Policy, h http.Header, rawQuery string) (http.Header, string) {
	out := http.Header{}
	aeNormalised := key.Gzip || key.Brotli

	hs := headerFields(h, func(n string) bool {
		return key.Headers.selects(n, headerName) || forward.Headers.selects(n, headerName)
	}, aeNormalised)
	for _, f := range hs {
		for _, v := range f.values {
			out.Add(f.name, v)
		}
	}

	cs := cookiePairs(h, func(n string) bool {
		return key.Cookies.selects(n, cookieName) || forward.Cookies.selects(n, cookieName)
	})
	if len(cs) > 0 {
		raw := make([]string, len(cs))
		for i, c := range cs {
			raw[i] = c.raw
		}
		out.Set("Cookie", strings.Join(raw, "; "))
	}

	if aeNormalised {
		if sent := h.Values("Accept-Encoding"); len(sent) > 0 {
			ae := NormalizeAcceptEncoding(key, strings.Join(sent, ","))
			if ae == "" {
				ae = "identity"
			}
			out.Set("Accept-Encoding", ae)
		}
	}

	q := queryPairs(rawQuery, func(n string) bool {
		return key.Query.selects(n, exactName) || forward.Query.selects(n, exactName)
	})
	raw := make([]string, len(q))
	for i, it := range q {
		raw[i] = it.raw
	}
	return out, strings.Join(raw, "&")
}
