package crypt

import "errors"

// Sentinel errors. Errors carrying detail wrap them (fmt.Errorf("%w: ...")), so callers test
// with errors.Is. None of the messages ever contains key material.
var (
	// ErrAuthentication: ciphertext, a stream header or a wrapped key failed authentication:
	// a flipped bit, a truncated, extended or reordered stream, the wrong data key, or a wrapped
	// key presented with the wrong context. Readers return it instead of any unauthenticated
	// byte. For the S3 layer this is an internal error (the stored object is corrupt or was
	// tampered with), never a client error.
	ErrAuthentication = errors.New("crypt: message authentication failed (data corrupt, tampered with, or wrong key)")
	// ErrWrongMasterKey: a wrapped data key names a master key id other than the loaded one,
	// i.e. the server runs with a different master key than the one that wrote the object.
	ErrWrongMasterKey = errors.New("crypt: data key was wrapped by a different master key")
	// ErrInvalidKey: a key of the wrong length or encoding, a master key file that cannot be
	// used, or a zero DataKey value that never came from this package.
	ErrInvalidKey = errors.New("crypt: invalid key")
	// ErrKeyFilePermissions: the master key file can be read by group or others; the key
	// protects every encrypted object, so it must be 0600 (or 0400).
	ErrKeyFilePermissions = errors.New("crypt: master key file permissions are too open")
	// ErrInvalidWrappedKey: a marshaled WrappedKey has the wrong length or version.
	ErrInvalidWrappedKey = errors.New("crypt: malformed wrapped data key record")
	// ErrTooLarge: a stream would need more than 2^32 chunks.
	ErrTooLarge = errors.New("crypt: stream too large for its chunk size")
	// ErrClosed: Write after Close.
	ErrClosed = errors.New("crypt: write to a closed encrypting writer")
	// ErrRange: NewRangeReader was given a negative offset or length, or a range that ends past
	// the plaintext. The caller should have checked the range against PlaintextSize.
	ErrRange = errors.New("crypt: range outside the plaintext")
)
