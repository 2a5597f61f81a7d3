package s3api

import (
	"strings"
	"time"
)

// s3NS is the namespace of every S3 response document except <Error>.
const s3NS = "http://s3.amazonaws.com/doc/2006-03-01/"

// xmlOwner is the <Owner> and <Initiator> element.
type xmlOwner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

func (s *Server) owner() *xmlOwner {
	return &xmlOwner{ID: s.cfg.Owner.CanonicalID, DisplayName: s.cfg.Owner.DisplayName}
}

// xmlCommonPrefix is one <CommonPrefixes> entry of a listing.
type xmlCommonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// isoTime formats a timestamp as S3 does in XML bodies: ISO 8601 in UTC with milliseconds.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// httpTime formats a timestamp as an HTTP-date (RFC 9110 §5.6.7), for Last-Modified.
func httpTime(t time.Time) string { return t.UTC().Format(http1123) }

const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

// quoteETag returns the entity-tag as S3 sends it, in double quotes.
func quoteETag(etag string) string { return `"` + etag + `"` }

// unquoteETag strips the quotes (and a weak prefix) a client may send around an ETag.
func unquoteETag(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "W/")
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	return s
}
