package imaging

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"slices"
	"strings"
)

// Signed transform URLs (issue 7, "Abuse control"). A distribution can require that every
// transform URL carry a signature made with a secret its owner holds, so that nobody else can
// make the edge produce (and cache) arbitrary variants:
//
//	sig = base64url-nopad( HMAC-SHA256( secret, "imgcdn-image-v1\n" + path + "\n" + options ) )
//
// where path is the source path as the edge decodes it (/images/a.jpg, percent-decoded) and
// options is Options.Canonical() of the transform's options as written in the URL (format=auto
// stays "auto"). The signature goes in the query parameter SignatureParam of either URL form:
//
//	/cdn-cgi/image/width=300,format=auto/images/a.jpg?sig=<sig>
//	/images/a.jpg?width=300&format=auto&sig=<sig>
//
// Signing the canonical options rather than the raw text lets every spelling of one variant
// (w=300 or width=300, in any order) share one signature, and a query parameter keeps the
// options segment free of a name Parse would refuse. Other query parameters are not signed.

// SignatureParam is the query parameter that carries a transform URL's signature.
const SignatureParam = "sig"

// signContext separates these MACs from any other use of the secret, and versions the scheme.
const signContext = "imgcdn-image-v1\n"

// ErrNotTransform: SignURL was given a URL without transform options.
var ErrNotTransform = errors.New("imaging: the URL has no transform options: use /cdn-cgi/image/<options>/<path> or option query parameters such as ?width=300")

// Sign returns the signature of a transform of the source path with canonicalOptions.
func Sign(secret, path, canonicalOptions string) string {
	return base64.RawURLEncoding.EncodeToString(mac(secret, path, canonicalOptions))
}

// Verify reports whether sig is the signature of path and canonicalOptions under secret, in
// constant time. An empty secret verifies nothing.
func Verify(secret, path, canonicalOptions, sig string) bool {
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || secret == "" {
		return false
	}
	return hmac.Equal(got, mac(secret, path, canonicalOptions))
}

func mac(secret, path, canonicalOptions string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signContext))
	m.Write([]byte(path))
	m.Write([]byte{'\n'})
	m.Write([]byte(canonicalOptions))
	return m.Sum(nil)
}

// AllowedWidth reports whether a transform to width w may run where only the widths in
// allowed are: always when allowed is empty (no restriction), else only for a listed width.
// A transform without a width (w is 0) is refused when a list is set, since it could
// otherwise make one variant per height.
func AllowedWidth(allowed []int, w int) bool {
	return len(allowed) == 0 || w > 0 && slices.Contains(allowed, w)
}

// SignedParts returns what a transform URL's signature covers: the source path and the
// canonical options, from either URL form (the path form wins when both are present, as at
// the edge). ok is false when u is not a transform; err reports options that do not parse.
func SignedParts(u *url.URL) (path, canonicalOptions string, ok bool, err error) {
	if options, source, isPath := SplitPath(u.Path); isPath {
		o, err := Parse(options)
		if err != nil {
			return "", "", true, err
		}
		return source, o.Canonical(), true, nil
	}
	o, found, err := ParseQuery(u.Query())
	if !found || err != nil {
		return "", "", found, err
	}
	return u.Path, o.Canonical(), true, nil
}

// VerifyURL reports whether u is a transform URL with a valid signature under secret.
func VerifyURL(secret string, u *url.URL) bool {
	path, canonical, ok, err := SignedParts(u)
	if !ok || err != nil {
		return false
	}
	return Verify(secret, path, canonical, u.Query().Get(SignatureParam))
}

// SignURL returns rawURL (absolute, or a path with its query) with its signature under secret
// as the last query parameter, replacing any signature it had. The rest of the URL is kept as
// written.
func SignURL(secret, rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	if secret == "" {
		return "", errors.New("imaging: no signing secret")
	}
	var kept []string
	for _, p := range strings.Split(u.RawQuery, "&") {
		if k, _, _ := strings.Cut(p, "="); p != "" && k != SignatureParam {
			kept = append(kept, p)
		}
	}
	u.RawQuery = strings.Join(kept, "&")
	path, canonical, ok, err := SignedParts(u)
	switch {
	case err != nil:
		return "", err
	case !ok:
		return "", ErrNotTransform
	}
	kept = append(kept, SignatureParam+"="+Sign(secret, path, canonical))
	u.RawQuery = strings.Join(kept, "&")
	return u.String(), nil
}
