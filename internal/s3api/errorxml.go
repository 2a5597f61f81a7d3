package s3api

import (
	"bytes"
	"encoding/xml"
	"strings"
	"unicode/utf8"
)

// writeErrorBody renders e as S3's <Error> document. It is written by hand (no reflection):
// error answers are frequent on hot paths such as HEAD of a missing key, and the shape is
// fixed. Error bodies carry no XML namespace, as S3's do not.
func writeErrorBody(buf *bytes.Buffer, e *Error, resource, requestID, hostID string) {
	buf.WriteString(xml.Header)
	buf.WriteString("<Error><Code>")
	xmlText(buf, e.Code)
	buf.WriteString("</Code><Message>")
	xmlText(buf, e.Message)
	buf.WriteString("</Message>")
	for _, f := range e.Fields {
		buf.WriteByte('<')
		buf.WriteString(f.Name)
		buf.WriteByte('>')
		xmlText(buf, f.Value)
		buf.WriteString("</")
		buf.WriteString(f.Name)
		buf.WriteByte('>')
	}
	if resource != "" {
		buf.WriteString("<Resource>")
		xmlText(buf, resource)
		buf.WriteString("</Resource>")
	}
	buf.WriteString("<RequestId>")
	buf.WriteString(requestID)
	buf.WriteString("</RequestId><HostId>")
	xmlText(buf, hostID)
	buf.WriteString("</HostId></Error>")
}

// xmlText writes s escaped as XML character data. Unlike xml.EscapeText it keeps line
// breaks literal, as S3 does in StringToSign and CanonicalRequest, so they stay readable;
// characters XML 1.0 cannot carry become U+FFFD.
func xmlText(buf *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		size := 1
		switch {
		case c >= 0x80: // multi-byte: only invalid UTF-8 and non-characters need replacing
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if (r != utf8.RuneError || size != 1) && isXMLChar(r) {
				i += size
				continue
			}
			esc = "\uFFFD"
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '"':
			esc = "&quot;"
		case c == '\r':
			esc = "&#xD;"
		case c < 0x20 && c != '\t' && c != '\n':
			esc = "\uFFFD"
		default:
			i++
			continue
		}
		buf.WriteString(s[last:i])
		buf.WriteString(esc)
		i += size
		last = i
	}
	buf.WriteString(s[last:])
}

// isXMLChar reports whether r may appear in an XML 1.0 document (the Char production).
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// detail is an error's text without its package prefix, as a sentence for the client.
func detail(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 && !strings.Contains(s[:i], " ") {
		s = s[i+2:]
	}
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// spacedHex renders s as S3's *Bytes fields do: two hex digits per byte, space separated.
func spacedHex(s string) string {
	if s == "" {
		return ""
	}
	b := make([]byte, 0, len(s)*3-1)
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, "0123456789abcdef"[s[i]>>4], "0123456789abcdef"[s[i]&0xF])
	}
	return string(b)
}
