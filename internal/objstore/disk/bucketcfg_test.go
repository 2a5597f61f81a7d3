package disk

import (
	"context"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// TestBucketSettingsSurviveReopen: versioning state, configurations and object ACLs are
// durable, and a deleted configuration stays deleted.
func TestBucketSettingsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	mustBucket(t, s, "bkt")
	for _, err := range []error{
		s.SetBucketVersioning(ctx, "bkt", objstore.VersioningSuspended),
		s.PutBucketConfig(ctx, "bkt", "policy", []byte(`{"p":1}`)),
		s.PutBucketConfig(ctx, "bkt", "acl", []byte("public-read")),
		s.DeleteBucketConfig(ctx, "bkt", "acl"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	mustPut(t, s, "bkt", "k", []byte("v"))
	if err := s.SetObjectACL(ctx, "bkt", "k", "", "public-read"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openTest(t, dir, nil)
	if b, err := s.GetBucket(ctx, "bkt"); err != nil || b.Versioning != objstore.VersioningSuspended {
		t.Fatalf("GetBucket after reopen = %+v, %v", b, err)
	}
	if v, err := s.GetBucketConfig(ctx, "bkt", "policy"); err != nil || string(v) != `{"p":1}` {
		t.Fatalf("policy after reopen = %q, %v", v, err)
	}
	if _, err := s.GetBucketConfig(ctx, "bkt", "acl"); err == nil {
		t.Fatal("a deleted config came back after reopen")
	}
	if h, err := s.HeadObject(ctx, "bkt", "k", ""); err != nil || h.ACL != "public-read" {
		t.Fatalf("HeadObject after reopen = %+v, %v", h, err)
	}
	checkNoLeaks(t, s)
}

// TestGetBucketConfigAllocs: the read every request makes allocates nothing.
func TestGetBucketConfigAllocs(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), nil)
	mustBucket(t, s, "bkt")
	if err := s.PutBucketConfig(ctx, "bkt", "policy", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := s.GetBucketConfig(ctx, "bkt", "policy"); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("GetBucketConfig allocates %v times per call", allocs)
	}
}

func BenchmarkGetBucketConfig(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b, nil)
	if err := s.PutBucketConfig(ctx, "bench", "policy", []byte("{}")); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.GetBucketConfig(ctx, "bench", "policy"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
