package cfapi

import (
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// TestPolicyGolden pins every policy and tagging response document, byte for byte.
func TestPolicyGolden(t *testing.T) {
	at := time.Date(2025, 2, 7, 7, 13, 57, 123e6, time.UTC)
	cp, err := decodeCachePolicyConfig([]byte(cachePolicyBody))
	if err != nil {
		t.Fatal(err)
	}
	orp, err := decodeOriginRequestPolicyConfig([]byte(originRequestPolicyBody))
	if err != nil {
		t.Fatal(err)
	}
	rhp, err := decodeResponseHeadersPolicyConfig([]byte(responseHeadersPolicyBody))
	if err != nil {
		t.Fatal(err)
	}
	// The richest managed policies: every security header, and the CORS preflight lists.
	hs := newHarness(t, nil)
	security, err := hs.svc.ResponseHeadersPolicy("eaab4381-ed33-4a86-88ca-d9558dc6cd63")
	if err != nil {
		t.Fatal(err)
	}
	optimized, err := hs.svc.CachePolicy(distrib.CachingOptimizedID)
	if err != nil {
		t.Fatal(err)
	}
	rate := 12.5
	rhp.ServerTiming = &distrib.ServerTimingConfig{Enabled: true, SamplingRate: &rate}
	custom := distrib.CachePolicy{ID: "5f2a1e0c-7c1b-4d3e-9f8a-2b6c4d8e0a1f", Config: cp, LastModified: at}
	cpList := cachePolicyListXML{NextMarker: custom.ID, MaxItems: 2, Quantity: 2}
	alloc(&cpList.Items).Summary = []cachePolicySummaryXML{{Type: "managed", Policy: toCachePolicyXML(optimized)}, {Type: "custom", Policy: toCachePolicyXML(custom)}}
	orpList := originRequestPolicyListXML{MaxItems: 100, Quantity: 1}
	alloc(&orpList.Items).Summary = []originRequestPolicySummaryXML{{Type: "custom",
		Policy: toOriginRequestPolicyXML(distrib.OriginRequestPolicy{ID: "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", Config: orp, LastModified: at})}}
	rhpList := responseHeadersPolicyListXML{MaxItems: 100, Quantity: 1}
	alloc(&rhpList.Items).Summary = []responseHeadersPolicySummaryXML{{Type: "managed", Policy: toResponseHeadersPolicyXML(security)}}
	for _, tc := range []struct {
		name string
		doc  any
	}{
		{"cache_policy", cachePolicyDoc{cachePolicyXML: toCachePolicyXML(custom)}},
		{"cache_policy_config", cachePolicyConfigDoc{cachePolicyConfigXML: cachePolicyConfigOut(optimized.Config)}},
		{"cache_policy_list", cpList},
		{"cache_policy_list_empty", cachePolicyListXML{MaxItems: 100}},
		{"origin_request_policy", originRequestPolicyDoc{originRequestPolicyXML: toOriginRequestPolicyXML(distrib.OriginRequestPolicy{ID: "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", Config: orp, LastModified: at})}},
		{"origin_request_policy_config", originRequestPolicyConfigDoc{originRequestPolicyConfigXML: originRequestPolicyConfigOut(orp)}},
		{"origin_request_policy_list", orpList},
		{"response_headers_policy", responseHeadersPolicyDoc{responseHeadersPolicyXML: toResponseHeadersPolicyXML(distrib.ResponseHeadersPolicy{ID: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", Config: rhp, LastModified: at})}},
		{"response_headers_policy_config", responseHeadersPolicyConfigDoc{rhpConfigXML: responseHeadersPolicyConfigOut(security.Config)}},
		{"response_headers_policy_list", rhpList},
		{"tags", toTagsXML([]distrib.Tag{{Key: "team", Value: "images & <co>"}, {Key: "env", Value: ""}})},
		{"tags_empty", toTagsXML(nil)},
		{"error_illegal_delete", errorDocument(errorFor(distrib.ErrIllegalDelete), "3b7e1d0c-6f0e-4d3a-9c59-6b1e0a3f5d21")},
	} {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, tc.name, tc.doc) })
	}
}

// TestPolicyConfigRoundTrip: what GetXPolicyConfig answers for every managed policy decodes
// to the same config, so a client can copy a managed policy into a custom one.
func TestPolicyConfigRoundTrip(t *testing.T) {
	hs := newHarness(t, nil)
	cps, _ := hs.svc.ListCachePolicies("", distrib.Page{})
	for _, p := range cps.Items {
		out := newRecorderXML(cachePolicyConfigDoc{cachePolicyConfigXML: cachePolicyConfigOut(p.Config)})
		back, err := decodeCachePolicyConfig(out)
		if err != nil || string(newRecorderXML(cachePolicyConfigDoc{cachePolicyConfigXML: cachePolicyConfigOut(back)})) != string(out) {
			t.Errorf("%s: %v\n%s", p.Config.Name, err, out)
		}
	}
	orps, _ := hs.svc.ListOriginRequestPolicies("", distrib.Page{})
	for _, p := range orps.Items {
		out := newRecorderXML(originRequestPolicyConfigDoc{originRequestPolicyConfigXML: originRequestPolicyConfigOut(p.Config)})
		back, err := decodeOriginRequestPolicyConfig(out)
		if err != nil || string(newRecorderXML(originRequestPolicyConfigDoc{originRequestPolicyConfigXML: originRequestPolicyConfigOut(back)})) != string(out) {
			t.Errorf("%s: %v\n%s", p.Config.Name, err, out)
		}
	}
	rhps, _ := hs.svc.ListResponseHeadersPolicies("", distrib.Page{})
	for _, p := range rhps.Items {
		out := newRecorderXML(responseHeadersPolicyConfigDoc{rhpConfigXML: responseHeadersPolicyConfigOut(p.Config)})
		back, err := decodeResponseHeadersPolicyConfig(out)
		if err != nil || string(newRecorderXML(responseHeadersPolicyConfigDoc{rhpConfigXML: responseHeadersPolicyConfigOut(back)})) != string(out) {
			t.Errorf("%s: %v\n%s", p.Config.Name, err, out)
		}
	}
	if len(cps.Items) != 7 || len(orps.Items) != 8 || len(rhps.Items) != 5 {
		t.Errorf("managed counts %d %d %d", len(cps.Items), len(orps.Items), len(rhps.Items))
	}
}
