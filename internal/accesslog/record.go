package accesslog

import (
	"crypto/tls"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fields is the #Fields line of CloudFront's standard (legacy) log files, the 33 fields in
// their documented order ("Standard logging reference", Log file fields).
const Fields = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) " +
	"cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol " +
	"cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type " +
	"cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte " +
	"x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end"

// header starts every log file.
const header = "#Version: 1.0\n#Fields: " + Fields + "\n"

// Record is one log line, every field as logged ("" is written as "-").
type Record struct {
	// Distribution is the distribution id, which decides the file (not a field).
	Distribution string

	Time               time.Time // date and time: when the response ended, in UTC
	Location           string    // x-edge-location
	ScBytes            int64     // sc-bytes: headers and body sent
	ClientIP           string    // c-ip
	Method             string    // cs-method
	Host               string    // cs(Host): the distribution's domain name
	URIStem            string    // cs-uri-stem, URL-encoded as the viewer sent it
	Status             int       // sc-status; 0 (logged 000) when no status was sent
	Referer            string    // cs(Referer)
	UserAgent          string    // cs(User-Agent)
	Query              string    // cs-uri-query, as sent
	Cookie             string    // cs(Cookie), only when the distribution's IncludeCookies
	ResultType         string    // x-edge-result-type: Hit, RefreshHit, Miss, Error, Redirect
	RequestID          string    // x-edge-request-id (the x-amz-cf-id sent)
	HostHeader         string    // x-host-header: the Host the viewer sent
	Protocol           string    // cs-protocol: http or https
	CsBytes            int64     // cs-bytes: request line, headers and body received
	TimeTaken          time.Duration
	ForwardedFor       string // x-forwarded-for, as the viewer sent it
	SSLProtocol        string // TLSv1.2, TLSv1.3
	SSLCipher          string // OpenSSL names, as CloudFront logs them
	ResponseResultType string // x-edge-response-result-type
	ProtocolVersion    string // cs-protocol-version: HTTP/1.1, HTTP/2.0
	ClientPort         string // c-port
	TimeToFirstByte    time.Duration
	DetailedResultType string // x-edge-detailed-result-type
	ContentType        string // sc-content-type
	ContentLen         string // sc-content-len, the Content-Length header sent
	RangeStart         string // sc-range-start, from Content-Range
	RangeEnd           string // sc-range-end
}

// Response is what the edge sent for a request, as its middleware observed it.
type Response struct {
	Start, FirstByte, End                                       time.Time
	Status                                                      int
	XCache, RequestID, ContentType, ContentLength, ContentRange string
	HeaderBytes, BodyBytes, RequestBytes                        int64
	// WriteFailed: the viewer went away during the response. Aborted: the edge cut the
	// response short.
	WriteFailed, Aborted bool
}

// NewRecord builds the record of request r to distribution dist (domain is its domain
// name); it copies what it needs, so r may be reused once it returns.
func NewRecord(r *http.Request, dist, domain, location string, includeCookies bool, res Response) Record {
	rec := Record{
		Distribution: dist, Time: res.End.UTC(), Location: location,
		ScBytes: res.HeaderBytes + res.BodyBytes, Method: r.Method, Host: domain,
		URIStem: r.URL.EscapedPath(), Status: res.Status, Referer: r.Header.Get("Referer"),
		UserAgent: r.Header.Get("User-Agent"), Query: r.URL.RawQuery, RequestID: res.RequestID,
		HostHeader: r.Host, Protocol: "http", CsBytes: res.RequestBytes, TimeTaken: res.End.Sub(res.Start),
		ForwardedFor: strings.Join(r.Header.Values("X-Forwarded-For"), ", "), ProtocolVersion: r.Proto,
		ContentType: res.ContentType, ContentLen: res.ContentLength,
	}
	rec.ClientIP, rec.ClientPort, _ = net.SplitHostPort(r.RemoteAddr)
	if includeCookies {
		rec.Cookie = strings.Join(r.Header.Values("Cookie"), "; ")
	}
	if r.TLS != nil {
		rec.Protocol = "https"
		rec.SSLProtocol, rec.SSLCipher = tlsVersionName(r.TLS.Version), cipherName(r.TLS.CipherSuite)
	}
	if !res.FirstByte.IsZero() {
		rec.TimeToFirstByte = res.FirstByte.Sub(res.Start)
	}
	rec.ResultType, rec.ResponseResultType, rec.DetailedResultType = resultTypes(res)
	rec.RangeStart, rec.RangeEnd = contentRange(res.ContentRange)
	return rec
}

// resultTypes derives the three result types. x-edge-result-type is the x-cache word the
// edge answered with; the response type turns to Error when the response did not reach the
// viewer whole, and the detailed type then says why (ClientCommError: the viewer went away;
// AbortedOrigin: the origin failed mid-response).
func resultTypes(res Response) (result, response, detailed string) {
	result, _, _ = strings.Cut(res.XCache, " ")
	if result == "" {
		result = "Miss"
		if res.Status >= 400 || res.Status == 0 {
			result = "Error"
		}
	}
	switch {
	case res.Aborted:
		return result, "Error", "AbortedOrigin"
	case res.WriteFailed:
		return result, "Error", "ClientCommError"
	}
	return result, result, result
}

// contentRange returns the first and last byte of "bytes 0-99/1000", else "", "".
func contentRange(v string) (string, string) {
	spec, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return "", ""
	}
	spec, _, _ = strings.Cut(spec, "/")
	first, last, ok := strings.Cut(spec, "-")
	if !ok {
		return "", ""
	}
	if _, err := strconv.ParseUint(first, 10, 63); err != nil {
		return "", ""
	}
	if _, err := strconv.ParseUint(last, 10, 63); err != nil {
		return "", ""
	}
	return first, last
}

// tlsVersionName spells versions as CloudFront's logs do.
func tlsVersionName(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "TLSv1"
	case tls.VersionTLS11:
		return "TLSv1.1"
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS13:
		return "TLSv1.3"
	}
	return ""
}

// opensslNames are the OpenSSL names CloudFront logs for the TLS 1.2 suites Go offers; TLS
// 1.3 suites are logged under their IANA names (TLS_AES_128_GCM_SHA256), as Go spells them.
var opensslNames = map[uint16]string{
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:       "ECDHE-ECDSA-AES128-GCM-SHA256",
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:         "ECDHE-RSA-AES128-GCM-SHA256",
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:       "ECDHE-ECDSA-AES256-GCM-SHA384",
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:         "ECDHE-RSA-AES256-GCM-SHA384",
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: "ECDHE-ECDSA-CHACHA20-POLY1305",
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:   "ECDHE-RSA-CHACHA20-POLY1305",
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA:          "ECDHE-ECDSA-AES128-SHA",
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA:            "ECDHE-RSA-AES128-SHA",
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:          "ECDHE-ECDSA-AES256-SHA",
	tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA:            "ECDHE-RSA-AES256-SHA",
	tls.TLS_RSA_WITH_AES_128_GCM_SHA256:               "AES128-GCM-SHA256",
	tls.TLS_RSA_WITH_AES_256_GCM_SHA384:               "AES256-GCM-SHA384",
	tls.TLS_RSA_WITH_AES_128_CBC_SHA:                  "AES128-SHA",
	tls.TLS_RSA_WITH_AES_256_CBC_SHA:                  "AES256-SHA",
}

func cipherName(id uint16) string {
	if n, ok := opensslNames[id]; ok {
		return n
	}
	return tls.CipherSuiteName(id)
}
