package imaging

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

const testSecret = "k3y-secret"

// TestSignVector pins the scheme to an independent computation (Python's hmac module):
// hmac.new(b"k3y-secret", b"imgcdn-image-v1\n/images/a.jpg\nwidth=300,format=auto",
// sha256), base64url without padding. Applications that sign URLs themselves follow it.
func TestSignVector(t *testing.T) {
	const want = "LcwkYdfHZ3-yIQjTQ116q2EJAQ-sn2HmFpGuvoanzJ8"
	if got := Sign(testSecret, "/images/a.jpg", "width=300,format=auto"); got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
	if !Verify(testSecret, "/images/a.jpg", "width=300,format=auto", want) {
		t.Error("Verify refuses the vector")
	}
}

func TestVerifyRefuses(t *testing.T) {
	sig := Sign(testSecret, "/images/a.jpg", "width=300")
	for _, tc := range []struct{ name, secret, path, opts, sig string }{
		{"other path", testSecret, "/images/b.jpg", "width=300", sig},
		{"other options", testSecret, "/images/a.jpg", "width=301", sig},
		{"other secret", "other", "/images/a.jpg", "width=300", sig},
		{"empty secret", "", "/images/a.jpg", "width=300", Sign("", "/images/a.jpg", "width=300")},
		{"empty signature", testSecret, "/images/a.jpg", "width=300", ""},
		{"truncated", testSecret, "/images/a.jpg", "width=300", sig[:20]},
		{"padded", testSecret, "/images/a.jpg", "width=300", sig + "="},
		{"not base64", testSecret, "/images/a.jpg", "width=300", strings.Repeat("!", len(sig))},
		// The separator keeps the path and the options apart.
		{"shifted", testSecret, "/images/a.jpg\nwidth=300", "", sig},
	} {
		if Verify(tc.secret, tc.path, tc.opts, tc.sig) {
			t.Errorf("%s: Verify accepted", tc.name)
		}
	}
}

func TestAllowedWidth(t *testing.T) {
	for _, tc := range []struct {
		allowed []int
		w       int
		want    bool
	}{
		{nil, 0, true},
		{nil, 1234, true},
		{[]int{320, 640}, 320, true},
		{[]int{320, 640}, 640, true},
		{[]int{320, 640}, 641, false},
		{[]int{320, 640}, 0, false},
		{[]int{320, 640}, -320, false},
	} {
		if got := AllowedWidth(tc.allowed, tc.w); got != tc.want {
			t.Errorf("AllowedWidth(%v, %d) = %v, want %v", tc.allowed, tc.w, got, tc.want)
		}
	}
}

func TestSignURL(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"path form", "/cdn-cgi/image/w=300,format=auto/images/a.jpg",
			"/cdn-cgi/image/w=300,format=auto/images/a.jpg?sig=" + Sign(testSecret, "/images/a.jpg", "width=300,format=auto")},
		{"absolute, query kept", "https://d1.cdn.example/cdn-cgi/image/width=300/images/a.jpg?v=2",
			"https://d1.cdn.example/cdn-cgi/image/width=300/images/a.jpg?v=2&sig=" + Sign(testSecret, "/images/a.jpg", "width=300")},
		{"query form", "/images/a.jpg?format=auto&width=300&utm=x",
			"/images/a.jpg?format=auto&width=300&utm=x&sig=" + Sign(testSecret, "/images/a.jpg", "width=300,format=auto")},
		{"re-signed", "/images/a.jpg?sig=old&w=300",
			"/images/a.jpg?w=300&sig=" + Sign(testSecret, "/images/a.jpg", "width=300")},
		{"percent-encoded source", "/cdn-cgi/image/width=300/images/a%20b.jpg",
			"/cdn-cgi/image/width=300/images/a%20b.jpg?sig=" + Sign(testSecret, "/images/a b.jpg", "width=300")},
	} {
		got, err := SignURL(testSecret, tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%s: SignURL(%q) = %q, %v; want %q", tc.name, tc.in, got, err, tc.want)
			continue
		}
		u, _ := url.Parse(got)
		if !VerifyURL(testSecret, u) || VerifyURL("other", u) {
			t.Errorf("%s: VerifyURL(%q) does not hold under exactly the signing secret", tc.name, got)
		}
	}
	// Every spelling of one variant shares the signature.
	a, _ := SignURL(testSecret, "/cdn-cgi/image/w=300,format=auto/images/a.jpg")
	b, _ := SignURL(testSecret, "/cdn-cgi/image/format=auto,width=300,fit=scale-down/images/a.jpg")
	if sig(a) != sig(b) {
		t.Errorf("equivalent options signed differently: %s %s", a, b)
	}
	for _, in := range []string{"/images/a.jpg", "/images/a.jpg?v=1", "/cdn-cgi/image/width=300/"} {
		if _, err := SignURL(testSecret, in); !errors.Is(err, ErrNotTransform) {
			t.Errorf("SignURL(%q) = %v, want ErrNotTransform", in, err)
		}
	}
	var oe *OptionError
	if _, err := SignURL(testSecret, "/cdn-cgi/image/width=huge/images/a.jpg"); !errors.As(err, &oe) || oe.Option != "width" {
		t.Errorf("bad option: %v, want an OptionError naming width", err)
	}
	if _, err := SignURL("", "/cdn-cgi/image/width=300/a.jpg"); err == nil {
		t.Error("SignURL without a secret succeeded")
	}
}

func TestVerifyURLTampered(t *testing.T) {
	signed, err := SignURL(testSecret, "/cdn-cgi/image/width=300/images/a.jpg")
	if err != nil {
		t.Fatal(err)
	}
	s := sig(signed)
	for _, raw := range []string{
		"/cdn-cgi/image/width=3000/images/a.jpg?sig=" + s,
		"/cdn-cgi/image/width=300/images/b.jpg?sig=" + s,
		"/cdn-cgi/image/width=300,blur=50/images/a.jpg?sig=" + s,
		"/cdn-cgi/image/width=300/images/a.jpg",
		"/images/a.jpg?sig=" + s, // no options: not a transform at all
	} {
		u, _ := url.Parse(raw)
		if VerifyURL(testSecret, u) {
			t.Errorf("VerifyURL(%q) accepted", raw)
		}
	}
	// The query form of the same variant carries the same signature.
	u, _ := url.Parse("/images/a.jpg?width=300&sig=" + s)
	if !VerifyURL(testSecret, u) {
		t.Error("query form of the signed variant refused")
	}
}

func sig(raw string) string {
	u, _ := url.Parse(raw)
	return u.Query().Get(SignatureParam)
}

// FuzzVerifyURL: VerifyURL never panics on any request URL, and SignURL's output always
// verifies.
func FuzzVerifyURL(f *testing.F) {
	for _, s := range []string{"/cdn-cgi/image/width=300/images/a.jpg?sig=abc", "/images/a.jpg?w=1&w=2", "/cdn-cgi/image/,,/x?sig=%zz", "/x?width=1&sig="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		VerifyURL(testSecret, u)
		signed, err := SignURL(testSecret, raw)
		if err != nil {
			return
		}
		v, err := url.Parse(signed)
		if err != nil || !VerifyURL(testSecret, v) {
			t.Fatalf("SignURL(%q) = %q does not verify (%v)", raw, signed, err)
		}
	})
}
