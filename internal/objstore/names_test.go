package objstore

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateBucketName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"abc", true},
		{"my.bucket-1", true},
		{strings.Repeat("a", 63), true},
		{"192.168.5.4.5", true}, // not an IP address: five labels
		{"ab", false},
		{strings.Repeat("a", 64), false},
		{"Abc", false},
		{"a_b", false},
		{"a b", false},
		{"-abc", false},
		{"abc.", false},
		{"a..b", false},
		{"192.168.5.4", false},
		{"xn--abc", false},
		{"sthree-abc", false},
		{"amzn-s3-demo-x", false},
		{"abc-s3alias", false},
		{"abc--ol-s3", false},
		{"abc.mrap", false},
		{"abc--x-s3", false},
		{"abc--table-s3", false},
		{"a/b", false},
	} {
		err := ValidateBucketName(tc.name)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInvalidBucketName)) {
			t.Errorf("ValidateBucketName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestValidateKey(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want error
	}{
		{"a", nil},
		{"../x", nil},
		{"a//b/", nil},
		{strings.Repeat("k", MaxKeyLength), nil},
		{strings.Repeat("k", MaxKeyLength+1), ErrKeyTooLong},
		{"", ErrInvalidKey},
		{"\xff", ErrInvalidKey},
	} {
		if err := ValidateKey(tc.key); !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("ValidateKey(%.20q) = %v, want %v", tc.key, err, tc.want)
		}
	}
}

func TestValidateBucketConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		ok   bool
	}{
		{"policy", 20 << 10, true},
		{"public-access-block", 0, true},
		{"ownership-controls2", MaxBucketConfigSize, true},
		{strings.Repeat("a", MaxBucketConfigName), 1, true},
		{"", 1, false},
		{strings.Repeat("a", MaxBucketConfigName+1), 1, false},
		{"Policy", 1, false},
		{"a/b", 1, false},
		{"a_b", 1, false},
		{"policy", MaxBucketConfigSize + 1, false},
	} {
		err := ValidateBucketConfig(tc.name, make([]byte, tc.size))
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInvalidBucketConfig)) {
			t.Errorf("ValidateBucketConfig(%q, %d bytes) = %v, want ok %v", tc.name, tc.size, err, tc.ok)
		}
	}
}
