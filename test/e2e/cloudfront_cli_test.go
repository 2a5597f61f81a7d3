package e2e

import (
	"regexp"
	"testing"
)

// cfOAI is the aws CLI's JSON for an origin access identity.
type cfOAI struct {
	ID                string `json:"Id"`
	S3CanonicalUserID string `json:"S3CanonicalUserId"`
	Config            struct {
		CallerReference string
		Comment         string
	} `json:"CloudFrontOriginAccessIdentityConfig"`
}

var (
	cfIDPattern  = regexp.MustCompile(`^E[A-Z0-9]{13}$`)
	hex64Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// seedOAIConfig is the seed's step 6.1 config, verbatim.
const seedOAIConfig = `{ "CallerReference": "aws-cli-example-caller-2025", "Comment": "OAI for image-bucket-2025" }`

// TestCloudFrontOAICLI runs the seed's step 6.1 with the real aws CLI, then every other OAI
// command, and checks that the identity survives a restart.
func TestCloudFrontOAICLI(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cli := newCLI(t, srv.endpoint(), cliOpts{})

	var created struct {
		Location string
		ETag     string
		OAI      cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &created, "cloudfront", "create-cloud-front-origin-access-identity",
		"--cloud-front-origin-access-identity-config", seedOAIConfig)
	id := created.OAI.ID
	if !cfIDPattern.MatchString(id) || !cfIDPattern.MatchString(created.ETag) {
		t.Fatalf("create: Id %q ETag %q, want CloudFront-shaped ids", id, created.ETag)
	}
	if want := srv.endpoint() + "/2020-05-31/origin-access-identity/cloudfront/" + id; created.Location != want {
		t.Errorf("Location = %q, want %q", created.Location, want)
	}
	if !hex64Pattern.MatchString(created.OAI.S3CanonicalUserID) {
		t.Errorf("S3CanonicalUserId = %q, want 64 hex digits", created.OAI.S3CanonicalUserID)
	}
	if c := created.OAI.Config; c.CallerReference != "aws-cli-example-caller-2025" || c.Comment != "OAI for image-bucket-2025" {
		t.Errorf("config = %+v", c)
	}

	// Step 6.1 again: the same reference and config return the same identity.
	var again struct{ CloudFrontOriginAccessIdentity cfOAI }
	cli.json(t, &again, "cloudfront", "create-cloud-front-origin-access-identity",
		"--cloud-front-origin-access-identity-config", seedOAIConfig)
	if again.CloudFrontOriginAccessIdentity.ID != id {
		t.Errorf("repeated create: Id %q, want %q", again.CloudFrontOriginAccessIdentity.ID, id)
	}
	cli.fails(t, "CloudFrontOriginAccessIdentityAlreadyExists", "cloudfront", "create-cloud-front-origin-access-identity",
		"--cloud-front-origin-access-identity-config", `{"CallerReference": "aws-cli-example-caller-2025", "Comment": "another"}`)

	var got struct {
		ETag string
		OAI  cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &got, "cloudfront", "get-cloud-front-origin-access-identity", "--id", id)
	if got.ETag != created.ETag || got.OAI != created.OAI {
		t.Errorf("get = %+v, want %+v with ETag %s", got, created.OAI, created.ETag)
	}
	var cfg struct {
		ETag   string
		Config struct{ CallerReference, Comment string } `json:"CloudFrontOriginAccessIdentityConfig"`
	}
	cli.json(t, &cfg, "cloudfront", "get-cloud-front-origin-access-identity-config", "--id", id)
	if cfg.ETag != created.ETag || cfg.Config.Comment != "OAI for image-bucket-2025" {
		t.Errorf("get config = %+v", cfg)
	}

	newConfig := `{"CallerReference": "aws-cli-example-caller-2025", "Comment": "renamed"}`
	cli.fails(t, "InvalidIfMatchVersion", "cloudfront", "update-cloud-front-origin-access-identity", "--id", id,
		"--cloud-front-origin-access-identity-config", newConfig)
	var updated struct {
		ETag string
		OAI  cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &updated, "cloudfront", "update-cloud-front-origin-access-identity", "--id", id,
		"--if-match", created.ETag, "--cloud-front-origin-access-identity-config", newConfig)
	if updated.ETag == created.ETag || !cfIDPattern.MatchString(updated.ETag) || updated.OAI.Config.Comment != "renamed" {
		t.Errorf("update = %+v, want a new ETag and the new comment", updated)
	}
	cli.fails(t, "PreconditionFailed", "cloudfront", "update-cloud-front-origin-access-identity", "--id", id,
		"--if-match", created.ETag, "--cloud-front-origin-access-identity-config", newConfig)
	cli.fails(t, "IllegalUpdate", "cloudfront", "update-cloud-front-origin-access-identity", "--id", id,
		"--if-match", updated.ETag, "--cloud-front-origin-access-identity-config", `{"CallerReference": "other", "Comment": "x"}`)

	var list struct {
		List struct {
			Quantity    int
			IsTruncated bool
			Items       []struct{ Id, S3CanonicalUserId, Comment string }
		} `json:"CloudFrontOriginAccessIdentityList"`
	}
	// --no-paginate shows the whole document; the CLI's paginator keeps only Items.
	cli.json(t, &list, "cloudfront", "list-cloud-front-origin-access-identities", "--no-paginate")
	if l := list.List; l.Quantity != 1 || l.IsTruncated || len(l.Items) != 1 || l.Items[0].Id != id || l.Items[0].Comment != "renamed" ||
		l.Items[0].S3CanonicalUserId != created.OAI.S3CanonicalUserID {
		t.Errorf("list = %+v", l)
	}

	// The identity and its new ETag survive a restart.
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	srv2, err := srv.restart()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv2.stop(); err != nil {
			t.Errorf("imgcdn did not stop gracefully: %v", err)
		}
	})
	cli = newCLI(t, srv2.endpoint(), cliOpts{})
	cli.json(t, &got, "cloudfront", "get-cloud-front-origin-access-identity", "--id", id)
	if got.ETag != updated.ETag || got.OAI.Config.Comment != "renamed" {
		t.Errorf("after restart: %+v, want ETag %s", got, updated.ETag)
	}

	cli.fails(t, "InvalidIfMatchVersion", "cloudfront", "delete-cloud-front-origin-access-identity", "--id", id)
	cli.ok(t, "cloudfront", "delete-cloud-front-origin-access-identity", "--id", id, "--if-match", updated.ETag)
	cli.fails(t, "NoSuchCloudFrontOriginAccessIdentity", "cloudfront", "get-cloud-front-origin-access-identity", "--id", id)
	cli.fails(t, "NotImplemented", "cloudfront", "list-key-groups")
}
