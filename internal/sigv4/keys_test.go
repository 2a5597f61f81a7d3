package sigv4

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestSigningKeyDocumentation checks the derivation against the IAM guide's example
// ("Examples of how to derive a signing key for Signature Version 4": secret
// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam).
func TestSigningKeyDocumentation(t *testing.T) {
	k := signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", credential{date: "20120215", region: "us-east-1", service: "iam"})
	if got, want := hex.EncodeToString(k[:]), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"; got != want {
		t.Errorf("signing key %s, want %s", got, want)
	}
}

func TestKeyCacheBoundedAndConcurrent(t *testing.T) {
	var c keyCache
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				secret := fmt.Sprintf("secret-%d", i%(keyCacheSize+50))
				cred := credential{accessKey: "AK", date: "20240229", region: "r", service: "s3"}
				got := c.get(secret, cred)
				if got != signingKey(secret, cred) {
					t.Errorf("cached key for %s differs", secret)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	c.mu.Lock()
	n := len(c.m)
	c.mu.Unlock()
	if n > keyCacheSize {
		t.Errorf("cache holds %d keys, bound %d", n, keyCacheSize)
	}
}

// TestKeyCacheSecretRotation: a changed secret must not be served from the cache.
func TestKeyCacheSecretRotation(t *testing.T) {
	secret := rtSecret
	v := verifierAt(signTime, rtAccessKey, "")
	v.Secret = func(string) (string, bool) { return secret, true }
	if _, err := v.Verify(sdkSigned(t, nil)); err != nil {
		t.Fatal(err)
	}
	secret = "rotated"
	if _, err := v.Verify(sdkSigned(t, nil)); err == nil {
		t.Fatal("old signature accepted after the secret changed")
	}
}

func TestContentEncoding(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"aws-chunked"}, ""},
		{[]string{"gzip,aws-chunked"}, "gzip"},
		{[]string{"aws-chunked, gzip", "br"}, "gzip,br"},
		{[]string{"AWS-Chunked"}, ""},
	} {
		h := http.Header{"Content-Encoding": tc.in}
		if got := ContentEncoding(h); got != tc.want {
			t.Errorf("ContentEncoding(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
