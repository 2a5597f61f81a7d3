package distrib

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tags of distributions (API_TagResource.html, API_UntagResource.html,
// API_ListTagsForResource.html). A distribution's tags live in its record; changing them
// changes neither its ETag nor its Version, as CloudFront tags are not part of the config
// and edges do not serve from them.

// DistributionIDFromARN returns the distribution id of arn:aws:cloudfront::<account>:distribution/<id>
// when account is the API's own; ok is false for any other ARN, which names no resource
// imgcdn has (NoSuchResource).
func DistributionIDFromARN(arn, account string) (id string, ok bool) {
	id, ok = strings.CutPrefix(arn, "arn:aws:cloudfront::"+account+":distribution/")
	return id, ok && validID(id)
}

// TagDistribution adds tags to a distribution, replacing the values of keys it already has.
func (s *Service) TagDistribution(id string, tags []Tag) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.taggable(id)
	if err != nil {
		return err
	}
	for _, t := range tags {
		i := tagIndex(d.Tags, t.Key)
		if i < 0 {
			d.Tags = append(d.Tags, t)
		} else {
			d.Tags[i].Value = t.Value
		}
	}
	if len(d.Tags) > MaxTags {
		return fmt.Errorf("%w: a resource has at most %d tags", ErrInvalidTagging, MaxTags)
	}
	return s.putTags(d)
}

// UntagDistribution removes the tags with keys; keys the distribution has no tag for are
// ignored, as CloudFront does.
func (s *Service) UntagDistribution(id string, keys []string) error {
	for _, k := range keys {
		if err := checkTagText("key", k, 1, 128); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.taggable(id)
	if err != nil {
		return err
	}
	kept := d.Tags[:0]
	for _, t := range d.Tags {
		if !slices.Contains(keys, t.Key) {
			kept = append(kept, t)
		}
	}
	d.Tags = kept
	return s.putTags(d)
}

// DistributionTags returns a distribution's tags in the order they were added.
func (s *Service) DistributionTags(id string) ([]Tag, error) {
	d, err := s.taggable(id)
	return d.Tags, err
}

func (s *Service) taggable(id string) (Distribution, error) {
	d, err := s.getDistribution(id)
	if errors.Is(err, ErrNoSuchDistribution) {
		return d, ErrNoSuchResource
	}
	return d, err
}

// putTags stores d with its new tags; the rest of the record is as read under s.mu.
func (s *Service) putTags(d Distribution) error {
	if len(d.Tags) == 0 {
		d.Tags = nil
	}
	var w Writes
	w.Set([]byte(distPrefix+d.ID), mustJSON(d))
	return s.store.Apply(&w)
}

// checkTags applies API_Tag.html: keys of 1 to 128 and values of at most 256 characters, of
// letters, spaces, digits and _ . : / = + - @; keys unique in one call; the aws: prefix is
// AWS's own.
func checkTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return fmt.Errorf("%w: a resource has at most %d tags", ErrInvalidTagging, MaxTags)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if err := checkTagText("key", t.Key, 1, 128); err != nil {
			return err
		}
		if err := checkTagText("value", t.Value, 0, 256); err != nil {
			return err
		}
		if seen[t.Key] {
			return fmt.Errorf("%w: the key %q is given twice", ErrInvalidTagging, t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

func checkTagText(what, v string, min, max int) error {
	n := utf8.RuneCountInString(v)
	switch {
	case !utf8.ValidString(v):
		return fmt.Errorf("%w: a tag %s is not valid UTF-8", ErrInvalidTagging, what)
	case n < min || n > max:
		return fmt.Errorf("%w: the tag %s %q must be %d to %d characters long", ErrInvalidTagging, what, v, min, max)
	case what == "key" && strings.HasPrefix(strings.ToLower(v), "aws:"):
		return fmt.Errorf("%w: the tag key prefix aws: is reserved for AWS", ErrInvalidTagging)
	}
	for _, r := range v {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Z, r) && !strings.ContainsRune("_.:/=+-@", r) {
			return fmt.Errorf("%w: the tag %s %q may contain only letters, digits, spaces and _ . : / = + - @", ErrInvalidTagging, what, v)
		}
	}
	return nil
}

func tagIndex(tags []Tag, key string) int {
	for i, t := range tags {
		if t.Key == key {
			return i
		}
	}
	return -1
}
