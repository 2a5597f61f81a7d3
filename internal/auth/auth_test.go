package auth

import (
	"errors"
	"os"
	"regexp"
	"testing"
	"time"
)

func TestAccountIsStableAndWellFormed(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadOrCreateAccount(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[1-9][0-9]{11}$`).MatchString(a.ID) {
		t.Errorf("account id %q is not 12 digits", a.ID)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(a.CanonicalID) {
		t.Errorf("canonical id %q is not 64 hex", a.CanonicalID)
	}
	b, err := LoadOrCreateAccount(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatalf("account changed across loads: %+v vs %+v", a, b)
	}
}

func TestRootKeyGeneratedOnceWithMode0600(t *testing.T) {
	dir := t.TempDir()
	k1, created, err := LoadOrCreateRootKey(dir, "", "")
	if err != nil || !created {
		t.Fatalf("first load: created=%v err=%v", created, err)
	}
	if len(k1.AccessKeyID) != 20 || len(k1.SecretAccessKey) != 40 {
		t.Errorf("unexpected key shape %q / %d chars", k1.AccessKeyID, len(k1.SecretAccessKey))
	}
	st, err := os.Stat(RootKeyPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	k2, created, err := LoadOrCreateRootKey(dir, "", "")
	if err != nil || created || k2 != k1 {
		t.Fatalf("second load: %+v created=%v err=%v", k2, created, err)
	}
}

func TestExplicitRootKey(t *testing.T) {
	dir := t.TempDir()
	k, created, err := LoadOrCreateRootKey(dir, "AKIDEXAMPLE", "wJalrXUtnFEMIK7MDENG")
	if err != nil || created || k.AccessKeyID != "AKIDEXAMPLE" {
		t.Fatalf("%+v %v %v", k, created, err)
	}
	if _, err := os.Stat(RootKeyPath(dir)); !os.IsNotExist(err) {
		t.Fatalf("an explicit key was written to disk: %v", err)
	}
	for _, c := range [][2]string{{"AKID", ""}, {"", "secretsecret"}, {"AK", "secretsecret"}, {"AKIDEXAMPLE", "short"}} {
		if _, _, err := LoadOrCreateRootKey(dir, c[0], c[1]); err == nil {
			t.Errorf("accepted %q/%q", c[0], c[1])
		}
	}
}

func TestKeyringPrincipals(t *testing.T) {
	acct := Account{ID: "123456789012", CanonicalID: "c"}
	dir := t.TempDir()
	kf := OpenKeyFile(dir)
	bob, err := kf.Create(Key{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	oai, err := kf.Create(Key{OAI: "ERTF9F3HTHDQ"})
	if err != nil {
		t.Fatal(err)
	}
	kr := NewKeyring(acct, Key{AccessKeyID: "ROOT", SecretAccessKey: "s1"}, kf, nil)
	if s, ok := kr.Secret("ROOT"); !ok || s != "s1" {
		t.Fatal("root secret lookup failed")
	}
	if _, ok := kr.Secret("NOPE"); ok {
		t.Fatal("unknown key found")
	}
	p, _ := kr.Principal("ROOT")
	if !p.Root || p.ARN != "arn:aws:iam::123456789012:root" || p.Account != acct.ID {
		t.Errorf("root principal %+v", p)
	}
	p, _ = kr.Principal(bob.AccessKeyID)
	if p.Root || p.ARN != "arn:aws:iam::123456789012:user/bob" || p.User != "bob" {
		t.Errorf("user principal %+v", p)
	}
	p, _ = kr.Principal(oai.AccessKeyID)
	if p.Root || p.ARN != "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ERTF9F3HTHDQ" || p.Account != "" || len(p.CanonicalID) != 64 {
		t.Errorf("OAI principal %+v", p)
	}
}

func TestKeyFileRules(t *testing.T) {
	kf := OpenKeyFile(t.TempDir())
	for _, bad := range []Key{{}, {User: "a b"}, {User: "x", OAI: "Y"}, {OAI: "lower"}, {Service: "s3.amazonaws.com"}} {
		if _, err := kf.Create(bad); !errors.Is(err, ErrInvalidName) {
			t.Errorf("Create(%+v) = %v, want ErrInvalidName", bad, err)
		}
	}
	k, err := kf.Create(Key{User: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kf.Create(Key{User: "alice"}); !errors.Is(err, ErrKeyExists) {
		t.Errorf("duplicate user: %v", err)
	}
	st, err := os.Stat(kf.Path())
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st, err)
	}
	if err := kf.Delete("AKIANOPE"); !errors.Is(err, ErrNoSuchKey) {
		t.Errorf("delete unknown: %v", err)
	}
	if err := kf.Delete(k.AccessKeyID); err != nil {
		t.Fatal(err)
	}
	if list, _ := kf.List(); len(list) != 0 {
		t.Errorf("after delete: %+v", list)
	}
}

// TestKeyringFollowsTheFile proves that keys created or deleted by another process (imgcdn
// keys) take effect in a running server without a restart.
func TestKeyringFollowsTheFile(t *testing.T) {
	dir := t.TempDir()
	kf := OpenKeyFile(dir)
	kr := NewKeyring(Account{ID: "123456789012"}, Key{AccessKeyID: "ROOT", SecretAccessKey: "s"}, kf, nil)
	k, err := OpenKeyFile(dir).Create(Key{User: "carol"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { _, ok := kr.Secret(k.AccessKeyID); return ok })
	if err := OpenKeyFile(dir).Delete(k.AccessKeyID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { _, ok := kr.Secret(k.AccessKeyID); return !ok })
	if _, ok := kr.Secret("ROOT"); !ok {
		t.Fatal("root key lost on reload")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 10s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
