package accesslog

import (
	"strconv"
	"time"
)

// appendLine appends rec as one tab-separated line. Empty fields are "-", as in
// CloudFront's files. Values from the viewer are percent-encoded so that no field holds a
// tab, a newline or a space (fields are split on whitespace by many log tools): header values
// (Referer, User-Agent, Cookie, Host, X-Forwarded-For) also encode '%' itself, so
// url.PathUnescape gives back exactly what was sent; cs-uri-stem and cs-uri-query are
// already URL-encoded as the viewer sent them, and only stray bytes are encoded.
func appendLine(b []byte, rec *Record) []byte {
	t := rec.Time.UTC()
	b = t.AppendFormat(b, "2006-01-02")
	b = append(b, '\t')
	b = t.AppendFormat(b, "15:04:05")
	b = appendField(b, rec.Location, false)
	b = appendInt(b, rec.ScBytes)
	b = appendField(b, rec.ClientIP, false)
	b = appendField(b, rec.Method, false)
	b = appendField(b, rec.Host, true)
	b = appendField(b, rec.URIStem, false)
	b = append(b, '\t')
	if rec.Status == 0 {
		b = append(b, "000"...)
	} else {
		b = strconv.AppendInt(b, int64(rec.Status), 10)
	}
	b = appendField(b, rec.Referer, true)
	b = appendField(b, rec.UserAgent, true)
	b = appendField(b, rec.Query, false)
	b = appendField(b, rec.Cookie, true)
	b = appendField(b, rec.ResultType, false)
	b = appendField(b, rec.RequestID, false)
	b = appendField(b, rec.HostHeader, true)
	b = appendField(b, rec.Protocol, false)
	b = appendInt(b, rec.CsBytes)
	b = appendSeconds(b, rec.TimeTaken)
	b = appendField(b, rec.ForwardedFor, true)
	b = appendField(b, rec.SSLProtocol, false)
	b = appendField(b, rec.SSLCipher, false)
	b = appendField(b, rec.ResponseResultType, false)
	b = appendField(b, rec.ProtocolVersion, false)
	b = appendField(b, "", false) // fle-status: no field-level encryption
	b = appendField(b, "", false) // fle-encrypted-fields
	b = appendField(b, rec.ClientPort, false)
	b = appendSeconds(b, rec.TimeToFirstByte)
	b = appendField(b, rec.DetailedResultType, false)
	b = appendField(b, rec.ContentType, true)
	b = appendField(b, rec.ContentLen, false)
	b = appendField(b, rec.RangeStart, false)
	b = appendField(b, rec.RangeEnd, false)
	return append(b, '\n')
}

// appendField appends a tab and s, or "-" when s is empty.
func appendField(b []byte, s string, encodePercent bool) []byte {
	b = append(b, '\t')
	if s == "" {
		return append(b, '-')
	}
	return appendEscaped(b, s, encodePercent)
}

const hexDigits = "0123456789ABCDEF"

// appendEscaped percent-encodes control bytes, space, DEL and non-ASCII bytes, and '%'
// when encodePercent.
func appendEscaped(b []byte, s string, encodePercent bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || (c == '%' && encodePercent) {
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
			continue
		}
		b = append(b, c)
	}
	return b
}

func appendInt(b []byte, n int64) []byte {
	b = append(b, '\t')
	return strconv.AppendInt(b, n, 10)
}

// appendSeconds writes a duration in seconds with millisecond precision (0.338), as
// time-taken and time-to-first-byte are logged.
func appendSeconds(b []byte, d time.Duration) []byte {
	b = append(b, '\t')
	if d < 0 {
		d = 0
	}
	return strconv.AppendFloat(b, d.Seconds(), 'f', 3, 64)
}
