package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cfFunctionSummary is the aws CLI's FunctionSummary JSON.
type cfFunctionSummary struct {
	Name             string
	Status           string
	FunctionConfig   struct{ Comment, Runtime string }
	FunctionMetadata struct {
		FunctionARN, Stage string
	}
}

var optimizerARNPattern = regexp.MustCompile(`^arn:aws:cloudfront::([0-9]{12}):function/imgcdn-image-optimizer$`)

// TestCloudFrontFunctionCLI: the built-in image optimizer answers the Functions API as a
// published function with the real aws CLI, refuses changes with CloudFront's error codes, and
// turns DEPLOYED once `aws cloudfront update-distribution` associates it with a behavior (an
// unknown function ARN is InvalidFunctionAssociation).
func TestCloudFrontFunctionCLI(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cli := newCLI(t, srv.endpoint(), cliOpts{})

	var described struct {
		ETag            string
		FunctionSummary cfFunctionSummary
	}
	cli.json(t, &described, "cloudfront", "describe-function", "--name", "imgcdn-image-optimizer")
	s := described.FunctionSummary
	m := optimizerARNPattern.FindStringSubmatch(s.FunctionMetadata.FunctionARN)
	if s.Name != "imgcdn-image-optimizer" || s.Status != "UNASSOCIATED" || s.FunctionConfig.Runtime != "cloudfront-js-2.0" ||
		s.FunctionMetadata.Stage != "LIVE" || m == nil || !cfIDPattern.MatchString(described.ETag) {
		t.Fatalf("describe-function = %+v", described)
	}
	arn, account := m[0], m[1]

	code := filepath.Join(t.TempDir(), "code.js")
	var got struct{ ETag, ContentType string }
	cli.json(t, &got, "cloudfront", "get-function", "--name", "imgcdn-image-optimizer", "--stage", "LIVE", code)
	js, err := os.ReadFile(code)
	if err != nil || got.ETag != described.ETag || !strings.Contains(string(js), "function handler(event)") {
		t.Errorf("get-function: %+v, code %q, %v", got, js, err)
	}

	var list struct {
		FunctionList struct {
			Quantity int
			Items    []cfFunctionSummary
		}
	}
	cli.json(t, &list, "cloudfront", "list-functions", "--stage", "LIVE")
	if list.FunctionList.Quantity != 1 || len(list.FunctionList.Items) != 1 || list.FunctionList.Items[0].FunctionMetadata.FunctionARN != arn {
		t.Errorf("list-functions = %+v", list)
	}

	cli.fails(t, "NoSuchFunctionExists", "cloudfront", "describe-function", "--name", "rewrite-urls")
	cli.fails(t, "FunctionAlreadyExists", "cloudfront", "create-function", "--name", "imgcdn-image-optimizer",
		"--function-config", `{"Comment": "", "Runtime": "cloudfront-js-2.0"}`, "--function-code", "ZnVuY3Rpb24gaGFuZGxlcihlKXtyZXR1cm4gZS5yZXF1ZXN0fQ==")
	cli.fails(t, "UnsupportedOperation", "cloudfront", "create-function", "--name", "rewrite-urls",
		"--function-config", `{"Comment": "", "Runtime": "cloudfront-js-2.0"}`, "--function-code", "ZnVuY3Rpb24gaGFuZGxlcihlKXtyZXR1cm4gZS5yZXF1ZXN0fQ==")
	cli.fails(t, "UnsupportedOperation", "cloudfront", "publish-function", "--name", "imgcdn-image-optimizer", "--if-match", described.ETag)
	cli.fails(t, "PreconditionFailed", "cloudfront", "delete-function", "--name", "imgcdn-image-optimizer", "--if-match", "EWRONGETAG0001")
	cli.fails(t, "UnsupportedOperation", "cloudfront", "delete-function", "--name", "imgcdn-image-optimizer", "--if-match", described.ETag)

	// The seed's distribution, then the one update-distribution that turns images on.
	var oai struct {
		OAI cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &oai, "cloudfront", "create-cloud-front-origin-access-identity", "--cloud-front-origin-access-identity-config", seedOAIConfig)
	var created struct {
		ETag         string
		Distribution cfDistribution
	}
	cli.json(t, &created, "cloudfront", "create-distribution", "--distribution-config",
		strings.Replace(seedDistributionConfig, "ERTF9F3HTHDQ", oai.OAI.ID, 1))
	if !strings.HasPrefix(created.Distribution.ARN, "arn:aws:cloudfront::"+account+":") {
		t.Errorf("distribution ARN %q and function ARN %q name different accounts", created.Distribution.ARN, arn)
	}
	withFunction := func(functionARN string) string {
		cfg := created.Distribution.DistributionConfig
		b := cfg["DefaultCacheBehavior"].(map[string]any)
		b["FunctionAssociations"] = map[string]any{"Quantity": 1, "Items": []any{
			map[string]any{"FunctionARN": functionARN, "EventType": "viewer-request"}}}
		out, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	id := created.Distribution.ID
	cli.fails(t, "InvalidFunctionAssociation", "cloudfront", "update-distribution", "--id", id, "--if-match", created.ETag,
		"--distribution-config", withFunction("arn:aws:cloudfront::"+account+":function/rewrite-urls"))
	var updated struct {
		ETag         string
		Distribution cfDistribution
	}
	cli.json(t, &updated, "cloudfront", "update-distribution", "--id", id, "--if-match", created.ETag,
		"--distribution-config", withFunction(arn))
	assoc, _ := json.Marshal(updated.Distribution.DistributionConfig["DefaultCacheBehavior"].(map[string]any)["FunctionAssociations"])
	if !strings.Contains(string(assoc), arn) {
		t.Errorf("the association is not in the updated config: %s", assoc)
	}
	cli.json(t, &described, "cloudfront", "describe-function", "--name", "imgcdn-image-optimizer")
	if described.FunctionSummary.Status != "DEPLOYED" {
		t.Errorf("status after the association = %q, want DEPLOYED", described.FunctionSummary.Status)
	}
}
