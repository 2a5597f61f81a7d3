package syncapi

import (
	"errors"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// FuzzParseStateQuery: any query string parses into a valid query or an InvalidArgument.
func FuzzParseStateQuery(f *testing.F) {
	for _, s := range []string{"node=e", "node=e&after=3&since=-1&wait=60", "node=e&wait=99999999999999999999", "%zz", "node=a&node=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := parseStateQuery(raw)
		if err != nil {
			var ia *distrib.InvalidArgumentError
			if !errors.As(err, &ia) || errorFor(err).body.Code != "InvalidArgument" {
				t.Fatalf("%q: %v is not an InvalidArgument", raw, err)
			}
			return
		}
		if !distrib.ValidNode(q.node) || q.after < -1 || q.since < -1 || q.wait < 0 || q.wait > MaxWait {
			t.Fatalf("%q parsed to an invalid %+v", raw, q)
		}
	})
}

// FuzzDecodeReport: any body decodes into a checked report or a 4xx error.
func FuzzDecodeReport(f *testing.F) {
	for _, s := range []string{`{"node":"e","distributions":{"E1":1},"invalidationSeq":2}`, `{}`, `[`, `{"node":"e","distributions":null}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		rep, err := decodeReport(strings.NewReader(body))
		if err != nil {
			if s := errorFor(err).status; s < 400 || s >= 500 {
				t.Fatalf("%q: %v maps to %d, want a 4xx", body, err, s)
			}
			return
		}
		if !distrib.ValidNode(rep.Node) || rep.InvalidationSeq < 0 {
			t.Fatalf("%q decoded to an invalid %+v", body, rep)
		}
		for _, v := range rep.Distributions {
			if v < 1 {
				t.Fatalf("%q: version %d accepted", body, v)
			}
		}
	})
}
