package disk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// The versioned half of the crash test: writers 6..8 add versions to the versioning-enabled
// bucket "crashv" (every fifth write is a delete, which adds a delete marker), and after
// every crash each acknowledged version must be listed, whole, in order, with nothing but
// the writes in flight at the kill besides.

// crashVersionedWrite writes version v of writer w into "crashv".
func crashVersionedWrite(ctx context.Context, s *Store, w, v int) (objstore.ObjectInfo, error) {
	if v%5 == 4 {
		return s.DeleteObject(ctx, "crashv", crashKey(w, v), "")
	}
	return crashWrite(ctx, s, "crashv", w, v)
}

// crashVersion is what one acknowledged versioned write was.
type crashVersion struct {
	w, v   int
	marker bool
}

type versionedCrash struct {
	acked map[string]crashVersion // version id -> write, over every cycle
	seen  map[string]bool         // version ids verified after an earlier crash
}

func newVersionedCrash() *versionedCrash {
	return &versionedCrash{acked: map[string]crashVersion{}, seen: map[string]bool{}}
}

// verify lists every version of "crashv" and checks it against the acknowledgements.
func (c *versionedCrash) verify(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	var all []objstore.ObjectInfo
	in := objstore.ListVersionsInput{MaxKeys: 1000}
	for {
		res, err := s.ListObjectVersions(ctx, "crashv", in)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, res.Versions...)
		if !res.IsTruncated {
			break
		}
		in.KeyMarker, in.VersionIDMarker = res.NextKeyMarker, res.NextVersionIDMarker
	}
	listed := map[string]bool{}
	inFlight := map[int]int{} // writer -> versions committed but never acknowledged, this cycle
	lastV := map[string]int{}
	for _, ver := range all {
		listed[ver.VersionID] = true
		var w int
		if _, err := fmt.Sscanf(ver.Key, "w%d/", &w); err != nil {
			t.Fatalf("unexpected key %q", ver.Key)
		}
		v := -1
		if a, ok := c.acked[ver.VersionID]; ok {
			if crashKey(a.w, a.v) != ver.Key || a.marker != ver.DeleteMarker {
				t.Fatalf("version %s of %s: listed %+v, acknowledged as %+v", ver.VersionID, ver.Key, ver, a)
			}
			v = a.v
		} else if !c.seen[ver.VersionID] {
			if inFlight[w]++; inFlight[w] > 1 {
				t.Fatalf("writer %d has %d unacknowledged versions; at most the one in flight may exist", w, inFlight[w])
			}
		}
		if !ver.DeleteMarker {
			v = c.checkBody(t, s, ver, w, v)
		}
		if last, ok := lastV[ver.Key]; ok && v >= 0 && v >= last {
			t.Fatalf("%s: version from write %d listed after (older than) write %d", ver.Key, v, last)
		}
		if v >= 0 {
			lastV[ver.Key] = v
		}
		c.seen[ver.VersionID] = true
	}
	markers := 0
	for _, ver := range all {
		if ver.DeleteMarker {
			markers++
		}
	}
	t.Logf("crashv: %d versions (%d delete markers), %d acknowledged so far", len(all), markers, len(c.acked))
	if markers == 0 || len(all) == markers {
		t.Fatalf("the versioned writers wrote %d versions, %d of them markers: both kinds are needed", len(all), markers)
	}
	for id, a := range c.acked {
		if !listed[id] {
			t.Fatalf("acknowledged version %s (writer %d write %d, marker %v) was lost", id, a.w, a.v, a.marker)
		}
	}
}

// checkBody reads one object version whole and checks it against the write its metadata
// names (which must be want, when known); it returns that write.
func (c *versionedCrash) checkBody(t *testing.T, s *Store, ver objstore.ObjectInfo, w, want int) int {
	t.Helper()
	o, err := s.OpenObject(context.Background(), "crashv", ver.Key, ver.VersionID)
	if err != nil {
		t.Fatalf("OpenObject(%s, %s): %v", ver.Key, ver.VersionID, err)
	}
	defer o.Close()
	v, err := strconv.Atoi(o.Info().Meta.User["v"])
	if err != nil || (want >= 0 && v != want) || crashKey(w, v) != ver.Key {
		t.Fatalf("%s version %s holds write %q, acknowledged as %d", ver.Key, ver.VersionID, o.Info().Meta.User["v"], want)
	}
	rc, err := o.NewReader(0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	parts := crashBody(w, v)
	if err != nil || !bytes.Equal(got, bytes.Join(parts, nil)) || o.Info().ETag != crashETag(parts) {
		t.Fatalf("%s version %s (write %d): body of %d bytes, ETag %s differ from what was written (%v)", ver.Key, ver.VersionID, v, len(got), o.Info().ETag, err)
	}
	return v
}
