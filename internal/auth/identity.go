package auth

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
)

// Account is the installation's stable AWS-style account: S3 reports it as bucket and object
// owner, and ARNs of principals are built from it.
type Account struct {
	ID          string `json:"accountId"`   // 12 decimal digits
	CanonicalID string `json:"canonicalId"` // 64 lower-case hex digits
	DisplayName string `json:"displayName"`
}

// RootARN is the account root principal's ARN.
func (a Account) RootARN() string { return "arn:aws:iam::" + a.ID + ":root" }

const accountFile = "account.json"

// LoadOrCreateAccount reads dir/account.json, creating it with fresh random ids on first use so
// the account id survives restarts and upgrades.
func LoadOrCreateAccount(dir string) (Account, error) {
	path := filepath.Join(dir, accountFile)
	var a Account
	err := readJSON(path, &a)
	if err == nil {
		if len(a.ID) != 12 || len(a.CanonicalID) != 64 {
			return Account{}, fmt.Errorf("auth: %s is damaged (bad account or canonical id); restore it from a backup", path)
		}
		return a, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return Account{}, err
	}
	n, err := rand.Int(rand.Reader, big.NewInt(9e11))
	if err != nil {
		return Account{}, err
	}
	canon := make([]byte, 32)
	if _, err := rand.Read(canon); err != nil {
		return Account{}, err
	}
	a = Account{
		ID:          fmt.Sprintf("%012d", n.Int64()+1e11),
		CanonicalID: hex.EncodeToString(canon),
		DisplayName: "imgcdn",
	}
	return a, writeJSON(path, a)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("auth: %s: %w", path, err)
	}
	return nil
}

// writeJSON writes v durably with mode 0600: to a temporary file, fsynced, then renamed, so a
// crash never leaves a half-written secret behind.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
