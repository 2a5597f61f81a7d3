package edge

import (
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/origin"
)

// TestCompileUsesOriginEndpoints: an S3 origin whose DomainName (in any case, with or without
// the trailing dot) is a registered endpoint is fetched from it with its credentials; other
// S3 origins and custom origins with the same name are not.
func TestCompileUsesOriginEndpoints(t *testing.T) {
	ep := distrib.OriginEndpoint{Domain: "photos.minio.local", Endpoint: "http://127.0.0.1:9000", Bucket: "photos",
		PathStyle: true, Region: "eu-west-1", AccessKeyID: "AKIAMINIO", SecretAccessKey: "s"}
	st := &State{AccountID: "123456789012", OACs: map[string]distrib.OAC{},
		OriginEndpoints: map[string]distrib.OriginEndpoint{ep.Domain: ep}}
	dist := func(o distrib.Origin) distrib.Distribution {
		o.ID = "o"
		return distrib.Distribution{ID: "EDIST", Version: 1, Config: distrib.DistributionConfig{Enabled: true,
			Origins:              []distrib.Origin{o},
			DefaultCacheBehavior: distrib.CacheBehavior{TargetOriginID: "o", ViewerProtocolPolicy: "allow-all"}}}
	}
	tests := []struct {
		name   string
		origin distrib.Origin
		check  func(origin.Target) bool
	}{
		{"registered", distrib.Origin{DomainName: "Photos.MinIO.local.", S3: &distrib.S3Origin{}}, func(tg origin.Target) bool {
			return !tg.Local && tg.Scheme == "http" && tg.Domain == "127.0.0.1:9000" && tg.Bucket == "photos" && tg.PathStyle &&
				tg.Credentials != nil && *tg.Credentials == origin.Credentials{AccessKeyID: "AKIAMINIO", SecretAccessKey: "s", Region: "eu-west-1"}
		}},
		{"another S3 origin", distrib.Origin{DomainName: "photos.s3.amazonaws.com", S3: &distrib.S3Origin{}}, func(tg origin.Target) bool {
			return tg.Local && tg.Bucket == "photos" && tg.Credentials == nil
		}},
		{"a custom origin of that name", distrib.Origin{DomainName: "photos.minio.local",
			Custom: &distrib.CustomOrigin{OriginProtocolPolicy: "http-only"}}, func(tg origin.Target) bool {
			return !tg.S3 && tg.Domain == "photos.minio.local" && tg.Credentials == nil
		}},
	}
	for _, tt := range tests {
		s, err := compile(dist(tt.origin), st)
		if err != nil {
			t.Fatalf("%s: compile: %v", tt.name, err)
		}
		if tg := s.def.targets[0]; !tt.check(tg) {
			t.Errorf("%s: target %+v", tt.name, tg)
		}
	}
	// A registration that cannot be a target keeps the distribution from loading rather
	// than fetching from the wrong place.
	st.OriginEndpoints[ep.Domain] = distrib.OriginEndpoint{Domain: ep.Domain, Endpoint: "http://127.0.0.1:9000", Bucket: "photos"}
	if _, err := compile(dist(tests[0].origin), st); err == nil {
		t.Error("compile with an endpoint without credentials succeeded")
	}
}
