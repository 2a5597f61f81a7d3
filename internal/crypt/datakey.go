package crypt

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
)

// DataKey is a per-object AES-256 key. The zero value is not a key: streams and bodies refuse
// it with ErrInvalidKey rather than encrypt under 32 zero bytes. String and GoString never
// print the key.
type DataKey struct {
	k  [KeySize]byte
	ok bool
}

// DataKeyFromBytes makes a data key from exactly 32 bytes (copied), e.g. an SSE-C
// customer-provided key.
func DataKeyFromBytes(b []byte) (DataKey, error) {
	if len(b) != KeySize {
		return DataKey{}, fmt.Errorf("%w: a data key is %d bytes, got %d", ErrInvalidKey, KeySize, len(b))
	}
	var d DataKey
	copy(d.k[:], b)
	d.ok = true
	return d, nil
}

// String hides the key.
func (DataKey) String() string { return "crypt.DataKey(redacted)" }

// GoString hides the key from %#v too.
func (d DataKey) GoString() string { return d.String() }

// aead returns AES-256-GCM under the data key.
func (d *DataKey) aead() (cipher.AEAD, error) {
	if !d.ok {
		return nil, fmt.Errorf("%w: zero DataKey (use MasterKey.NewDataKey, Unwrap or DataKeyFromBytes)", ErrInvalidKey)
	}
	return newAEAD(d.k[:])
}

// Wrapped key record layout; see the package documentation.
const (
	wrapVersion   = 1
	wrapNonceSize = 12
	tagSize       = 16
	// WrappedKeySize is the length of a marshaled WrappedKey.
	WrappedKeySize = 1 + keyIDSize + wrapNonceSize + KeySize + tagSize
)

// WrappedKey is a data key sealed under a master key, to be stored with the object's metadata
// (MarshalBinary gives WrappedKeySize bytes). It is not secret on its own.
type WrappedKey struct {
	keyID  [keyIDSize]byte
	nonce  [wrapNonceSize]byte
	sealed [KeySize + tagSize]byte
}

// MasterKeyID returns the id (16 hex digits) of the master key that wrapped this key.
func (w WrappedKey) MasterKeyID() string { return hex.EncodeToString(w.keyID[:]) }

// AppendBinary appends the WrappedKeySize-byte record to b (encoding.BinaryAppender).
func (w WrappedKey) AppendBinary(b []byte) ([]byte, error) {
	if w == (WrappedKey{}) {
		return b, fmt.Errorf("%w: zero WrappedKey", ErrInvalidWrappedKey)
	}
	b = append(b, wrapVersion)
	b = append(b, w.keyID[:]...)
	b = append(b, w.nonce[:]...)
	return append(b, w.sealed[:]...), nil
}

// MarshalBinary returns the WrappedKeySize-byte record (encoding.BinaryMarshaler).
func (w WrappedKey) MarshalBinary() ([]byte, error) {
	return w.AppendBinary(make([]byte, 0, WrappedKeySize))
}

// UnmarshalBinary parses a record made by MarshalBinary (encoding.BinaryUnmarshaler). It
// checks only the framing; authenticity is checked by MasterKey.Unwrap.
func (w *WrappedKey) UnmarshalBinary(b []byte) error {
	if len(b) != WrappedKeySize {
		return fmt.Errorf("%w: %d bytes, want %d", ErrInvalidWrappedKey, len(b), WrappedKeySize)
	}
	if b[0] != wrapVersion {
		return fmt.Errorf("%w: unknown version %d", ErrInvalidWrappedKey, b[0])
	}
	b = b[1:]
	b = b[copy(w.keyID[:], b):]
	b = b[copy(w.nonce[:], b):]
	copy(w.sealed[:], b)
	return nil
}

// NewDataKey returns a fresh random data key and the same key wrapped under m for context.
// context names the one object the key belongs to (its internal id, say); Unwrap must be given
// the same bytes. Use one data key per encrypted stream.
func (m *MasterKey) NewDataKey(context []byte) (DataKey, WrappedKey, error) {
	var d DataKey
	if err := randomBytes(d.k[:]); err != nil {
		return DataKey{}, WrappedKey{}, err
	}
	d.ok = true
	w, err := m.Wrap(d, context)
	if err != nil {
		return DataKey{}, WrappedKey{}, err
	}
	return d, w, nil
}

// Wrap seals an existing data key under m for context: to rebind a key to a new object (a
// copy that shares the ciphertext) or to re-wrap it under a new master key during rotation.
func (m *MasterKey) Wrap(d DataKey, context []byte) (WrappedKey, error) {
	if !d.ok {
		return WrappedKey{}, fmt.Errorf("%w: zero DataKey", ErrInvalidKey)
	}
	w := WrappedKey{keyID: m.id}
	if err := randomBytes(w.nonce[:]); err != nil {
		return WrappedKey{}, err
	}
	var aadBuf [64]byte
	m.aead.Seal(w.sealed[:0], w.nonce[:], d.k[:], wrapAAD(aadBuf[:0], m.id, context))
	return w, nil
}

// Unwrap opens a wrapped key for context. A key wrapped by another master key gives
// ErrWrongMasterKey (naming both key ids); a wrong context or a modified record gives
// ErrAuthentication.
func (m *MasterKey) Unwrap(w WrappedKey, context []byte) (DataKey, error) {
	if subtle.ConstantTimeCompare(w.keyID[:], m.id[:]) != 1 {
		return DataKey{}, fmt.Errorf("%w: the object's key was wrapped by master key %s but this server runs with master key %s; start it with the original key file or IMGCDN_MASTER_KEY",
			ErrWrongMasterKey, w.MasterKeyID(), m.ID())
	}
	var d DataKey
	var aadBuf [64]byte
	if _, err := m.aead.Open(d.k[:0], w.nonce[:], w.sealed[:], wrapAAD(aadBuf[:0], m.id, context)); err != nil {
		return DataKey{}, fmt.Errorf("%w: wrapped data key does not open for this object (wrong context or corrupt metadata)", ErrAuthentication)
	}
	d.ok = true
	return d, nil
}

// wrapAAD appends version || key id || context to b.
func wrapAAD(b []byte, id [keyIDSize]byte, context []byte) []byte {
	b = append(b, wrapVersion)
	b = append(b, id[:]...)
	return append(b, context...)
}
