package s3api

import (
	"bytes"
	"strconv"
	"time"
)

// xmlDocument is an answer that writes its own XML. Listings implement it: encoding/xml's
// reflection was over half the server time of a 1,000-key ListObjectsV2 page, and listing
// speed is one of imgcdn's measured goals. Everything else goes through encoding/xml.
type xmlDocument interface {
	writeXML(w xmlWriter)
}

// xmlWriter appends elements to a buffer; text is escaped by xmlText.
type xmlWriter struct{ b *bytes.Buffer }

func (w xmlWriter) start(name string) {
	w.b.WriteByte('<')
	w.b.WriteString(name)
	w.b.WriteByte('>')
}

// startNS opens the root element with S3's namespace.
func (w xmlWriter) startNS(name string) {
	w.b.WriteByte('<')
	w.b.WriteString(name)
	w.b.WriteString(` xmlns="` + s3NS + `">`)
}

func (w xmlWriter) end(name string) {
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteByte('>')
}

func (w xmlWriter) text(name, value string) {
	w.start(name)
	xmlText(w.b, value)
	w.end(name)
}

// textIf writes the element only when value is not empty (omitempty).
func (w xmlWriter) textIf(name, value string) {
	if value != "" {
		w.text(name, value)
	}
}

func (w xmlWriter) int(name string, n int64) {
	w.start(name)
	var a [20]byte
	w.b.Write(strconv.AppendInt(a[:0], n, 10))
	w.end(name)
}

func (w xmlWriter) bool(name string, v bool) {
	w.start(name)
	if v {
		w.b.WriteString("true")
	} else {
		w.b.WriteString("false")
	}
	w.end(name)
}

// time writes a timestamp as isoTime does ("2006-01-02T15:04:05.000Z"), formatted by hand:
// time.Format was a fifth of a listing's encoding time.
func (w xmlWriter) time(name string, t time.Time) {
	w.start(name)
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	ms := t.Nanosecond() / 1e6
	if year < 0 || year > 9999 {
		w.b.WriteString(isoTime(t))
	} else {
		var a [24]byte
		put := func(i, v, n int) {
			for j := i + n - 1; j >= i; j-- {
				a[j] = byte('0' + v%10)
				v /= 10
			}
		}
		put(0, year, 4)
		a[4] = '-'
		put(5, int(month), 2)
		a[7] = '-'
		put(8, day, 2)
		a[10] = 'T'
		put(11, hour, 2)
		a[13] = ':'
		put(14, minute, 2)
		a[16] = ':'
		put(17, sec, 2)
		a[19] = '.'
		put(20, ms, 3)
		a[23] = 'Z'
		w.b.Write(a[:])
	}
	w.end(name)
}

// etag writes an entity tag in quotes.
func (w xmlWriter) etag(name, etag string) {
	w.start(name)
	w.b.WriteString("&quot;")
	xmlText(w.b, etag)
	w.b.WriteString("&quot;")
	w.end(name)
}

func (w xmlWriter) owner(name string, o *xmlOwner) {
	w.start(name)
	w.text("ID", o.ID)
	w.textIf("DisplayName", o.DisplayName)
	w.end(name)
}
