package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
)

// signingKey derives kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service),
// "aws4_request") (sig-v4-header-based-auth.html, "Calculating a Signature").
func signingKey(secret string, c credential) [32]byte {
	k := hmacSum([]byte("AWS4"+secret), c.date)
	k = hmacSum(k, c.region)
	k = hmacSum(k, c.service)
	k = hmacSum(k, scopeTerminal)
	var out [32]byte
	copy(out[:], k)
	return out
}

func hmacSum(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// keyCacheSize bounds the signing-key cache: one entry per (secret, day, region, service), so
// a few hundred covers many keys over a day boundary; beyond it an arbitrary entry goes.
const keyCacheSize = 256

type keyCacheKey struct {
	secret string
	cred   credential // accessKey is cleared: the key depends on the secret, not the id
}

// keyCache memoises derived signing keys: deriving costs four HMACs per request, the
// signature itself one. It is per Verifier (no global state) and safe for concurrent use.
type keyCache struct {
	mu sync.Mutex
	m  map[keyCacheKey][32]byte
}

func (c *keyCache) get(secret string, cred credential) [32]byte {
	cred.accessKey = ""
	k := keyCacheKey{secret, cred}
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = signingKey(secret, cred)
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[keyCacheKey][32]byte)
	}
	if len(c.m) >= keyCacheSize {
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = v
	c.mu.Unlock()
	return v
}
