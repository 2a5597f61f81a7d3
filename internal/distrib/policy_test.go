package distrib

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"testing"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func testCachePolicy(name string) CachePolicyConfig {
	return CachePolicyConfig{Name: name, Comment: "images", MinTTL: 1, DefaultTTL: 3600, MaxTTL: 86400,
		Parameters: CacheKeyParameters{EnableAcceptEncodingGzip: true,
			HeadersConfig:      NamesConfig{Behavior: BehaviorWhitelist, Names: []string{"Accept"}},
			CookiesConfig:      NamesConfig{Behavior: BehaviorNone},
			QueryStringsConfig: NamesConfig{Behavior: BehaviorWhitelist, Names: []string{"w", "h"}}}}
}

func testOriginRequestPolicy(name string) OriginRequestPolicyConfig {
	return OriginRequestPolicyConfig{Name: name, HeadersConfig: NamesConfig{Behavior: BehaviorWhitelist, Names: []string{"Origin"}},
		CookiesConfig: NamesConfig{Behavior: BehaviorNone}, QueryStringsConfig: NamesConfig{Behavior: BehaviorAll}}
}

func testResponseHeadersPolicy(name string) ResponseHeadersPolicyConfig {
	return ResponseHeadersPolicyConfig{Name: name,
		CORS:          &CORSConfig{AllowOrigins: []string{"https://example.com"}, AllowMethods: []string{"GET", "HEAD"}, AllowCredentials: true},
		CustomHeaders: []ResponseCustomHeader{{Header: "X-Served-By", Value: "imgcdn"}},
		RemoveHeaders: []string{"X-Powered-By"}}
}

func TestCachePolicyLifecycle(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	p, err := s.CreateCachePolicy(testCachePolicy("images"))
	if err != nil {
		t.Fatal(err)
	}
	if !uuidPattern.MatchString(p.ID) || !idPattern.MatchString(p.ETag) || p.Managed || p.LastModified.IsZero() {
		t.Errorf("created %+v: want a UUID id, an ETag and a time", p)
	}
	if got, err := s.CachePolicy(p.ID); err != nil || !reflect.DeepEqual(got, p) {
		t.Errorf("CachePolicy = %+v, %v; want %+v", got, err, p)
	}
	for _, name := range []string{"images", "Managed-CachingOptimized"} {
		if _, err := s.CreateCachePolicy(testCachePolicy(name)); !errors.Is(err, ErrCachePolicyAlreadyExists) {
			t.Errorf("create %q: %v, want ErrCachePolicyAlreadyExists", name, err)
		}
	}

	renamed := testCachePolicy("thumbs")
	if _, err := s.UpdateCachePolicy(p.ID, "", renamed); !errors.Is(err, ErrMissingIfMatch) {
		t.Errorf("update without If-Match: %v", err)
	}
	if _, err := s.UpdateCachePolicy(p.ID, "ESTALE", renamed); !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("update with a stale ETag: %v", err)
	}
	if _, err := s.UpdateCachePolicy(p.ID, p.ETag, testCachePolicy("Managed-CachingDisabled")); !errors.Is(err, ErrCachePolicyAlreadyExists) {
		t.Errorf("rename to a managed name: %v", err)
	}
	u, err := s.UpdateCachePolicy(p.ID, p.ETag, renamed)
	if err != nil || u.ETag == p.ETag || u.Config.Name != "thumbs" {
		t.Fatalf("update: %+v, %v", u, err)
	}
	// The old name is free again, the new one taken.
	other, err := s.CreateCachePolicy(testCachePolicy("images"))
	if err != nil {
		t.Errorf("the old name after a rename: %v", err)
	}
	if _, err := s.CreateCachePolicy(testCachePolicy("thumbs")); !errors.Is(err, ErrCachePolicyAlreadyExists) {
		t.Errorf("the new name after a rename: %v", err)
	}

	if err := s.DeleteCachePolicy(p.ID, p.ETag); !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("delete with the old ETag: %v", err)
	}
	if err := s.DeleteCachePolicy(p.ID, u.ETag); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CachePolicy(p.ID); !errors.Is(err, ErrNoSuchCachePolicy) {
		t.Errorf("get after delete: %v", err)
	}
	if err := s.DeleteCachePolicy(other.ID, other.ETag); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"", "E2QWRUHAPOMQZL", "../cp/x", "658327EA-F89D-4FAB-A63D-7E88639E58F6"} {
		if _, err := s.CachePolicy(id); !errors.Is(err, ErrNoSuchCachePolicy) {
			t.Errorf("CachePolicy(%q): %v", id, err)
		}
	}
}

// TestManagedPolicies pins the managed policies the brief and the issue name, checks that
// every managed policy passes the validation custom ones do, and that none can change.
func TestManagedPolicies(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	co, err := s.CachePolicy(CachingOptimizedID)
	want := CachePolicyConfig{Name: "Managed-CachingOptimized", Comment: "Policy with caching enabled. Supports Gzip and Brotli compression.",
		MinTTL: 1, DefaultTTL: 86400, MaxTTL: 31536000, Parameters: CacheKeyParameters{EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true,
			HeadersConfig: NamesConfig{Behavior: "none"}, CookiesConfig: NamesConfig{Behavior: "none"}, QueryStringsConfig: NamesConfig{Behavior: "none"}}}
	if err != nil || !co.Managed || co.Type() != PolicyTypeManaged || !reflect.DeepEqual(co.Config, want) {
		t.Errorf("CachingOptimized = %+v, %v", co, err)
	}
	if again, _ := s.CachePolicy(CachingOptimizedID); again.ETag != co.ETag || !idPattern.MatchString(co.ETag) {
		t.Errorf("a managed ETag must be stable and CloudFront-shaped: %q, %q", co.ETag, again.ETag)
	}
	for id, name := range map[string]string{
		CachingDisabledID:                      "Managed-CachingDisabled",
		"83da9c7e-98b4-4e11-a168-04f0df8e2c65": "Managed-UseOriginCacheControlHeaders",
		"4cc15a8a-d715-48a4-82b8-cc0b614638fe": "Managed-UseOriginCacheControlHeaders-QueryStrings",
		"b2884449-e4de-46a7-ac36-70bc7f1ddd6d": "Managed-CachingOptimizedForUncompressedObjects",
	} {
		if p, err := s.CachePolicy(id); err != nil || p.Config.Name != name {
			t.Errorf("cache policy %s = %q, %v; want %s", id, p.Config.Name, err, name)
		}
	}
	if p, _ := s.CachePolicy(CachingDisabledID); p.Config.MaxTTL != 0 || p.Config.DefaultTTL != 0 {
		t.Errorf("CachingDisabled TTLs %+v", p.Config)
	}
	for id, name := range map[string]string{AllViewerID: "Managed-AllViewer", "b689b0a8-53d0-40ab-baf2-68738e2966ac": "Managed-AllViewerExceptHostHeader",
		"88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": "Managed-CORS-S3Origin"} {
		if p, err := s.OriginRequestPolicy(id); err != nil || p.Config.Name != name {
			t.Errorf("origin request policy %s = %q, %v; want %s", id, p.Config.Name, err, name)
		}
	}
	for id, name := range map[string]string{SimpleCORSID: "Managed-SimpleCORS", "67f7725c-6f97-4210-82d7-5512b31e9d03": "Managed-SecurityHeadersPolicy"} {
		if p, err := s.ResponseHeadersPolicy(id); err != nil || p.Config.Name != name {
			t.Errorf("response headers policy %s = %q, %v; want %s", id, p.Config.Name, err, name)
		}
	}

	ids := map[string]bool{}
	check := func(id, name string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("managed %s (%s) does not validate: %v", name, id, err)
		}
		if !validPolicyID(id) || ids[id] {
			t.Errorf("%s: id %q is not a UUID or is used twice", name, id)
		}
		ids[id] = true
	}
	for _, p := range managedCachePolicies() {
		check(p.ID, p.Config.Name, p.Config.Validate())
	}
	for _, p := range managedOriginRequestPolicies() {
		check(p.ID, p.Config.Name, p.Config.Validate())
	}
	for _, p := range managedResponseHeadersPolicies() {
		check(p.ID, p.Config.Name, p.Config.Validate())
	}
	if len(managedCachePolicies()) != 7 || len(managedOriginRequestPolicies()) != 8 || len(managedResponseHeadersPolicies()) != 5 {
		t.Errorf("managed policy counts changed: %d %d %d", len(managedCachePolicies()), len(managedOriginRequestPolicies()), len(managedResponseHeadersPolicies()))
	}

	if _, err := s.UpdateCachePolicy(CachingOptimizedID, co.ETag, testCachePolicy("x")); !errors.Is(err, ErrManagedPolicyUpdate) {
		t.Errorf("update of a managed policy: %v", err)
	}
	if err := s.DeleteCachePolicy(CachingOptimizedID, co.ETag); !errors.Is(err, ErrIllegalDelete) {
		t.Errorf("delete of a managed cache policy: %v", err)
	}
	if err := s.DeleteOriginRequestPolicy(AllViewerID, "x"); !errors.Is(err, ErrIllegalDelete) {
		t.Errorf("delete of a managed origin request policy: %v", err)
	}
	if _, err := s.UpdateResponseHeadersPolicy(SimpleCORSID, "x", testResponseHeadersPolicy("x")); !errors.Is(err, ErrManagedPolicyUpdate) {
		t.Errorf("update of a managed response headers policy: %v", err)
	}
	// Callers get copies: changing one does not change the next answer.
	p, _ := s.ResponseHeadersPolicy(SimpleCORSID)
	p.Config.CORS.AllowOrigins[0] = "changed"
	if again, _ := s.ResponseHeadersPolicy(SimpleCORSID); again.Config.CORS.AllowOrigins[0] != "*" {
		t.Error("a caller changed a managed policy for everyone")
	}
}

func TestListPolicies(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	var custom []string
	for i := range 3 {
		p, err := s.CreateCachePolicy(testCachePolicy(fmt.Sprint("p", i)))
		if err != nil {
			t.Fatal(err)
		}
		custom = append(custom, p.ID)
	}
	ids := func(l List[CachePolicy]) (out []string) {
		for _, p := range l.Items {
			out = append(out, p.ID)
		}
		return out
	}
	l, err := s.ListCachePolicies(PolicyTypeCustom, Page{})
	if err != nil || len(l.Items) != 3 || l.IsTruncated {
		t.Fatalf("custom: %v %v", ids(l), err)
	}
	for _, p := range l.Items {
		if p.Managed {
			t.Errorf("custom list has managed %s", p.ID)
		}
	}
	if l, err := s.ListCachePolicies(PolicyTypeManaged, Page{}); err != nil || len(l.Items) != 7 || !l.Items[0].Managed {
		t.Errorf("managed: %v %v", ids(l), err)
	}
	// Paging across the managed and custom parts with MaxItems 4: 10 policies, 3 pages.
	var all []string
	marker := ""
	for pages := 0; ; pages++ {
		l, err := s.ListCachePolicies("", Page{Marker: marker, MaxItems: 4})
		if err != nil || pages > 3 {
			t.Fatalf("page %d: %v", pages, err)
		}
		all = append(all, ids(l)...)
		if !l.IsTruncated {
			break
		}
		if l.NextMarker != l.Items[len(l.Items)-1].ID {
			t.Fatalf("NextMarker %q is not the last id", l.NextMarker)
		}
		marker = l.NextMarker
	}
	if len(all) != 10 || !reflect.DeepEqual(all[7:], ids(mustList(t, s))) {
		t.Errorf("paged list %v", all)
	}
	if _, err := s.ListCachePolicies("", Page{Marker: "00000000-0000-4000-8000-000000000000"}); !errors.Is(err, ErrNoSuchCachePolicy) {
		t.Errorf("unknown marker: %v", err)
	}
	if _, err := s.ListCachePolicies("aws", Page{}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("bad type: %v", err)
	}
	if l, err := s.ListOriginRequestPolicies(PolicyTypeCustom, Page{}); err != nil || len(l.Items) != 0 {
		t.Errorf("no custom origin request policies: %+v %v", l, err)
	}
	if l, err := s.ListResponseHeadersPolicies("", Page{}); err != nil || len(l.Items) != 5 {
		t.Errorf("response headers policies: %d %v", len(l.Items), err)
	}
}

func mustList(t *testing.T, s *Service) List[CachePolicy] {
	t.Helper()
	l, err := s.ListCachePolicies(PolicyTypeCustom, Page{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestTooManyPolicies(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	for i := range MaxPolicies {
		if _, err := s.CreateOriginRequestPolicy(testOriginRequestPolicy(fmt.Sprint("p", i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateOriginRequestPolicy(testOriginRequestPolicy("one-more")); !errors.Is(err, ErrTooManyOriginRequestPolicies) {
		t.Errorf("policy %d: %v", MaxPolicies+1, err)
	}
	// The quota is per kind.
	if _, err := s.CreateCachePolicy(testCachePolicy("one-more")); err != nil {
		t.Errorf("a cache policy next to 20 origin request policies: %v", err)
	}
}

// TestPoliciesInUse: a distribution's behaviors must name existing policies, and a policy a
// behavior names cannot be deleted until no behavior does.
func TestPoliciesInUse(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	cp, err := s.CreateCachePolicy(testCachePolicy("images"))
	if err != nil {
		t.Fatal(err)
	}
	orp, err := s.CreateOriginRequestPolicy(testOriginRequestPolicy("cors"))
	if err != nil {
		t.Fatal(err)
	}
	rhp, err := s.CreateResponseHeadersPolicy(testResponseHeadersPolicy("headers"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := seedConfig("")
	b := &cfg.DefaultCacheBehavior
	b.ForwardedValues, b.MinTTL, b.DefaultTTL, b.MaxTTL = nil, nil, nil, nil
	const unknown = "00000000-0000-4000-8000-000000000000"
	for _, tc := range []struct {
		cp, orp, rhp string
		want         error
	}{
		{unknown, "", "", ErrNoSuchCachePolicy},
		{cp.ID, unknown, "", ErrNoSuchOriginRequestPolicy},
		{cp.ID, orp.ID, unknown, ErrNoSuchResponseHeadersPolicy},
		{"", orp.ID, "", ErrInvalidArgument},
	} {
		b.CachePolicyID, b.OriginRequestPolicyID, b.ResponseHeadersPolicyID = tc.cp, tc.orp, tc.rhp
		if _, _, err := s.CreateDistribution(cfg, nil); !errors.Is(err, tc.want) {
			t.Errorf("%+v: %v, want %v", tc, err, tc.want)
		}
	}
	b.CachePolicyID, b.OriginRequestPolicyID, b.ResponseHeadersPolicyID = cp.ID, orp.ID, rhp.ID
	cfg.CacheBehaviors = []CacheBehavior{*b}
	cfg.CacheBehaviors[0].PathPattern = "/thumbs/*"
	d, _, err := s.CreateDistribution(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCachePolicy(cp.ID, cp.ETag); !errors.Is(err, ErrCachePolicyInUse) {
		t.Errorf("delete of a cache policy in use: %v", err)
	}
	if err := s.DeleteOriginRequestPolicy(orp.ID, orp.ETag); !errors.Is(err, ErrOriginRequestPolicyInUse) {
		t.Errorf("delete of an origin request policy in use: %v", err)
	}
	if err := s.DeleteResponseHeadersPolicy(rhp.ID, rhp.ETag); !errors.Is(err, ErrResponseHeadersPolicyInUse) {
		t.Errorf("delete of a response headers policy in use: %v", err)
	}
	// An update to a policy in use is allowed: the distribution follows it.
	if _, err := s.UpdateCachePolicy(cp.ID, cp.ETag, testCachePolicy("images-v2")); err != nil {
		t.Errorf("update of a policy in use: %v", err)
	}
	// The default behavior moves to managed policies; the path behavior still holds them.
	next := d.Config
	next.DefaultCacheBehavior.CachePolicyID, next.DefaultCacheBehavior.OriginRequestPolicyID = CachingOptimizedID, AllViewerID
	next.DefaultCacheBehavior.ResponseHeadersPolicyID = SimpleCORSID
	if d, err = s.UpdateDistribution(d.ID, d.ETag, next); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteResponseHeadersPolicy(rhp.ID, rhp.ETag); !errors.Is(err, ErrResponseHeadersPolicyInUse) {
		t.Errorf("still used by /thumbs/*: %v", err)
	}
	next.CacheBehaviors = nil
	if _, err = s.UpdateDistribution(d.ID, d.ETag, next); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteOriginRequestPolicy(orp.ID, orp.ETag); err != nil {
		t.Errorf("delete once no behavior names it: %v", err)
	}
	if err := s.DeleteResponseHeadersPolicy(rhp.ID, rhp.ETag); err != nil {
		t.Errorf("delete once no behavior names it: %v", err)
	}
}

// TestPoliciesSurviveRestart: policies and their name index are durable.
func TestPoliciesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	cp, err := s.CreateCachePolicy(testCachePolicy("images"))
	if err != nil {
		t.Fatal(err)
	}
	rhp, err := s.CreateResponseHeadersPolicy(testResponseHeadersPolicy("headers"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, nil)
	if got, err := s.CachePolicy(cp.ID); err != nil || !reflect.DeepEqual(got, cp) {
		t.Errorf("after restart %+v, %v; want %+v", got, err, cp)
	}
	if got, err := s.ResponseHeadersPolicy(rhp.ID); err != nil || !reflect.DeepEqual(got, rhp) {
		t.Errorf("after restart %+v, %v; want %+v", got, err, rhp)
	}
	if _, err := s.CreateCachePolicy(testCachePolicy("images")); !errors.Is(err, ErrCachePolicyAlreadyExists) {
		t.Errorf("name index lost: %v", err)
	}
}
