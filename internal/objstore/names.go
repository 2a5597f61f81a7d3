package objstore

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// ValidateBucketName applies the general purpose bucket naming rules of
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html and returns an
// error wrapping ErrInvalidBucketName that says which rule failed. Implementations call it so
// that a bucket name can never contain '/' or other bytes that would confuse a storage layout.
func ValidateBucketName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%w: %q %s", ErrInvalidBucketName, name, why) }
	if len(name) < 3 || len(name) > 63 {
		return bad("must be between 3 and 63 characters long")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return bad("may contain only lowercase letters, digits, '.' and '-'")
		}
	}
	if !isAlnum(name[0]) || !isAlnum(name[len(name)-1]) {
		return bad("must begin and end with a letter or digit")
	}
	if strings.Contains(name, "..") {
		return bad("must not contain two adjacent periods")
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return bad("must not be formatted as an IP address")
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return bad("must not start with " + p)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return bad("must not end with " + s)
		}
	}
	return nil
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// ValidateKey accepts any non-empty UTF-8 key of at most MaxKeyLength bytes
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). Keys are data, never
// paths: "../x", "a//b" and a trailing "/" are all valid keys.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: the key is empty", ErrInvalidKey)
	case len(key) > MaxKeyLength:
		return fmt.Errorf("%w: %d bytes, at most %d allowed", ErrKeyTooLong, len(key), MaxKeyLength)
	case !utf8.ValidString(key):
		return fmt.Errorf("%w: the key is not valid UTF-8", ErrInvalidKey)
	}
	return nil
}

// ValidateBucketConfig checks a per-bucket configuration name and value against the limits
// BucketConfigs documents, returning an error wrapping ErrInvalidBucketConfig.
func ValidateBucketConfig(name string, value []byte) error {
	if name == "" || len(name) > MaxBucketConfigName {
		return fmt.Errorf("%w: the name %q must be 1 to %d bytes long", ErrInvalidBucketConfig, name, MaxBucketConfigName)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '-' {
			return fmt.Errorf("%w: the name %q may hold only a-z, 0-9 and '-'", ErrInvalidBucketConfig, name)
		}
	}
	if len(value) > MaxBucketConfigSize {
		return fmt.Errorf("%w: %q is %d bytes, at most %d allowed", ErrInvalidBucketConfig, name, len(value), MaxBucketConfigSize)
	}
	return nil
}
