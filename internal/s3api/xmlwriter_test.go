package s3api

import (
	"bytes"
	"testing"
	"time"
)

func TestXMLWriterTimeMatchesISOTime(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2009, 10, 12, 17, 50, 30, 123456789, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("x", 3600)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(1700000000, 5e6).In(time.FixedZone("y", -7*3600)),
	} {
		var buf bytes.Buffer
		xmlWriter{&buf}.time("T", tm)
		if want := "<T>" + isoTime(tm) + "</T>"; buf.String() != want {
			t.Errorf("%v: got %s, want %s", tm, buf.String(), want)
		}
	}
}
