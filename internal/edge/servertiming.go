package edge

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Server-Timing (issue 6; CloudFront's ServerTimingHeadersConfig in a response headers
// policy): on SamplingRate percent of the responses of a behaviour whose policy enables it,
// and on every response to a debug request (Pragma: server-timing), the edge adds the
// metrics CloudFront uses:
//
//	cdn-cache-hit | cdn-cache-refresh | cdn-cache-miss   how the answer was made
//	cdn-pop;desc="LOC1-C1"                               the POP (x-amz-cf-pop)
//	cdn-rid;desc="<x-amz-cf-id>"                         the request id
//	cdn-hit-layer;desc="EDGE"                            hits: the layer that had it
//	cdn-upstream-layer;desc="EDGE"                       misses: the layer that asked the origin
//	cdn-upstream-fbl;dur=<ms>                            misses: the origin's first-byte latency
//	cdn-downstream-fbl;dur=<ms>                          the edge's own first-byte latency
//
// Durations are wall-clock milliseconds. DNS and connect times (cdn-upstream-dns,
// cdn-upstream-connect) are not measured, so not sent. A missing SamplingRate counts as 0.

// timingEnabled reports whether the behaviour's policy enables Server-Timing at all; the
// request then reads the clock when it starts (ServeHTTP), which others do not need to.
func (p *respPolicy) timingEnabled() bool {
	return p != nil && p.cfg.ServerTiming != nil && p.cfg.ServerTiming.Enabled
}

// wantsTiming reports whether this response carries Server-Timing.
func (rq *request) wantsTiming() bool {
	p := rq.behavior.respHeaders
	if !p.timingEnabled() || rq.start.IsZero() {
		return false
	}
	for _, v := range rq.r.Header.Values("Pragma") {
		for tok := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(tok), "server-timing") {
				return true
			}
		}
	}
	rate := 0.0
	if r := p.cfg.ServerTiming.SamplingRate; r != nil {
		rate = *r
	}
	return rate >= 100 || rand.Float64()*100 < rate
}

// serverTiming sets the Server-Timing header of an answer whose x-cache is xcache.
func (rq *request) serverTiming(h http.Header, xcache string) {
	if !rq.wantsTiming() {
		return
	}
	var b strings.Builder
	switch xcache {
	case "Hit":
		b.WriteString("cdn-cache-hit")
	case "RefreshHit":
		b.WriteString("cdn-cache-refresh")
	default:
		b.WriteString("cdn-cache-miss")
	}
	b.WriteString(`,cdn-pop;desc="` + rq.h.cfg.POP + `",cdn-rid;desc="` + rq.id + `"`)
	if xcache == "Hit" || xcache == "RefreshHit" {
		b.WriteString(`,cdn-hit-layer;desc="EDGE"`)
	}
	if rq.upstreamFBL > 0 {
		b.WriteString(`,cdn-upstream-layer;desc="EDGE",cdn-upstream-fbl;dur=` + millis(rq.upstreamFBL))
	}
	b.WriteString(",cdn-downstream-fbl;dur=" + millis(time.Since(rq.start)))
	h.Set("Server-Timing", b.String())
}

// millis formats d as milliseconds with up to three decimals, as Server-Timing's dur.
func millis(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', -1, 64)
}
