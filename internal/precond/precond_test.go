package precond

import (
	"net/http"
	"testing"
	"time"
)

// The object every case is evaluated against. Last-Modified has a fractional second so that the
// one-second granularity is exercised: a client echoing the Last-Modified header back sends
// lmSecond, which must count as "not modified".
var (
	lm       = time.Date(2024, 5, 1, 12, 0, 0, 500_000_000, time.UTC)
	lmSecond = lm.Truncate(time.Second)
	earlier  = lm.Add(-time.Hour)
	later    = lm.Add(time.Hour)
)

const etag = `"d41d8cd98f00b204e9800998ecf8427e"`

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// hdr builds a header from name/value pairs, keeping repeated names as separate lines.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

type evalCase struct {
	name string
	h    http.Header
	etag string // defaults to etag
	// noLM evaluates against an unknown (zero) Last-Modified instead of lm.
	noLM bool
	want Result
}

func runEval(t *testing.T, fn func(http.Header, string, time.Time) Result, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := c.etag
			if e == "" {
				e = etag
			}
			m := lm
			if c.noLM {
				m = time.Time{}
			}
			if got := fn(c.h, e, m); got != c.want {
				t.Errorf("got %v, want %v (headers %v)", got, c.want, c.h)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	const (
		other = `"0123456789abcdef0123456789abcdef"`
		bare  = `d41d8cd98f00b204e9800998ecf8427e`
	)
	runEval(t, Evaluate, []evalCase{
		{name: "no conditions", h: hdr(), want: Proceed},

		// RFC 9110 §13.2.2 step 1: If-Match, strong comparison.
		{name: "if-match equal", h: hdr("If-Match", etag), want: Proceed},
		{name: "if-match different", h: hdr("If-Match", other), want: PreconditionFailed},
		{name: "if-match star", h: hdr("If-Match", "*"), want: Proceed},
		{name: "if-match list with match", h: hdr("If-Match", other+", "+etag), want: Proceed},
		{name: "if-match list without match", h: hdr("If-Match", other+`, "x"`), want: PreconditionFailed},
		{name: "if-match split over lines", h: hdr("If-Match", other, "If-Match", etag), want: Proceed},
		{name: "if-match weak tag fails strong comparison", h: hdr("If-Match", "W/"+etag), want: PreconditionFailed},
		{name: "if-match unquoted tag", h: hdr("If-Match", bare), want: Proceed},
		{name: "if-match unquoted in list", h: hdr("If-Match", "abc, "+bare), want: Proceed},
		{name: "if-match quoted star is a literal tag", h: hdr("If-Match", `"*"`), want: PreconditionFailed},
		{name: "if-match empty value is absent", h: hdr("If-Match", " "), want: Proceed},
		{name: "if-match against bare stored etag", h: hdr("If-Match", etag), etag: bare, want: Proceed},
		{name: "if-match prefix is no match", h: hdr("If-Match", `"d41d8cd9"`), want: PreconditionFailed},
		{name: "if-match multipart etag", h: hdr("If-Match", `"abc-3"`), etag: `"abc-3"`, want: Proceed},
		{name: "if-match quoted tag containing comma", h: hdr("If-Match", `"a,b"`), etag: `"a,b"`, want: Proceed},

		// Step 2: If-Unmodified-Since, only without If-Match.
		{name: "ius later date", h: hdr("If-Unmodified-Since", httpDate(later)), want: Proceed},
		{name: "ius same second", h: hdr("If-Unmodified-Since", httpDate(lmSecond)), want: Proceed},
		{name: "ius earlier date", h: hdr("If-Unmodified-Since", httpDate(earlier)), want: PreconditionFailed},
		{name: "ius one second before", h: hdr("If-Unmodified-Since", httpDate(lmSecond.Add(-time.Second))), want: PreconditionFailed},
		{name: "ius invalid date ignored", h: hdr("If-Unmodified-Since", "yesterday"), want: Proceed},
		{name: "ius twice ignored", h: hdr("If-Unmodified-Since", httpDate(earlier), "If-Unmodified-Since", httpDate(earlier)), want: Proceed},
		{name: "ius unknown last-modified ignored", h: hdr("If-Unmodified-Since", httpDate(earlier)), noLM: true, want: Proceed},
		// S3 GetObject: "If-Match evaluates to true, and If-Unmodified-Since evaluates to false;
		// then, S3 returns 200 OK".
		{name: "s3 if-match true, ius false", h: hdr("If-Match", etag, "If-Unmodified-Since", httpDate(earlier)), want: Proceed},
		{name: "if-match false, ius true", h: hdr("If-Match", other, "If-Unmodified-Since", httpDate(later)), want: PreconditionFailed},

		// Step 3: If-None-Match, weak comparison, 304 for GET/HEAD.
		{name: "inm equal", h: hdr("If-None-Match", etag), want: NotModified},
		{name: "inm different", h: hdr("If-None-Match", other), want: Proceed},
		{name: "inm star", h: hdr("If-None-Match", "*"), want: NotModified},
		{name: "inm weak tag matches weakly", h: hdr("If-None-Match", "W/"+etag), want: NotModified},
		{name: "inm list with match", h: hdr("If-None-Match", `"x", `+etag), want: NotModified},
		{name: "inm split over lines", h: hdr("If-None-Match", `"x"`, "If-None-Match", etag), want: NotModified},
		{name: "inm unquoted", h: hdr("If-None-Match", bare), want: NotModified},
		{name: "inm unterminated quote", h: hdr("If-None-Match", `"`+bare), want: NotModified},

		// Step 4: If-Modified-Since, only without If-None-Match.
		{name: "ims earlier date", h: hdr("If-Modified-Since", httpDate(earlier)), want: Proceed},
		{name: "ims same second", h: hdr("If-Modified-Since", httpDate(lmSecond)), want: NotModified},
		{name: "ims later date", h: hdr("If-Modified-Since", httpDate(later)), want: NotModified},
		{name: "ims one second before", h: hdr("If-Modified-Since", httpDate(lmSecond.Add(-time.Second))), want: Proceed},
		{name: "ims rfc850 date", h: hdr("If-Modified-Since", later.Format(time.RFC850)), want: NotModified},
		{name: "ims asctime date", h: hdr("If-Modified-Since", later.Format(time.ANSIC)), want: NotModified},
		{name: "ims invalid date ignored", h: hdr("If-Modified-Since", "2024-05-01T13:00:00Z"), want: Proceed},
		{name: "ims unknown last-modified ignored", h: hdr("If-Modified-Since", httpDate(later)), noLM: true, want: Proceed},
		{name: "ims twice ignored", h: hdr("If-Modified-Since", httpDate(later), "If-Modified-Since", httpDate(later)), want: Proceed},
		// S3 GetObject: "If-None-Match evaluates to false, and If-Modified-Since evaluates to
		// true; then, S3 returns 304 Not Modified".
		{name: "s3 inm false, ims true", h: hdr("If-None-Match", etag, "If-Modified-Since", httpDate(earlier)), want: NotModified},
		{name: "inm true, ims false", h: hdr("If-None-Match", other, "If-Modified-Since", httpDate(later)), want: Proceed},

		// Steps 1-2 take precedence over steps 3-4.
		{name: "if-match false before inm false", h: hdr("If-Match", other, "If-None-Match", etag), want: PreconditionFailed},
		{name: "if-match true then inm false", h: hdr("If-Match", etag, "If-None-Match", etag), want: NotModified},
		{name: "if-match true then inm true", h: hdr("If-Match", etag, "If-None-Match", other), want: Proceed},
		{name: "ius false before ims false", h: hdr("If-Unmodified-Since", httpDate(earlier), "If-Modified-Since", httpDate(later)), want: PreconditionFailed},
		{name: "ius true then ims false", h: hdr("If-Unmodified-Since", httpDate(later), "If-Modified-Since", httpDate(later)), want: NotModified},
		{name: "all four true", h: hdr("If-Match", etag, "If-Unmodified-Since", httpDate(later), "If-None-Match", other, "If-Modified-Since", httpDate(earlier)), want: Proceed},

		// The copy-source headers are not GET conditions.
		{name: "copy-source headers ignored", h: hdr("X-Amz-Copy-Source-If-Match", other, "X-Amz-Copy-Source-If-None-Match", etag), want: Proceed},
	})
}

func TestEvaluateCopySource(t *testing.T) {
	const other = `"0123456789abcdef0123456789abcdef"`
	const (
		im  = "x-amz-copy-source-if-match"
		ius = "x-amz-copy-source-if-unmodified-since"
		inm = "x-amz-copy-source-if-none-match"
		ims = "x-amz-copy-source-if-modified-since"
	)
	runEval(t, EvaluateCopySource, []evalCase{
		{name: "no conditions", h: hdr(), want: Proceed},
		{name: "if-match equal", h: hdr(im, etag), want: Proceed},
		{name: "if-match different", h: hdr(im, other), want: PreconditionFailed},
		{name: "if-match unquoted", h: hdr(im, "d41d8cd98f00b204e9800998ecf8427e"), want: Proceed},
		{name: "ius earlier", h: hdr(ius, httpDate(earlier)), want: PreconditionFailed},
		{name: "ius later", h: hdr(ius, httpDate(later)), want: Proceed},
		// CopyObject: "x-amz-copy-source-if-match condition evaluates to true, and;
		// x-amz-copy-source-if-unmodified-since condition evaluates to false; Amazon S3 returns
		// 200 OK and copies the data."
		{name: "s3 if-match true, ius false", h: hdr(im, etag, ius, httpDate(earlier)), want: Proceed},
		{name: "inm equal is 412 not 304", h: hdr(inm, etag), want: PreconditionFailed},
		{name: "inm different", h: hdr(inm, other), want: Proceed},
		{name: "ims later is 412 not 304", h: hdr(ims, httpDate(later)), want: PreconditionFailed},
		{name: "ims earlier", h: hdr(ims, httpDate(earlier)), want: Proceed},
		// CopyObject: "x-amz-copy-source-if-none-match condition evaluates to false, and;
		// x-amz-copy-source-if-modified-since condition evaluates to true; Amazon S3 returns
		// 412 Precondition Failed".
		{name: "s3 inm false, ims true", h: hdr(inm, etag, ims, httpDate(earlier)), want: PreconditionFailed},
		{name: "inm true, ims false", h: hdr(inm, other, ims, httpDate(later)), want: Proceed},
		{name: "invalid date ignored", h: hdr(ims, "not a date"), want: Proceed},
		// The destination's own conditions are not source conditions.
		{name: "plain conditional headers ignored", h: hdr("If-Match", other, "If-None-Match", etag), want: Proceed},
	})
}

func TestResultString(t *testing.T) {
	for r, want := range map[Result]string{Proceed: "Proceed", NotModified: "NotModified", PreconditionFailed: "PreconditionFailed", Result(9): "Result(?)"} {
		if got := r.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(r), got, want)
		}
	}
}
