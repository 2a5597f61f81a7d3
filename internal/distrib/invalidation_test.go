package distrib

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

var invIDPattern = regexp.MustCompile(`^I[A-Z0-9]{13}$`)

func TestInvalidationPaths(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		want  error
	}{
		{[]string{"/images/*"}, nil},
		{[]string{"/a.png", "/*"}, nil},
		{nil, ErrInvalidArgument},
		{[]string{"images/*"}, ErrInvalidArgument},
		{[]string{"/im*ges/"}, ErrInvalidArgument},
		{[]string{"/" + strings.Repeat("x", 4096)}, ErrInvalidArgument},
		{make([]string, 3001), ErrBatchTooLarge},
	} {
		if err := validatePaths(tc.paths); !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
			t.Errorf("validatePaths(%.40q) = %v, want %v", tc.paths, err, tc.want)
		}
	}
}

func TestInvalidationLifecycle(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	d, _, err := s.CreateDistribution(seedConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateInvalidation("ENOSUCHDIST123", "r", []string{"/a"}); !errors.Is(err, ErrNoSuchDistribution) {
		t.Errorf("unknown distribution: %v", err)
	}
	inv, created, err := s.CreateInvalidation(d.ID, "ref-1", []string{"/images/*"})
	if err != nil || !created || !invIDPattern.MatchString(inv.ID) || inv.Status != InvalidationStatusCompleted {
		t.Fatalf("create with no edge: %+v created=%v %v", inv, created, err)
	}
	again, created, err := s.CreateInvalidation(d.ID, "ref-1", []string{"/images/*"})
	if err != nil || created || again.ID != inv.ID {
		t.Errorf("same CallerReference and paths: %+v %v %v", again, created, err)
	}
	if _, _, err := s.CreateInvalidation(d.ID, "ref-1", []string{"/other"}); !errors.Is(err, ErrInvalidationAlreadyExists) {
		t.Errorf("same CallerReference, other paths: %v", err)
	}

	// With an edge registered, invalidations stay InProgress until it applies them, and the
	// in-progress wildcard limit applies.
	if err := s.RegisterEdge("edge-1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetInvalidation(d.ID, inv.ID); got.Status != InvalidationStatusCompleted {
		t.Errorf("an invalidation older than the edge: %q, want Completed", got.Status)
	}
	var last Invalidation
	for i := range MaxWildcardPathsInProgress {
		if last, _, err = s.CreateInvalidation(d.ID, fmt.Sprint("w", i), []string{fmt.Sprintf("/w%d/*", i)}); err != nil {
			t.Fatal(err)
		}
		if last.Status != InvalidationStatusInProgress {
			t.Fatalf("Status = %q before the edge applied it", last.Status)
		}
	}
	if _, _, err := s.CreateInvalidation(d.ID, "one-more", []string{"/x/*"}); !errors.Is(err, ErrTooManyInvalidationsInProgress) {
		t.Errorf("16th wildcard in progress: %v", err)
	}
	if n, err := s.InProgressInvalidations(d.ID); err != nil || n != MaxWildcardPathsInProgress {
		t.Errorf("InProgressInvalidations = %d, %v", n, err)
	}
	if err := s.MarkInvalidationsApplied("edge-1", last.Seq); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetInvalidation(d.ID, last.ID); got.Status != InvalidationStatusCompleted {
		t.Errorf("after the edge applied it: %q", got.Status)
	}
	newest, _, err := s.CreateInvalidation(d.ID, "one-more", []string{"/x/*"})
	if err != nil {
		t.Errorf("once the others completed: %v", err)
	}

	// Newest first, in pages, across a restart.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, nil)
	var ids []string
	p := Page{MaxItems: 5}
	for {
		l, err := s.ListInvalidations(d.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range l.Items {
			ids = append(ids, i.ID)
		}
		if !l.IsTruncated {
			break
		}
		p.Marker = l.NextMarker
	}
	if len(ids) != 17 || ids[0] != newest.ID || ids[1] != last.ID || ids[16] != inv.ID {
		t.Errorf("list: %d items, want 17 newest first (%s, %s, ..., %s): %v", len(ids), newest.ID, last.ID, inv.ID, ids)
	}
	if _, err := s.GetInvalidation(d.ID, "INOSUCHINVAL12"); !errors.Is(err, ErrNoSuchInvalidation) {
		t.Errorf("unknown invalidation: %v", err)
	}
}
