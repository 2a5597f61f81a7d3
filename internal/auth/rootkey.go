package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

const rootKeyFile = "root-credentials.json"

// RootKeyPath is where the generated root key pair is kept inside the data directory.
func RootKeyPath(dir string) string { return filepath.Join(dir, rootKeyFile) }

// LoadOrCreateRootKey returns the root key pair. An explicit pair (from IMGCDN_ROOT_ACCESS_KEY
// and IMGCDN_ROOT_SECRET_KEY) wins and is not written anywhere; otherwise the pair stored in the
// data directory is used, and on first start a random one is generated and stored with mode
// 0600. created reports that it was generated now, so the caller prints it exactly once.
func LoadOrCreateRootKey(dir, accessKeyID, secret string) (key Key, created bool, err error) {
	if accessKeyID != "" || secret != "" {
		if err := validateExplicit(accessKeyID, secret); err != nil {
			return Key{}, false, err
		}
		return Key{AccessKeyID: accessKeyID, SecretAccessKey: secret}, false, nil
	}
	key, err = ReadRootKey(dir)
	if !errors.Is(err, os.ErrNotExist) {
		return key, false, err
	}
	key = Key{AccessKeyID: "AKIA" + randomString(16, upperAlnum), SecretAccessKey: randomString(40, secretAlphabet)}
	return key, true, writeJSON(RootKeyPath(dir), key)
}

// ReadRootKey reads the generated root key pair; the error wraps os.ErrNotExist when imgcdn has
// not started on dir yet.
func ReadRootKey(dir string) (Key, error) {
	path := RootKeyPath(dir)
	var key Key
	if err := readJSON(path, &key); err != nil {
		return Key{}, err
	}
	if key.AccessKeyID == "" || key.SecretAccessKey == "" {
		return Key{}, fmt.Errorf("auth: %s holds no key pair; delete it to generate a new one", path)
	}
	return key, nil
}

func validateExplicit(accessKeyID, secret string) error {
	switch {
	case accessKeyID == "" || secret == "":
		return errors.New("auth: set both IMGCDN_ROOT_ACCESS_KEY and IMGCDN_ROOT_SECRET_KEY, or neither")
	case len(accessKeyID) < 3 || len(accessKeyID) > 128:
		return errors.New("auth: IMGCDN_ROOT_ACCESS_KEY must be 3 to 128 characters")
	case len(secret) < 8 || len(secret) > 128:
		return errors.New("auth: IMGCDN_ROOT_SECRET_KEY must be 8 to 128 characters")
	}
	return nil
}

const (
	upperAlnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// randomString draws n characters uniformly from alphabet (rejection sampling keeps it unbiased).
func randomString(n int, alphabet string) string {
	out := make([]byte, 0, n)
	buf := make([]byte, 64)
	limit := 256 - 256%len(alphabet)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic("auth: crypto/rand failed: " + err.Error())
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}
