package distrib

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestTags(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	cfg := seedConfig("")
	d, _, err := s.CreateDistribution(cfg, []Tag{{Key: "team", Value: "images"}})
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := DistributionIDFromARN("arn:aws:cloudfront::123456789012:distribution/"+d.ID, "123456789012"); !ok || id != d.ID {
		t.Errorf("DistributionIDFromARN = %q %v", id, ok)
	}
	for _, arn := range []string{"arn:aws:cloudfront::999:distribution/" + d.ID, "arn:aws:cloudfront::123456789012:origin-access-identity/" + d.ID,
		"arn:aws:cloudfront::123456789012:distribution/../x"} {
		if _, ok := DistributionIDFromARN(arn, "123456789012"); ok {
			t.Errorf("DistributionIDFromARN(%q) accepted", arn)
		}
	}
	if err := s.TagDistribution(d.ID, []Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "media"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.UntagDistribution(d.ID, []string{"env", "absent"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tags []Tag
		want error
	}{
		{[]Tag{{Key: ""}}, ErrInvalidTagging},
		{[]Tag{{Key: "aws:owner"}}, ErrInvalidTagging},
		{[]Tag{{Key: "a", Value: "x"}, {Key: "a", Value: "y"}}, ErrInvalidTagging},
		{[]Tag{{Key: strings.Repeat("k", 129)}}, ErrInvalidTagging},
		{[]Tag{{Key: "k", Value: "semi;colon"}}, ErrInvalidTagging},
	} {
		if err := s.TagDistribution(d.ID, tc.tags); !errors.Is(err, tc.want) {
			t.Errorf("TagDistribution(%v): %v, want %v", tc.tags, err, tc.want)
		}
	}
	many := make([]Tag, 0, MaxTags)
	for i := range MaxTags {
		many = append(many, Tag{Key: "k" + strings.Repeat("x", i)})
	}
	if err := s.TagDistribution(d.ID, many); !errors.Is(err, ErrInvalidTagging) {
		t.Errorf("51 tags in all: %v", err)
	}
	if err := s.TagDistribution("ENOSUCHDIST123", []Tag{{Key: "k"}}); !errors.Is(err, ErrNoSuchResource) {
		t.Errorf("unknown distribution: %v", err)
	}
	if _, _, err := s.CreateDistribution(func() DistributionConfig { c := seedConfig(""); c.CallerReference = "other"; return c }(), []Tag{{Key: "aws:x"}}); !errors.Is(err, ErrInvalidTagging) {
		t.Errorf("CreateDistributionWithTags with a reserved key: %v", err)
	}
	got, _ := s.GetDistribution(d.ID)
	if got.ETag != d.ETag || got.Version != d.Version {
		t.Errorf("tagging changed ETag or Version: %s/%d -> %s/%d", d.ETag, d.Version, got.ETag, got.Version)
	}

	// Tags persist.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, nil)
	want := []Tag{{Key: "team", Value: "media"}}
	if tags, err := s.DistributionTags(d.ID); err != nil || !reflect.DeepEqual(tags, want) {
		t.Errorf("after restart %v, %v; want %v", tags, err, want)
	}
}
