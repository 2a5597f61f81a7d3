package auth

import (
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Keyring maps access key ids to principals: the root pair plus the keys of a KeyFile, which
// it re-reads when the file changes. It is safe for concurrent use; lookups take a read lock
// and, at most once per reloadEvery, one stat of the key file.
type Keyring struct {
	account Account
	root    Key
	file    *KeyFile
	log     *slog.Logger

	checked atomic.Int64 // unix nanos of the last stat of the key file
	mu      sync.RWMutex
	keys    map[string]entry
	stamp   fileStamp
}

// entry is a key with its principal worked out once, at load: lookups run on every request.
type entry struct {
	secret    string
	principal Principal
}

type fileStamp struct {
	mod  time.Time
	size int64
}

// reloadEvery bounds how stale the keyring may be after `imgcdn keys create/delete`.
const reloadEvery = time.Second

// NewKeyring returns a keyring for account with the root key and, when file is not nil, the
// keys kept in it.
func NewKeyring(account Account, root Key, file *KeyFile, log *slog.Logger) *Keyring {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	k := &Keyring{account: account, root: root, file: file, log: log, keys: map[string]entry{root.AccessKeyID: newEntry(account, root)}}
	k.reload()
	return k
}

// Secret returns the secret for an access key id; it is the lookup the SigV4 verifier uses.
func (k *Keyring) Secret(accessKeyID string) (string, bool) {
	e, ok := k.lookup(accessKeyID)
	return e.secret, ok
}

// Principal returns the principal an access key id acts as.
func (k *Keyring) Principal(accessKeyID string) (Principal, bool) {
	e, ok := k.lookup(accessKeyID)
	return e.principal, ok
}

func newEntry(account Account, key Key) entry {
	return entry{secret: key.SecretAccessKey, principal: account.principal(key)}
}

func (k *Keyring) lookup(accessKeyID string) (entry, bool) {
	if k.file != nil {
		now := time.Now().UnixNano()
		if last := k.checked.Load(); now-last > int64(reloadEvery) && k.checked.CompareAndSwap(last, now) {
			k.reload()
		}
	}
	k.mu.RLock()
	e, ok := k.keys[accessKeyID]
	k.mu.RUnlock()
	return e, ok
}

// reload re-reads the key file if its size or modification time changed. A damaged file keeps
// the previous keys in force (and is logged) rather than locking everyone out.
func (k *Keyring) reload() {
	if k.file == nil {
		return
	}
	var stamp fileStamp
	if st, err := os.Stat(k.file.Path()); err == nil {
		stamp = fileStamp{mod: st.ModTime(), size: st.Size()}
	}
	k.mu.RLock()
	same := stamp == k.stamp
	k.mu.RUnlock()
	if same {
		return
	}
	list, err := k.file.List()
	if err != nil {
		k.log.Error("cannot read the key file; keeping the keys loaded before", "path", k.file.Path(), "err", err)
		return
	}
	keys := make(map[string]entry, len(list)+1)
	for _, key := range list {
		keys[key.AccessKeyID] = newEntry(k.account, key)
	}
	keys[k.root.AccessKeyID] = newEntry(k.account, k.root) // the root pair cannot be shadowed by the file
	k.mu.Lock()
	k.keys, k.stamp = keys, stamp
	k.mu.Unlock()
}
