package auth

import (
	"errors"
	"os"
	"sync"
	"testing"
)

func TestLoadOrCreateEdgeKey(t *testing.T) {
	dir := t.TempDir()
	first, err := LoadOrCreateEdgeKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Edge || len(first.AccessKeyID) != 20 || len(first.SecretAccessKey) != 40 || first.Created == "" {
		t.Fatalf("edge key %+v", first)
	}
	st1, err := os.Stat(OpenKeyFile(dir).Path())
	if err != nil {
		t.Fatal(err)
	}
	// A second fleet's key, created later, must not replace the one serve uses.
	if _, err := OpenKeyFile(dir).Create(Key{Edge: true}); err != nil {
		t.Fatal(err)
	}
	again, err := LoadOrCreateEdgeKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Fatalf("second call returned %+v, want the first key %+v", again, first)
	}
	// Returning the existing key must not rewrite the file (running keyrings would reload).
	st2, _ := os.Stat(OpenKeyFile(dir).Path())
	list, _ := OpenKeyFile(dir).List()
	if len(list) != 2 || st2.Size() <= st1.Size() {
		t.Fatalf("keys after create: %d (file %d -> %d bytes)", len(list), st1.Size(), st2.Size())
	}
	if _, err := LoadOrCreateEdgeKey(dir); err != nil {
		t.Fatal(err)
	}
	// The file is replaced by rename when written, so a rewrite shows as a new inode.
	if st3, err := os.Stat(OpenKeyFile(dir).Path()); err != nil || !os.SameFile(st2, st3) {
		t.Fatalf("lookup rewrote the key file (err %v)", err)
	}

	// Deleting the key rotates it on the next call.
	if err := OpenKeyFile(dir).Delete(first.AccessKeyID); err != nil {
		t.Fatal(err)
	}
	rotated, err := LoadOrCreateEdgeKey(dir)
	if err != nil || rotated.AccessKeyID == first.AccessKeyID || !rotated.Edge {
		t.Fatalf("after delete: %+v %v", rotated, err)
	}
}

// TestLoadOrCreateEdgeKeyConcurrent: processes starting at once agree on one key.
func TestLoadOrCreateEdgeKeyConcurrent(t *testing.T) {
	dir := t.TempDir()
	keys := make([]Key, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := LoadOrCreateEdgeKey(dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if k != keys[0] {
			t.Fatalf("concurrent callers got different keys: %+v vs %+v", k, keys[0])
		}
	}
	if list, _ := OpenKeyFile(dir).List(); len(list) != 1 {
		t.Fatalf("%d keys in the file, want 1", len(list))
	}
}

func TestEdgeKeyPrincipalAndRules(t *testing.T) {
	kf := OpenKeyFile(t.TempDir())
	a, err := kf.Create(Key{Edge: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := kf.Create(Key{Edge: true})
	if err != nil || a.AccessKeyID == b.AccessKeyID {
		t.Fatalf("a second edge key: %+v %v", b, err)
	}
	for _, bad := range []Key{{Edge: true, User: "x"}, {Edge: true, OAI: "ABC"}, {Edge: true, Service: EdgeService}} {
		if _, err := kf.Create(bad); !errors.Is(err, ErrInvalidName) {
			t.Errorf("Create(%+v) = %v, want ErrInvalidName", bad, err)
		}
	}
	kr := NewKeyring(Account{ID: "123456789012", CanonicalID: "c"}, Key{AccessKeyID: "ROOT", SecretAccessKey: "s"}, kf, nil)
	p, ok := kr.Principal(a.AccessKeyID)
	if !ok || !p.Edge || p.Service != EdgeService || p.ARN != "" || p.Root || p.Account != "" || p.CanonicalID != "" {
		t.Fatalf("edge principal %+v", p)
	}
}

func TestDistributionARN(t *testing.T) {
	arn := DistributionARN("123456789012", "E2QWRUHAPOMQZL")
	if arn != "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL" {
		t.Fatalf("DistributionARN = %q", arn)
	}
	acct, id, ok := ParseDistributionARN(arn)
	if !ok || acct != "123456789012" || id != "E2QWRUHAPOMQZL" {
		t.Fatalf("ParseDistributionARN = %q %q %v", acct, id, ok)
	}
	for _, bad := range []string{
		"", "arn:aws:cloudfront::123456789012:distribution/",
		"arn:aws:cloudfront::12345678901:distribution/E1",           // 11 digits
		"arn:aws:cloudfront::123456789012:distribution/e1",          // lower case
		"arn:aws:cloudfront::123456789012:distribution/E1/x",        // extra path
		"arn:aws:cloudfront:us-east-1:123456789012:distribution/E1", // a region
		"arn:aws:s3:::bucket",
		" arn:aws:cloudfront::123456789012:distribution/E1",
	} {
		if _, _, ok := ParseDistributionARN(bad); ok {
			t.Errorf("ParseDistributionARN(%q) accepted", bad)
		}
	}
	if !ValidOAIID("E2QWRUHAPOMQZL") || ValidOAIID("e2q") || ValidOAIID("") || ValidOAIID("A B") {
		t.Error("ValidOAIID")
	}
}
