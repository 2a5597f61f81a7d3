package distrib

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestImageSettingsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   ImageSettings
		flag string // "" when valid
	}{
		{"empty", ImageSettings{DistributionID: "E1ABCDEFGHIJKL"}, ""},
		{"widths", ImageSettings{DistributionID: "E1ABCDEFGHIJKL", RequireSigned: true, AllowedWidths: []int{1, 320, 8192}}, ""},
		{"bad id", ImageSettings{DistributionID: "e1/../x"}, "distribution"},
		{"zero width", ImageSettings{DistributionID: "E1ABCDEFGHIJKL", AllowedWidths: []int{0}}, "allowed-widths"},
		{"too wide", ImageSettings{DistributionID: "E1ABCDEFGHIJKL", AllowedWidths: []int{8193}}, "allowed-widths"},
		{"too many", ImageSettings{DistributionID: "E1ABCDEFGHIJKL", AllowedWidths: make([]int, MaxAllowedWidths+1)}, "allowed-widths"},
	} {
		err := tc.in.Validate()
		var ia *InvalidArgumentError
		switch {
		case tc.flag == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.flag != "" && (!errors.As(err, &ia) || ia.Field != tc.flag):
			t.Errorf("%s: %v, want an InvalidArgument naming %s", tc.name, err, tc.flag)
		}
	}
	n := ImageSettings{AllowedWidths: []int{640, 320, 640, 1280}}.Normalize()
	if !slices.Equal(n.AllowedWidths, []int{320, 640, 1280}) {
		t.Errorf("Normalize = %v", n.AllowedWidths)
	}
}

func TestImageSettingsLifecycle(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, func(c *Config) { c.SecretKey = testMasterKey(t, 9) })
	d, _, err := s.CreateDistribution(seedConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetImageSettings(d.ID); !errors.Is(err, ErrNoImageSettings) {
		t.Errorf("GetImageSettings before any put: %v", err)
	}
	if _, err := s.ImageSigningSecret(d.ID); !errors.Is(err, ErrNoImageSettings) {
		t.Errorf("ImageSigningSecret before any put: %v", err)
	}
	if _, err := s.PutImageSettings(ImageSettings{DistributionID: "E0000000000000"}, false); !errors.Is(err, ErrNoSuchDistribution) {
		t.Errorf("PutImageSettings of a missing distribution: %v", err)
	}

	v0 := mustVersion(t, s)
	got, err := s.PutImageSettings(ImageSettings{DistributionID: d.ID, AllowedWidths: []int{640, 320}, SigningSecret: "ignored"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.SigningSecret != "" || !slices.Equal(got.AllowedWidths, []int{320, 640}) || got.RequireSigned || got.LastModifiedTime.IsZero() {
		t.Errorf("PutImageSettings = %+v; want the normalized settings without a secret", got)
	}
	if v := mustVersion(t, s); v <= v0 {
		t.Errorf("Version %d after PutImageSettings, was %d: edges would not see it", v, v0)
	}
	secret, err := s.ImageSigningSecret(d.ID)
	if err != nil || len(secret) != 43 || secret == "ignored" {
		t.Fatalf("ImageSigningSecret = %q, %v; want a generated 256-bit secret", secret, err)
	}
	if f := fileContaining(t, dir, []byte(secret)); f != "" {
		t.Errorf("the signing secret is stored in clear in %s", f)
	}

	// A later put keeps the secret; rotate replaces it.
	if _, err := s.PutImageSettings(ImageSettings{DistributionID: d.ID, RequireSigned: true}, false); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.ImageSigningSecret(d.ID); again != secret {
		t.Error("a put without rotate changed the secret")
	}
	st, err := s.EdgeState()
	if err != nil || len(st.ImageSettings) != 1 {
		t.Fatalf("EdgeState.ImageSettings = %+v, %v", st.ImageSettings, err)
	}
	if e := st.ImageSettings[0]; e.DistributionID != d.ID || !e.RequireSigned || len(e.AllowedWidths) != 0 || e.SigningSecret != secret {
		t.Errorf("EdgeState settings = %+v; want the replaced settings with the secret", e)
	}
	if _, err := s.PutImageSettings(ImageSettings{DistributionID: d.ID, RequireSigned: true}, true); err != nil {
		t.Fatal(err)
	}
	rotated, _ := s.ImageSigningSecret(d.ID)
	if rotated == secret || len(rotated) != 43 {
		t.Errorf("rotate kept the secret %q", rotated)
	}
	list, err := s.ListImageSettings()
	if err != nil || len(list) != 1 || list[0].SigningSecret != "" || !list[0].RequireSigned {
		t.Errorf("ListImageSettings = %+v, %v", list, err)
	}

	// Reopened with the same master key the secret opens; with another it does not.
	s.Close()
	s = openTest(t, dir, func(c *Config) { c.SecretKey = testMasterKey(t, 9) })
	if again, err := s.ImageSigningSecret(d.ID); err != nil || again != rotated {
		t.Errorf("after a restart: %q, %v", again, err)
	}
	s.Close()
	s = openTest(t, dir, func(c *Config) { c.SecretKey = testMasterKey(t, 10) })
	if _, err := s.ImageSigningSecret(d.ID); err == nil {
		t.Error("the secret opened under another master key")
	}
	if _, err := s.EdgeState(); err == nil || !strings.Contains(err.Error(), d.ID) {
		t.Errorf("EdgeState under another master key: %v; want an error naming the distribution", err)
	}
}

func TestImageSettingsGoWithTheDistribution(t *testing.T) {
	s := openTest(t, t.TempDir(), func(c *Config) { c.SecretKey = testMasterKey(t, 3) })
	d, _, err := s.CreateDistribution(seedConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutImageSettings(ImageSettings{DistributionID: d.ID, RequireSigned: true}, false); err != nil {
		t.Fatal(err)
	}
	cfg := d.Config
	cfg.Enabled = false
	u, err := s.UpdateDistribution(d.ID, d.ETag, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDistribution(d.ID, u.ETag); err != nil {
		t.Fatal(err)
	}
	if l, err := s.ListImageSettings(); err != nil || len(l) != 0 {
		t.Errorf("settings after the distribution was deleted: %+v, %v", l, err)
	}
	if st, err := s.EdgeState(); err != nil || len(st.ImageSettings) != 0 {
		t.Errorf("EdgeState.ImageSettings after the delete: %+v, %v", st.ImageSettings, err)
	}
}

func TestImageSettingsNeedTheMasterKey(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	d, _, err := s.CreateDistribution(seedConfig(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutImageSettings(ImageSettings{DistributionID: d.ID}, false); !errors.Is(err, ErrNoSecretKey) {
		t.Errorf("PutImageSettings without a master key: %v", err)
	}
}
