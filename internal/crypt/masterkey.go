package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// KeySize is the size in bytes of master keys and data keys (AES-256).
const KeySize = 32

// keyIDSize is the size of a master key id: enough to tell keys apart, not a secret.
const keyIDSize = 8

// keyIDDomain separates the key-id hash from any other use of SHA-256 over the key.
const keyIDDomain = "imgcdn master key id v1\x00"

// MasterKey wraps and unwraps per-object data keys. It is safe for concurrent use; the String
// and GoString methods print only the key id, so a MasterKey never leaks into logs.
type MasterKey struct {
	id   [keyIDSize]byte
	aead cipher.AEAD
}

// MasterKeyFromBytes makes a master key from exactly 32 bytes of key material (copied).
func MasterKeyFromBytes(b []byte) (*MasterKey, error) {
	if len(b) != KeySize {
		return nil, fmt.Errorf("%w: a master key is %d bytes, got %d", ErrInvalidKey, KeySize, len(b))
	}
	aead, err := newAEAD(b)
	if err != nil {
		return nil, err
	}
	m := &MasterKey{aead: aead}
	h := sha256.New()
	h.Write([]byte(keyIDDomain))
	h.Write(b)
	copy(m.id[:], h.Sum(nil))
	return m, nil
}

// MasterKeyFromBase64 decodes a master key given as base64 (standard or URL alphabet, padded or
// not, surrounding white space ignored), the form of the IMGCDN_MASTER_KEY environment variable.
// `head -c 32 /dev/urandom | base64` makes one. The error never echoes the input.
func MasterKeyFromBase64(s string) (*MasterKey, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		if len(b) != KeySize {
			return nil, fmt.Errorf("%w: the base64 master key decodes to %d bytes; want %d (make one with: head -c 32 /dev/urandom | base64)", ErrInvalidKey, len(b), KeySize)
		}
		return MasterKeyFromBytes(b)
	}
	return nil, fmt.Errorf("%w: the master key is not valid base64 (make one with: head -c 32 /dev/urandom | base64)", ErrInvalidKey)
}

// ID returns the key id as 16 hex digits. It is public: it identifies the key without
// revealing it, and is safe to log.
func (m *MasterKey) ID() string { return hex.EncodeToString(m.id[:]) }

// String prints the key id only.
func (m *MasterKey) String() string { return "crypt.MasterKey(id=" + m.ID() + ")" }

// GoString prints the key id only, so %#v cannot leak the key either.
func (m *MasterKey) GoString() string { return m.String() }

// newAEAD returns AES-256-GCM with the standard 12-byte nonce and 16-byte tag.
func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidKey, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		// Only in GODEBUG=fips140=only mode, which forbids caller-chosen GCM nonces.
		return nil, fmt.Errorf("crypt: AES-GCM unavailable: %w", err)
	}
	return aead, nil
}

// randomBytes fills b from crypto/rand, which since Go 1.24 never fails (it crashes the
// program rather than return predictable bytes); the error is kept for a replaced rand.Reader.
func randomBytes(b []byte) error {
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("crypt: reading random bytes: %w", err)
	}
	return nil
}
