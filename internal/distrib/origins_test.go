package distrib

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/crypt"
)

const testOriginSecret = "minio/Secret+Key-that-must-never-leak"

func testMasterKey(t *testing.T, fill byte) *crypt.MasterKey {
	t.Helper()
	k, err := crypt.MasterKeyFromBytes(bytes.Repeat([]byte{fill}, crypt.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testEndpoint() OriginEndpoint {
	return OriginEndpoint{Domain: "Photos.MinIO.local.", Endpoint: "HTTP://127.0.0.1:9000/", Bucket: "photos",
		PathStyle: true, AccessKeyID: "AKIAMINIO", SecretAccessKey: testOriginSecret}
}

func TestOriginEndpointValidate(t *testing.T) {
	ok := testEndpoint().Normalize()
	if ok.Domain != "photos.minio.local" || ok.Endpoint != "http://127.0.0.1:9000" || ok.Region != DefaultOriginRegion {
		t.Fatalf("Normalize = %+v", ok)
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("Validate(valid) = %v", err)
	}
	tests := []struct {
		name  string
		mod   func(*OriginEndpoint)
		field string
	}{
		{"no domain", func(e *OriginEndpoint) { e.Domain = "" }, "domain"},
		{"domain with a port", func(e *OriginEndpoint) { e.Domain = "a.example:9000" }, "domain"},
		{"domain with a scheme", func(e *OriginEndpoint) { e.Domain = "http://a.example" }, "domain"},
		{"no endpoint", func(e *OriginEndpoint) { e.Endpoint = "" }, "endpoint"},
		{"endpoint without a scheme", func(e *OriginEndpoint) { e.Endpoint = "127.0.0.1:9000" }, "endpoint"},
		{"ftp endpoint", func(e *OriginEndpoint) { e.Endpoint = "ftp://127.0.0.1" }, "endpoint"},
		{"endpoint with a path", func(e *OriginEndpoint) { e.Endpoint = "http://127.0.0.1:9000/photos" }, "endpoint"},
		{"endpoint with a user", func(e *OriginEndpoint) { e.Endpoint = "http://u:p@127.0.0.1:9000" }, "endpoint"},
		{"endpoint with a query", func(e *OriginEndpoint) { e.Endpoint = "http://127.0.0.1:9000?x=1" }, "endpoint"},
		{"no bucket", func(e *OriginEndpoint) { e.Bucket = "" }, "bucket"},
		{"upper-case bucket", func(e *OriginEndpoint) { e.Bucket = "Photos" }, "bucket"},
		{"short bucket", func(e *OriginEndpoint) { e.Bucket = "ab" }, "bucket"},
		{"bucket ending in a dash", func(e *OriginEndpoint) { e.Bucket = "photos-" }, "bucket"},
		{"dotted bucket, virtual-hosted https", func(e *OriginEndpoint) {
			e.Bucket, e.PathStyle, e.Endpoint = "my.photos", false, "https://s3.example.com"
		}, "bucket"},
		{"bad region", func(e *OriginEndpoint) { e.Region = "US East" }, "region"},
		{"no access key", func(e *OriginEndpoint) { e.AccessKeyID = "" }, "access-key"},
		{"access key with a slash", func(e *OriginEndpoint) { e.AccessKeyID = "AK/ID" }, "access-key"},
		{"no secret", func(e *OriginEndpoint) { e.SecretAccessKey = "" }, "secret-key"},
		{"secret with a space", func(e *OriginEndpoint) { e.SecretAccessKey = "a b" }, "secret-key"},
		{"secret too long", func(e *OriginEndpoint) { e.SecretAccessKey = strings.Repeat("s", maxKeyLen+1) }, "secret-key"},
	}
	for _, tt := range tests {
		e := testEndpoint()
		tt.mod(&e)
		err := e.Normalize().Validate()
		var ia *InvalidArgumentError
		if !errors.As(err, &ia) || ia.Field != tt.field {
			t.Errorf("%s: Validate = %v, want InvalidArgument on %s", tt.name, err, tt.field)
		}
	}
	for _, mod := range []func(*OriginEndpoint){
		func(e *OriginEndpoint) { e.Bucket, e.PathStyle = "my.photos", true },
		func(e *OriginEndpoint) { e.Bucket, e.PathStyle = "my.photos", false }, // http: no certificate to match
		func(e *OriginEndpoint) { e.Endpoint, e.PathStyle = "https://s3.eu-west-1.amazonaws.com", false },
		func(e *OriginEndpoint) { e.Endpoint = "http://[::1]:9000" },
	} {
		e := testEndpoint()
		mod(&e)
		if err := e.Normalize().Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", e, err)
		}
	}
}

// TestOriginEndpointLifecycle registers an endpoint, checks that only EdgeState carries its
// secret (and only while a distribution names it), that every change wakes edges, that the
// secret is sealed on disk and survives a restart with the same master key only, and that an
// endpoint in use cannot be deleted.
func TestOriginEndpointLifecycle(t *testing.T) {
	dir := t.TempDir()
	key := testMasterKey(t, 7)
	s := openTest(t, dir, func(c *Config) { c.SecretKey = key })

	v0 := mustVersion(t, s)
	got, err := s.PutOriginEndpoint(testEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	if got.SecretAccessKey != "" || got.Domain != "photos.minio.local" || got.LastModifiedTime.IsZero() {
		t.Errorf("PutOriginEndpoint returned %+v; want the normalized endpoint without its secret", got)
	}
	v1 := mustVersion(t, s)
	if v1 <= v0 {
		t.Errorf("Version %d after PutOriginEndpoint, was %d: edges would not see it", v1, v0)
	}
	list, err := s.ListOriginEndpoints()
	if err != nil || len(list) != 1 || list[0].SecretAccessKey != "" || list[0].AccessKeyID != "AKIAMINIO" {
		t.Fatalf("ListOriginEndpoints = %+v, %v; want one endpoint without its secret", list, err)
	}
	st, err := s.EdgeState()
	if err != nil || len(st.OriginEndpoints) != 0 {
		t.Fatalf("EdgeState with no distribution naming the endpoint: %+v, %v; want none sent", st.OriginEndpoints, err)
	}

	cfg := seedConfig("")
	cfg.Origins[0].DomainName = "PHOTOS.minio.local"
	d, _, err := s.CreateDistribution(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err = s.EdgeState()
	if err != nil || len(st.OriginEndpoints) != 1 {
		t.Fatalf("EdgeState: %+v, %v; want the endpoint the distribution names", st.OriginEndpoints, err)
	}
	if e := st.OriginEndpoints[0]; e.SecretAccessKey != testOriginSecret || e.Endpoint != "http://127.0.0.1:9000" || !e.PathStyle || e.Bucket != "photos" {
		t.Errorf("EdgeState endpoint = %+v; want the registered one with its secret", e)
	}
	if err := s.DeleteOriginEndpoint("photos.minio.local"); !errors.Is(err, ErrOriginEndpointInUse) {
		t.Errorf("DeleteOriginEndpoint in use = %v, want ErrOriginEndpointInUse", err)
	}

	// Replacing rotates the secret.
	e := testEndpoint()
	e.SecretAccessKey = "rotated-secret"
	if _, err := s.PutOriginEndpoint(e); err != nil {
		t.Fatal(err)
	}
	if st, err = s.EdgeState(); err != nil || len(st.OriginEndpoints) != 1 || st.OriginEndpoints[0].SecretAccessKey != "rotated-secret" {
		t.Fatalf("EdgeState after a put of the same domain: %+v, %v", st.OriginEndpoints, err)
	}
	if list, _ := s.ListOriginEndpoints(); len(list) != 1 {
		t.Errorf("a put of the same domain made %d endpoints, want 1", len(list))
	}

	// At rest the secrets are sealed: neither appears anywhere in the database files.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{testOriginSecret, "rotated-secret"} {
		if f := fileContaining(t, dir, []byte(secret)); f != "" {
			t.Errorf("the secret %q is stored in clear in %s", secret, f)
		}
	}

	// Another master key cannot open it; the right one can.
	wrong := openTest(t, dir, func(c *Config) { c.SecretKey = testMasterKey(t, 8) })
	if _, err := wrong.EdgeState(); !errors.Is(err, crypt.ErrWrongMasterKey) {
		t.Errorf("EdgeState under another master key = %v, want ErrWrongMasterKey", err)
	}
	wrong.Close()
	s = openTest(t, dir, func(c *Config) { c.SecretKey = key })
	if st, err = s.EdgeState(); err != nil || len(st.OriginEndpoints) != 1 || st.OriginEndpoints[0].SecretAccessKey != "rotated-secret" {
		t.Fatalf("EdgeState after a restart: %+v, %v", st.OriginEndpoints, err)
	}

	d, err = s.GetDistribution(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Enabled = false
	if d, err = s.UpdateDistribution(d.ID, d.ETag, cfg); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDistribution(d.ID, d.ETag); err != nil {
		t.Fatal(err)
	}
	before := mustVersion(t, s)
	if err := s.DeleteOriginEndpoint("Photos.MinIO.local"); err != nil {
		t.Fatalf("DeleteOriginEndpoint once unused = %v", err)
	}
	if mustVersion(t, s) <= before {
		t.Error("DeleteOriginEndpoint did not grow the Version")
	}
	if err := s.DeleteOriginEndpoint("photos.minio.local"); !errors.Is(err, ErrNoSuchOriginEndpoint) {
		t.Errorf("second DeleteOriginEndpoint = %v, want ErrNoSuchOriginEndpoint", err)
	}
	if list, _ := s.ListOriginEndpoints(); len(list) != 0 {
		t.Errorf("ListOriginEndpoints after delete = %+v", list)
	}
}

func TestOriginEndpointLimits(t *testing.T) {
	none := openTest(t, t.TempDir(), nil)
	if _, err := none.PutOriginEndpoint(testEndpoint()); !errors.Is(err, ErrNoSecretKey) {
		t.Errorf("PutOriginEndpoint without a master key = %v, want ErrNoSecretKey", err)
	}
	s := openTest(t, t.TempDir(), func(c *Config) { c.SecretKey = testMasterKey(t, 1) })
	if _, err := s.PutOriginEndpoint(OriginEndpoint{Domain: "x.example"}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("PutOriginEndpoint(invalid) = %v, want ErrInvalidArgument", err)
	}
	for i := range MaxOriginEndpoints {
		e := testEndpoint()
		e.Domain = "o" + strings.Repeat("x", i%50) + string(rune('a'+i/50)) + ".example"
		if _, err := s.PutOriginEndpoint(e); err != nil {
			t.Fatalf("endpoint %d: %v", i, err)
		}
	}
	e := testEndpoint()
	if _, err := s.PutOriginEndpoint(e); !errors.Is(err, ErrTooManyOriginEndpoints) {
		t.Errorf("endpoint %d = %v, want ErrTooManyOriginEndpoints", MaxOriginEndpoints+1, err)
	}
	e.Domain = "oa.example" // replacing one that exists is not a new one
	if _, err := s.PutOriginEndpoint(e); err != nil {
		t.Errorf("replacing an endpoint at the limit = %v", err)
	}
}

// fileContaining returns the first file under dir that holds needle.
func fileContaining(t *testing.T, dir string, needle []byte) string {
	t.Helper()
	found := ""
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || found != "" {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, needle) {
			found = p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}
