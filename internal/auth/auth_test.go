package auth

import (
	"os"
	"regexp"
	"testing"
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
	acct := Account{ID: "123456789012", CanonicalID: "x"}
	kr := NewKeyring(acct, Key{AccessKeyID: "ROOT", SecretAccessKey: "s1"}, Key{AccessKeyID: "BOB", SecretAccessKey: "s2", User: "bob"})
	if s, ok := kr.Secret("ROOT"); !ok || s != "s1" {
		t.Fatal("root secret lookup failed")
	}
	if _, ok := kr.Secret("NOPE"); ok {
		t.Fatal("unknown key found")
	}
	p, _ := kr.Principal("ROOT")
	if !p.Root || p.ARN != "arn:aws:iam::123456789012:root" {
		t.Errorf("root principal %+v", p)
	}
	p, _ = kr.Principal("BOB")
	if p.Root || p.ARN != "arn:aws:iam::123456789012:user/bob" {
		t.Errorf("user principal %+v", p)
	}
}
