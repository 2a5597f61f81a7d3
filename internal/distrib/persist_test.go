package distrib

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestRestartKeepsState closes the database and opens it again, as after a restart: every
// acknowledged write is there, indexes included.
func TestRestartKeepsState(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	oai, _, err := s.CreateOAI(OAIConfig{CallerReference: "persist", Comment: "c"})
	if err != nil {
		t.Fatal(err)
	}
	oai, err = s.UpdateOAI(oai.ID, oai.ETag, OAIConfig{CallerReference: "persist", Comment: "updated"})
	if err != nil {
		t.Fatal(err)
	}
	oac, err := s.CreateOAC(OACConfig{Name: "n", SigningProtocol: "sigv4", SigningBehavior: "always", OriginType: "s3"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, nil)
	if got, err := s.GetOAI(oai.ID); err != nil || got != oai {
		t.Errorf("after restart GetOAI = %+v, %v; want %+v", got, err, oai)
	}
	if got, err := s.GetOAC(oac.ID); err != nil || got != oac {
		t.Errorf("after restart GetOAC = %+v, %v; want %+v", got, err, oac)
	}
	if again, created, err := s.CreateOAI(oai.Config); err != nil || created || again.ID != oai.ID {
		t.Errorf("CallerReference index lost: %+v created=%v %v", again, created, err)
	}
	if _, err := s.CreateOAC(oac.Config); !errors.Is(err, ErrOACAlreadyExists) {
		t.Errorf("name index lost: %v", err)
	}
}

// TestConcurrentIfMatch races updates that all carry the same ETag: exactly one wins, the
// others get ErrPreconditionFailed, and the stored comment is the winner's.
func TestConcurrentIfMatch(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	o, _, err := s.CreateOAI(OAIConfig{CallerReference: "race"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 16
	var wg sync.WaitGroup
	results := make([]error, n)
	winners := make([]OAI, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			winners[i], results[i] = s.UpdateOAI(o.ID, o.ETag, OAIConfig{CallerReference: "race", Comment: fmt.Sprint("writer ", i)})
		}()
	}
	wg.Wait()
	won := -1
	for i, err := range results {
		switch {
		case err == nil && won >= 0:
			t.Fatalf("writers %d and %d both won", won, i)
		case err == nil:
			won = i
		case !errors.Is(err, ErrPreconditionFailed):
			t.Errorf("writer %d: %v, want ErrPreconditionFailed", i, err)
		}
	}
	if won < 0 {
		t.Fatal("no writer won")
	}
	got, err := s.GetOAI(o.ID)
	if err != nil || got != winners[won] {
		t.Errorf("stored %+v, %v; want the winner's %+v", got, err, winners[won])
	}
}
