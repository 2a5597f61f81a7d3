package disk

import (
	"context"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// TestVersionOrderSurvivesClockStepBack: version sequence numbers start from the clock at
// Open; if the clock stepped back since the store last ran, a new version must still sort
// newest, above an object and above a delete marker.
func TestVersionOrderSurvivesClockStepBack(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), nil)
	mustBucket(t, s, "bkt")
	if err := s.SetBucketVersioning(ctx, "bkt", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, "bkt", "k", []byte("old"))
	if _, err := s.DeleteObject(ctx, "bkt", "m", ""); err != nil { // a marker as the latest
		t.Fatal(err)
	}
	s.ids.vseq.Store(1) // as if Open had read a clock from long ago
	for _, key := range []string{"k", "m"} {
		v := mustPut(t, s, "bkt", key, []byte("new "+key))
		if h, err := s.HeadObject(ctx, "bkt", key, ""); err != nil || h.VersionID != v.VersionID {
			t.Fatalf("%s: HeadObject = %+v, %v; want the version just written, %s", key, h, err, v.VersionID)
		}
		if got := readAll(t, s, "bkt", key); string(got) != "new "+key {
			t.Fatalf("%s reads %q", key, got)
		}
	}
	checkNoLeaks(t, s)
}

// TestVersionIDs: ids are 32 URL-safe characters that sort like their sort keys, newest
// first, and only ids this store could issue parse.
func TestVersionIDs(t *testing.T) {
	ids := newIDSource()
	a, b := ids.version(0), ids.version(0)
	if a.versionID() <= b.versionID() || a.seq() >= b.seq() {
		t.Fatalf("a newer version id %q does not sort before %q", b.versionID(), a.versionID())
	}
	for _, k := range []sortKey{a, b} {
		id := k.versionID()
		if len(id) != versionIDLen {
			t.Fatalf("version id %q has %d characters", id, len(id))
		}
		if got, ok := parseVersionID(id); !ok || got != k {
			t.Fatalf("parseVersionID(%q) = %x, %v", id, got, ok)
		}
	}
	for _, bad := range []string{"", "null", "3HL4kqtJlcpXroDTDmJ", a.versionID()[:31] + "=", a.versionID() + "A", "................................", "--------------------------------"} {
		if _, ok := parseVersionID(bad); ok {
			t.Errorf("parseVersionID(%q) accepted it", bad)
		}
	}
}

func TestVersionKeyEscaping(t *testing.T) {
	sk := newIDSource().version(0)
	for _, k := range []string{"a", "a\x00", "\x00", "a\x00b\x00\x00c", "ü/ñ", "x\x01y"} {
		key, got, err := parseVersionKey(versionKey("bkt", k, sk)[len(versionBase("bkt")):])
		if err != nil || key != k || got != sk {
			t.Fatalf("parseVersionKey(versionKey(%q)) = %q %x %v", k, key, got, err)
		}
	}
	for _, bad := range [][]byte{[]byte("a\x00\x01short"), []byte("a"), []byte("a\x00\x05" + string(sk[:]))} {
		if _, _, err := parseVersionKey(bad); err == nil {
			t.Errorf("parseVersionKey(%q) accepted it", bad)
		}
	}
}
