package distrib

import (
	"errors"
	"regexp"
	"testing"

	"github.com/imgcdn/imgcdn/internal/auth"
)

var idPattern = regexp.MustCompile(`^E[A-Z0-9]{13}$`)

func openTest(t *testing.T, dir string, mod func(*Config)) *Service {
	t.Helper()
	cfg := NewDefaultConfig()
	cfg.Dir = dir
	if mod != nil {
		mod(&cfg)
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOAILifecycle(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	cfg := OAIConfig{CallerReference: "ref-1", Comment: "first"}
	o, created, err := s.CreateOAI(cfg)
	if err != nil || !created {
		t.Fatalf("CreateOAI: %v created=%v", err, created)
	}
	if !idPattern.MatchString(o.ID) || !idPattern.MatchString(o.ETag) {
		t.Errorf("id %q etag %q: want E + 13 upper-case alphanumerics", o.ID, o.ETag)
	}
	if o.S3CanonicalUserID != auth.OAICanonicalID(o.ID) || len(o.S3CanonicalUserID) != 64 {
		t.Errorf("S3CanonicalUserID = %q, want auth.OAICanonicalID", o.S3CanonicalUserID)
	}

	again, created, err := s.CreateOAI(cfg)
	if err != nil || created || again != o {
		t.Errorf("same CallerReference and config: got %+v created=%v err=%v, want the existing %+v", again, created, err, o)
	}
	if _, _, err := s.CreateOAI(OAIConfig{CallerReference: "ref-1", Comment: "other"}); !errors.Is(err, ErrOAIAlreadyExists) {
		t.Errorf("same CallerReference, other config: %v, want ErrOAIAlreadyExists", err)
	}

	if got, err := s.GetOAI(o.ID); err != nil || got != o {
		t.Errorf("GetOAI = %+v, %v", got, err)
	}
	if _, err := s.UpdateOAI(o.ID, "", OAIConfig{CallerReference: "ref-1", Comment: "x"}); !errors.Is(err, ErrMissingIfMatch) {
		t.Errorf("update without If-Match: %v", err)
	}
	if _, err := s.UpdateOAI(o.ID, "ESTALE", OAIConfig{CallerReference: "ref-1", Comment: "x"}); !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("update with stale If-Match: %v", err)
	}
	if _, err := s.UpdateOAI(o.ID, o.ETag, OAIConfig{CallerReference: "ref-2", Comment: "x"}); !errors.Is(err, ErrIllegalUpdate) {
		t.Errorf("update of CallerReference: %v", err)
	}
	u, err := s.UpdateOAI(o.ID, o.ETag, OAIConfig{CallerReference: "ref-1", Comment: "second"})
	if err != nil || u.ETag == o.ETag || u.Config.Comment != "second" || u.ID != o.ID {
		t.Fatalf("UpdateOAI = %+v, %v: want a new ETag and the new comment", u, err)
	}
	if err := s.DeleteOAI(o.ID, o.ETag); !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("delete with the old ETag: %v", err)
	}
	if err := s.DeleteOAI(o.ID, u.ETag); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetOAI(o.ID); !errors.Is(err, ErrNoSuchOAI) {
		t.Errorf("get after delete: %v", err)
	}
	if err := s.DeleteOAI(o.ID, u.ETag); !errors.Is(err, ErrNoSuchOAI) {
		t.Errorf("second delete: %v", err)
	}
	// The reference is free again once the identity is gone.
	if _, created, err := s.CreateOAI(OAIConfig{CallerReference: "ref-1", Comment: "other"}); err != nil || !created {
		t.Errorf("reuse of a deleted identity's reference: created=%v %v", created, err)
	}
}

func TestOAIInUseAndLimit(t *testing.T) {
	inUse := map[string]bool{}
	s := openTest(t, t.TempDir(), func(c *Config) {
		c.MaxOAIs = 2
		c.OAIInUse = func(id string) bool { return inUse[id] }
	})
	a, _, err := s.CreateOAI(OAIConfig{CallerReference: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateOAI(OAIConfig{CallerReference: "b"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateOAI(OAIConfig{CallerReference: "c"}); !errors.Is(err, ErrTooManyOAIs) {
		t.Errorf("third identity with MaxOAIs 2: %v", err)
	}
	inUse[a.ID] = true
	if err := s.DeleteOAI(a.ID, a.ETag); !errors.Is(err, ErrOAIInUse) {
		t.Errorf("delete while in use: %v", err)
	}
	inUse[a.ID] = false
	if err := s.DeleteOAI(a.ID, a.ETag); err != nil {
		t.Errorf("delete once unused: %v", err)
	}
}

func TestListPages(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	want := map[string]bool{}
	for _, ref := range []string{"a", "b", "c", "d", "e"} {
		o, _, err := s.CreateOAI(OAIConfig{CallerReference: ref})
		if err != nil {
			t.Fatal(err)
		}
		want[o.ID] = true
	}
	var got []string
	marker := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		l, err := s.ListOAIs(Page{Marker: marker, MaxItems: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Items) > 2 {
			t.Fatalf("page of %d items with MaxItems 2", len(l.Items))
		}
		for _, o := range l.Items {
			got = append(got, o.ID)
		}
		if !l.IsTruncated {
			if l.NextMarker != "" {
				t.Errorf("NextMarker %q on the last page", l.NextMarker)
			}
			break
		}
		marker = l.NextMarker
	}
	if len(got) != len(want) {
		t.Fatalf("listed %v, want the %d created", got, len(want))
	}
	for i, id := range got {
		if !want[id] || (i > 0 && got[i-1] >= id) {
			t.Errorf("listed %v: want each created id once, in order", got)
		}
	}
}

func TestOACLifecycle(t *testing.T) {
	s := openTest(t, t.TempDir(), func(c *Config) { c.OACInUse = func(string) bool { return false } })
	cfg := OACConfig{Name: "images", Description: "d", SigningProtocol: "sigv4", SigningBehavior: "always", OriginType: "s3"}
	o, err := s.CreateOAC(cfg)
	if err != nil || !idPattern.MatchString(o.ID) {
		t.Fatalf("CreateOAC = %+v, %v", o, err)
	}
	if _, err := s.CreateOAC(cfg); !errors.Is(err, ErrOACAlreadyExists) {
		t.Errorf("duplicate name: %v", err)
	}
	other, err := s.CreateOAC(OACConfig{Name: "other", SigningProtocol: "sigv4", SigningBehavior: "never", OriginType: "s3"})
	if err != nil {
		t.Fatal(err)
	}
	renamed := cfg
	renamed.Name = "other"
	if _, err := s.UpdateOAC(o.ID, o.ETag, renamed); !errors.Is(err, ErrOACAlreadyExists) {
		t.Errorf("rename onto a taken name: %v", err)
	}
	renamed.Name, renamed.SigningBehavior = "photos", "no-override"
	u, err := s.UpdateOAC(o.ID, o.ETag, renamed)
	if err != nil || u.ETag == o.ETag || u.Config != renamed {
		t.Fatalf("UpdateOAC = %+v, %v", u, err)
	}
	// The old name is free, the new one taken.
	if _, err := s.CreateOAC(cfg); err != nil {
		t.Errorf("create with the released name: %v", err)
	}
	if _, err := s.CreateOAC(renamed); !errors.Is(err, ErrOACAlreadyExists) {
		t.Errorf("create with the new name: %v", err)
	}
	if err := s.DeleteOAC(other.ID, ""); !errors.Is(err, ErrMissingIfMatch) {
		t.Errorf("delete without If-Match: %v", err)
	}
	if err := s.DeleteOAC(other.ID, other.ETag); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetOAC(other.ID); !errors.Is(err, ErrNoSuchOAC) {
		t.Errorf("get after delete: %v", err)
	}
	l, err := s.ListOACs(Page{})
	if err != nil || len(l.Items) != 2 || l.IsTruncated {
		t.Errorf("ListOACs = %+v, %v; want 2 items", l, err)
	}
}

func TestValidation(t *testing.T) {
	long := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'x'
		}
		return string(b)
	}
	ok := OACConfig{Name: "n", SigningProtocol: "sigv4", SigningBehavior: "always", OriginType: "s3"}
	with := func(f func(*OACConfig)) OACConfig { c := ok; f(&c); return c }
	for _, tc := range []struct {
		name  string
		err   error
		field string
	}{
		{"oai no reference", OAIConfig{Comment: "c"}.Validate(), "CallerReference"},
		{"oai long comment", OAIConfig{CallerReference: "r", Comment: long(129)}.Validate(), "Comment"},
		{"oai bad utf8", OAIConfig{CallerReference: "r\xff"}.Validate(), "CallerReference"},
		{"oac no name", with(func(c *OACConfig) { c.Name = "" }).Validate(), "Name"},
		{"oac long name", with(func(c *OACConfig) { c.Name = long(65) }).Validate(), "Name"},
		{"oac protocol", with(func(c *OACConfig) { c.SigningProtocol = "sigv2" }).Validate(), "SigningProtocol"},
		{"oac behavior", with(func(c *OACConfig) { c.SigningBehavior = "sometimes" }).Validate(), "SigningBehavior"},
		{"oac lambda", with(func(c *OACConfig) { c.OriginType = "lambda" }).Validate(), "OriginAccessControlOriginType"},
		{"oac mediastore", with(func(c *OACConfig) { c.OriginType = "mediastore" }).Validate(), "OriginAccessControlOriginType"},
	} {
		var ia *InvalidArgumentError
		if !errors.Is(tc.err, ErrInvalidArgument) || !errors.As(tc.err, &ia) || ia.Field != tc.field {
			t.Errorf("%s: %v, want InvalidArgument on %s", tc.name, tc.err, tc.field)
		}
	}
	if err := (OAIConfig{CallerReference: "r", Comment: long(128)}).Validate(); err != nil {
		t.Errorf("128-character comment: %v", err)
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid OAC config: %v", err)
	}
}
