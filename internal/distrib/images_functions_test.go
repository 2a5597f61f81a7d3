package distrib

import (
	"errors"
	"strings"
	"testing"
)

const testAccount = "123456789012"

func TestFunctionAssociations(t *testing.T) {
	s := openTest(t, t.TempDir(), func(c *Config) { c.AccountID = testAccount })
	optimizer := ImageOptimizerARN(testAccount)
	for _, tc := range []struct {
		name   string
		assocs []FunctionAssociation
		reason string // "" when accepted; else a piece of the error message
	}{
		{"none", nil, ""},
		{"optimizer", []FunctionAssociation{{ARN: optimizer, EventType: "viewer-request"}}, ""},
		{"other account", []FunctionAssociation{{ARN: ImageOptimizerARN("210987654321"), EventType: "viewer-request"}}, "names no published function"},
		{"unknown function", []FunctionAssociation{{ARN: FunctionARN(testAccount, "rewrite-urls"), EventType: "viewer-request"}}, "names no published function"},
		{"not an arn", []FunctionAssociation{{ARN: "imgcdn-image-optimizer", EventType: "viewer-request"}}, "is not a function ARN"},
		{"lambda arn", []FunctionAssociation{{ARN: "arn:aws:lambda:us-east-1:123456789012:function:f:1", EventType: "viewer-request"}}, "is not a function ARN"},
		{"short account", []FunctionAssociation{{ARN: "arn:aws:cloudfront::12345:function/imgcdn-image-optimizer", EventType: "viewer-request"}}, "is not a function ARN"},
		{"viewer-response", []FunctionAssociation{{ARN: optimizer, EventType: "viewer-response"}}, "associate it with viewer-request"},
		{"origin event", []FunctionAssociation{{ARN: optimizer, EventType: "origin-request"}}, "not origin-request"},
		{"bad event", []FunctionAssociation{{ARN: optimizer, EventType: "viewer"}}, "is not viewer-request or viewer-response"},
		{"twice", []FunctionAssociation{{ARN: optimizer, EventType: "viewer-request"}, {ARN: optimizer, EventType: "viewer-request"}}, "at most one function per event type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := seedConfig("")
			cfg.CallerReference = "ref-" + strings.ReplaceAll(tc.name, " ", "-")
			cfg.DefaultCacheBehavior.FunctionAssociations = tc.assocs
			_, _, err := s.CreateDistribution(cfg, nil)
			switch {
			case tc.reason == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.reason != "" && (!errors.Is(err, ErrInvalidFunctionAssociation) || !strings.Contains(err.Error(), tc.reason)):
				t.Fatalf("err = %v, want ErrInvalidFunctionAssociation saying %q", err, tc.reason)
			}
		})
	}
}

func TestFunctionAssociationsOnUpdateAndStatus(t *testing.T) {
	s := openTest(t, t.TempDir(), func(c *Config) { c.AccountID = testAccount })
	cfg := seedConfig("")
	cfg.CacheBehaviors = []CacheBehavior{cfg.DefaultCacheBehavior}
	cfg.CacheBehaviors[0].PathPattern = "/images/*"
	d, _, err := s.CreateDistribution(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if used, err := s.FunctionAssociated(ImageOptimizerFunctionName); err != nil || used {
		t.Fatalf("FunctionAssociated before any association = %v, %v", used, err)
	}
	bad := d.Config
	bad.CacheBehaviors = []CacheBehavior{bad.CacheBehaviors[0]}
	bad.CacheBehaviors[0].FunctionAssociations = []FunctionAssociation{{ARN: FunctionARN(testAccount, "other"), EventType: "viewer-request"}}
	if _, err := s.UpdateDistribution(d.ID, d.ETag, bad); !errors.Is(err, ErrInvalidFunctionAssociation) || !strings.Contains(err.Error(), `"/images/*"`) {
		t.Fatalf("update with an unknown function: %v, want ErrInvalidFunctionAssociation naming the behaviour", err)
	}
	good := d.Config
	good.CacheBehaviors = []CacheBehavior{good.CacheBehaviors[0]}
	good.CacheBehaviors[0].FunctionAssociations = []FunctionAssociation{{ARN: ImageOptimizerARN(testAccount), EventType: "viewer-request"}}
	d2, err := s.UpdateDistribution(d.ID, d.ETag, good)
	if err != nil {
		t.Fatal(err)
	}
	if !ImageOptimizerAssociated(&d2.Config.CacheBehaviors[0], testAccount) || ImageOptimizerAssociated(&d2.Config.DefaultCacheBehavior, testAccount) {
		t.Error("ImageOptimizerAssociated: want the /images/* behaviour only")
	}
	if ImageOptimizerAssociated(&d2.Config.CacheBehaviors[0], "210987654321") {
		t.Error("ImageOptimizerAssociated for another account")
	}
	if used, err := s.FunctionAssociated(ImageOptimizerFunctionName); err != nil || !used {
		t.Fatalf("FunctionAssociated after the update = %v, %v", used, err)
	}
	if used, _ := s.FunctionAssociated("other"); used {
		t.Error("FunctionAssociated(other) = true")
	}
}

func TestFunctionAssociationsWithoutAccount(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	cfg := seedConfig("")
	cfg.DefaultCacheBehavior.FunctionAssociations = []FunctionAssociation{{ARN: ImageOptimizerARN("999999999999"), EventType: "viewer-request"}}
	if _, _, err := s.CreateDistribution(cfg, nil); err != nil {
		t.Fatalf("a Service without AccountID refused the optimizer of some account: %v", err)
	}
}
