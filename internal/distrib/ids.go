package distrib

import (
	"crypto/rand"
	"strings"
)

// idAlphabet is what CloudFront ids and ETags are made of: upper-case letters and digits.
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newID returns "E" followed by 13 random upper-case alphanumerics, the shape of CloudFront's
// OAI, OAC and distribution ids (e.g. E2QWRUHAPOMQZL) and of its ETags. 36^13 values make a
// collision practically impossible; callers still refuse to overwrite an existing id.
func newID() string {
	var b [13]byte
	// crypto/rand.Read never returns an error (Go 1.24+): it panics instead.
	rand.Read(b[:])
	var sb strings.Builder
	sb.Grow(14)
	sb.WriteByte('E')
	for _, c := range b {
		// 252 = 7*36: rejection would be exact, but a 4/256 bias in an opaque id is harmless.
		sb.WriteByte(idAlphabet[int(c)%len(idAlphabet)])
	}
	return sb.String()
}

// validID reports whether s could be an id issued by newID. Ids come from URL paths, so
// anything else is simply not found, and never reaches the store as a key.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(idAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}
