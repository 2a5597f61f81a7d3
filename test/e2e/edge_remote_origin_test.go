package e2e

import (
	"bytes"
	"context"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestEdgeRemoteOrigin puts an S3 origin on a second imgcdn (B) behind a distribution of the
// first (A), as issue 5 asks ("an S3 origin on a second imgcdn instance with OAC
// credentials"). B's bucket admits only CloudFront fetching for A's distribution
// (aws:SourceArn); A knows B's endpoint and an edge key of B through `imgcdn origins add`, so
// A's edge signs with B's key and names its distribution in x-amz-source-arn. A viewer gets
// B's object through A's edge, Miss then Hit; the same endpoint without the OAC, or with a
// wrong secret, gets B's 403 passed through, and the secret never comes back out of A.
func TestEdgeRemoteOrigin(t *testing.T) {
	b := startServer(t, t.TempDir())
	a := startServer(t, t.TempDir())
	ctx := context.Background()

	// B: a private bucket with an object, and an edge key for A's fleet.
	bs3 := pathSDK(t, b)
	bucket := mustBucket(t, bs3, "remote")
	img := seedPNG(t, 5)
	mustPut(t, bs3, bucket, "images/cat.png", img)
	mustPut(t, bs3, bucket, "images/dog.png", []byte("dog"))
	bEdgeAK, bEdgeSK := createKey(t, b, "--edge")

	// A: register B's endpoint under two domains, one with a wrong secret.
	const (
		domain      = "photos.b.imgcdn.test"
		wrongDomain = "wrong.b.imgcdn.test"
	)
	out := imgcdnOrigins(t, a, bEdgeSK, "add", "--domain", domain, "--endpoint", b.endpoint(), "--bucket", bucket,
		"--path-style", "--access-key", bEdgeAK)
	if !strings.Contains(out, "registered "+domain) || strings.Contains(out, bEdgeSK) {
		t.Fatalf("imgcdn origins add printed %q", out)
	}
	imgcdnOrigins(t, a, "wrong-secret-for-B", "add", "--domain", wrongDomain, "--endpoint", b.endpoint(), "--bucket", bucket,
		"--path-style", "--access-key", bEdgeAK)
	list := imgcdnOrigins(t, a, "", "list")
	if !strings.Contains(list, domain) || !strings.Contains(list, bEdgeAK) || !strings.Contains(list, "path-style") || strings.Contains(list, bEdgeSK) {
		t.Errorf("imgcdn origins list:\n%s\nwant both domains and the access key, never the secret", list)
	}

	// A: an OAC and three distributions: B's endpoint with the OAC, without it, and with
	// the wrong secret.
	acli := newCLI(t, a.endpoint(), cliOpts{})
	var oac struct {
		OriginAccessControl struct {
			ID string `json:"Id"`
		}
	}
	acli.json(t, &oac, "cloudfront", "create-origin-access-control", "--origin-access-control-config",
		"Name=remote-b,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3")
	withOAC := createRemoteDistribution(t, acli, "with-oac", domain, oac.OriginAccessControl.ID)
	withoutOAC := createRemoteDistribution(t, acli, "without-oac", domain, "")
	wrongKey := createRemoteDistribution(t, acli, "wrong-secret", wrongDomain, oac.OriginAccessControl.ID)

	// B: only CloudFront fetching for A's first distribution may read.
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},
"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*","Condition":{"StringEquals":{"AWS:SourceArn":"` + withOAC.ARN + `"}}}]}`
	if _, err := bs3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)}); err != nil {
		t.Fatalf("PutBucketPolicy on B: %v", err)
	}
	for _, d := range []cfDistribution{withOAC, withoutOAC, wrongKey} {
		waitDeployed(t, acli, d.ID)
	}

	_, httpPort, _ := strings.Cut(a.httpAddr, ":")
	viewer := func(d cfDistribution, path string) (*http.Response, []byte) {
		t.Helper()
		return curl(t, "http://"+d.DomainName+":"+httpPort+path)
	}
	first, body := viewer(withOAC, "/images/cat.png")
	if first.StatusCode != http.StatusOK || !bytes.Equal(body, img) || first.Header.Get("X-Cache") != "Miss from cloudfront" {
		t.Fatalf("first GET through A's edge: %s x-cache %q, %d bytes (want 200 Miss with B's %d bytes): %s",
			first.Status, first.Header.Get("X-Cache"), len(body), len(img), truncate(body))
	}
	if first.Header.Get("ETag") != quotedMD5(img) {
		t.Errorf("first GET: etag %q, want B's %s", first.Header.Get("ETag"), quotedMD5(img))
	}
	second, body := viewer(withOAC, "/images/cat.png")
	if second.StatusCode != http.StatusOK || !bytes.Equal(body, img) || second.Header.Get("X-Cache") != "Hit from cloudfront" {
		t.Errorf("second GET: %s x-cache %q, want 200 Hit with the same bytes", second.Status, second.Header.Get("X-Cache"))
	}

	// B's own checks still decide: a fetch that is not for the distribution B's policy names
	// (no OAC: the bare CloudFront principal), or that is signed with a wrong secret, gets
	// B's 403, which A's edge passes on as CloudFront does.
	for _, c := range []struct {
		what string
		d    cfDistribution
	}{{"the same endpoint without the OAC", withoutOAC}, {"a wrong secret for B's key", wrongKey}} {
		resp, body := viewer(c.d, "/images/dog.png")
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-Cache") != "Error from cloudfront" {
			t.Errorf("%s: %s x-cache %q %s, want 403 Error from cloudfront", c.what, resp.Status, resp.Header.Get("X-Cache"), truncate(body))
		}
	}
	// B really refuses strangers: an anonymous read of the object is denied.
	if direct, _ := curl(t, "-I", b.endpoint()+"/"+bucket+"/images/cat.png"); direct.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous GET on B: %d, want 403", direct.StatusCode)
	}

	// The secret lives only in A's control plane: not in the distribution config.
	cfg := acli.ok(t, "cloudfront", "get-distribution-config", "--id", withOAC.ID)
	if strings.Contains(cfg, bEdgeSK) || !strings.Contains(cfg, domain) {
		t.Errorf("get-distribution-config of a distribution on a registered endpoint:\n%s", cfg)
	}
	// An endpoint in use cannot be deleted; an unknown one is reported as such.
	if out, err := runOrigins(t, a, "", "delete", "--domain", domain); err == nil || !strings.Contains(out, "OriginEndpointInUse") {
		t.Errorf("imgcdn origins delete of an endpoint in use: %v\n%s", err, out)
	}
	if out, err := runOrigins(t, a, "", "delete", "--domain", "nothing.example"); err == nil || !strings.Contains(out, "NoSuchOriginEndpoint") {
		t.Errorf("imgcdn origins delete of an unknown domain: %v\n%s", err, out)
	}
}

// createRemoteDistribution creates, on the server cli talks to, an allow-all distribution
// whose one S3 origin is originDomain, with the OAC oacID ("" for none).
func createRemoteDistribution(t *testing.T, cli *awsCLI, ref, originDomain, oacID string) cfDistribution {
	t.Helper()
	cfg := `{"CallerReference": "` + ref + `",
	  "Origins": {"Quantity": 1, "Items": [{"Id": "b", "DomainName": "` + originDomain + `",
	    "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": "` + oacID + `"}]},
	  "DefaultCacheBehavior": {"TargetOriginId": "b", "ViewerProtocolPolicy": "allow-all",
	    "ForwardedValues": {"QueryString": false, "Cookies": {"Forward": "none"}}, "MinTTL": 0},
	  "Comment": "", "Enabled": true}`
	var created struct{ Distribution cfDistribution }
	cli.json(t, &created, "cloudfront", "create-distribution", "--distribution-config", cfg)
	if created.Distribution.ARN == "" || created.Distribution.DomainName == "" {
		t.Fatalf("create-distribution %s: %+v", ref, created.Distribution)
	}
	return created.Distribution
}

// imgcdnOrigins runs `imgcdn origins ARGS` against srv and fails the test if it fails.
func imgcdnOrigins(t *testing.T, srv *server, secret string, args ...string) string {
	t.Helper()
	out, err := runOrigins(t, srv, secret, args...)
	if err != nil {
		t.Fatalf("imgcdn origins %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// runOrigins runs `imgcdn origins ARGS --api <srv> --data <srv's data>` with the test root
// keys in the environment and secret as IMGCDN_ORIGIN_SECRET_KEY.
func runOrigins(t *testing.T, srv *server, secret string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, pkg.bin, append([]string{"origins"}, args...)...)
	cmd.Args = append(cmd.Args, "--api", srv.endpoint(), "--data", srv.data)
	cmd.Env = serverEnv([]string{"IMGCDN_ORIGIN_SECRET_KEY=" + secret})
	out, err := cmd.CombinedOutput()
	return string(out), err
}
