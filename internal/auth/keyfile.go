package auth

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"syscall"
	"time"
)

// KeyFile is the set of extra access keys (users, origin access identities, service
// principals) kept in <data>/keys.json with mode 0600. `imgcdn keys` edits it whether or not
// a server is running: writers take an exclusive lock and replace the file atomically, and a
// running server's Keyring picks changes up within a second.
type KeyFile struct {
	path string
}

// MaxKeys bounds how many extra keys an installation holds.
const MaxKeys = 10000

var (
	// ErrKeyExists means a key for that user, OAI or service already exists.
	ErrKeyExists = errors.New("auth: a key for that principal already exists")
	// ErrNoSuchKey means no key has that access key id.
	ErrNoSuchKey = errors.New("auth: no such access key")
	// ErrInvalidName means a user name or OAI id does not fit AWS's rules.
	ErrInvalidName = errors.New("auth: invalid principal name")

	// errUnchanged, returned by an update function, leaves the file as it was (no rewrite,
	// so running Keyrings do not reload for nothing).
	errUnchanged = errors.New("auth: key file unchanged")
)

// IAM user names: up to 64 of A-Z a-z 0-9 and +=,.@_- (IAM CreateUser reference).
var userName = regexp.MustCompile(`^[A-Za-z0-9+=,.@_-]{1,64}$`)

// OAI ids look like CloudFront's: 14 upper-case letters and digits (we accept 1 to 64).
var oaiID = regexp.MustCompile(`^[A-Z0-9]{1,64}$`)

// OpenKeyFile returns the key file of data directory dir (the file may not exist yet).
func OpenKeyFile(dir string) *KeyFile { return &KeyFile{path: filepath.Join(dir, "keys.json")} }

// Path is the file's location.
func (f *KeyFile) Path() string { return f.path }

type keyFileDoc struct {
	Keys []Key `json:"keys"`
}

// List returns every key, sorted by access key id.
func (f *KeyFile) List() ([]Key, error) {
	var doc keyFileDoc
	if err := readJSON(f.path, &doc); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	sort.Slice(doc.Keys, func(i, j int) bool { return doc.Keys[i].AccessKeyID < doc.Keys[j].AccessKeyID })
	return doc.Keys, nil
}

// Create issues a new key pair for the principal described by tmpl (User, OAI or Service
// set, or Edge). An installation may hold several edge keys (one per edge fleet, so each can
// be revoked alone); other principals have one key each.
func (f *KeyFile) Create(tmpl Key) (Key, error) {
	n := 0
	for _, v := range []string{tmpl.User, tmpl.OAI, tmpl.Service} {
		if v != "" {
			n++
		}
	}
	if tmpl.Edge {
		n++
	}
	switch {
	case n != 1:
		return Key{}, fmt.Errorf("%w: give exactly one of a user name, an OAI id, a service or edge", ErrInvalidName)
	case tmpl.User != "" && !userName.MatchString(tmpl.User):
		return Key{}, fmt.Errorf("%w: user %q: use 1 to 64 of A-Z a-z 0-9 and +=,.@_-", ErrInvalidName, tmpl.User)
	case tmpl.OAI != "" && !oaiID.MatchString(tmpl.OAI):
		return Key{}, fmt.Errorf("%w: OAI id %q: use upper-case letters and digits", ErrInvalidName, tmpl.OAI)
	case tmpl.Service != "" && tmpl.Service != "cloudfront.amazonaws.com":
		return Key{}, fmt.Errorf("%w: service %q: only cloudfront.amazonaws.com acts on buckets", ErrInvalidName, tmpl.Service)
	}
	var created Key
	err := f.update(func(doc *keyFileDoc) error {
		for _, k := range doc.Keys {
			if !tmpl.Edge && !k.Edge && k.User == tmpl.User && k.OAI == tmpl.OAI && k.Service == tmpl.Service {
				return fmt.Errorf("%w (%s); delete it first to rotate", ErrKeyExists, k.AccessKeyID)
			}
		}
		if len(doc.Keys) >= MaxKeys {
			return fmt.Errorf("auth: %d keys is the limit", MaxKeys)
		}
		created = newKey(tmpl)
		doc.Keys = append(doc.Keys, created)
		return nil
	})
	return created, err
}

// newKey is tmpl with a fresh key pair and creation time.
func newKey(tmpl Key) Key {
	tmpl.AccessKeyID = "AKIA" + randomString(16, upperAlnum)
	tmpl.SecretAccessKey = randomString(40, secretAlphabet)
	tmpl.Created = time.Now().UTC().Format(time.RFC3339)
	return tmpl
}

// Delete removes the key with this access key id.
func (f *KeyFile) Delete(accessKeyID string) error {
	return f.update(func(doc *keyFileDoc) error {
		for i, k := range doc.Keys {
			if k.AccessKeyID == accessKeyID {
				doc.Keys = append(doc.Keys[:i], doc.Keys[i+1:]...)
				return nil
			}
		}
		return fmt.Errorf("%w: %s", ErrNoSuchKey, accessKeyID)
	})
}

// update runs fn on the document under an exclusive lock and writes the result durably.
func (f *KeyFile) update(fn func(*keyFileDoc) error) error {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return err
	}
	lock, err := os.OpenFile(f.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	var doc keyFileDoc
	if err := readJSON(f.path, &doc); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := fn(&doc); err != nil {
		return err // errUnchanged included: the caller unwraps it
	}
	return writeJSON(f.path, doc)
}
