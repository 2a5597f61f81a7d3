package s3api

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

func TestConfigValidate(t *testing.T) {
	base := func() Config {
		e := newTestEnv(t)
		return Config{Store: e.store, Verifier: &sigv4.Verifier{Secret: func(string) (string, bool) { return "", false }}, Owner: testOwner}
	}
	for _, c := range []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"valid", func(*Config) {}, ""},
		{"trusted proxies", func(c *Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")} }, ""},
		{"zero proxy network", func(c *Config) { c.TrustedProxies = []netip.Prefix{{}} }, "TrustedProxies"},
		{"no store", func(c *Config) { c.Store = nil }, "Store"},
		{"bad region", func(c *Config) { c.Region = "US East" }, "Region"},
	} {
		cfg := base()
		c.mutate(&cfg)
		_, err := New(cfg)
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v, want an error about %q", c.name, err, c.want)
		}
	}
}
