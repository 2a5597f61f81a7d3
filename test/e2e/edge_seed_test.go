package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEdgeSeedEndToEnd runs the seed's steps 1 to 9 as written, with the real aws CLI and
// curl against fresh ports, and then the invalidation follow-up.
func TestEdgeSeedEndToEnd(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cli := newCLI(t, srv.endpoint(), cliOpts{})

	// Steps 1 to 4.
	cli.ok(t, "s3api", "create-bucket", "--bucket", "image-bucket-2025", "--region", "us-east-1")
	cli.ok(t, "s3api", "create-bucket", "--bucket", "image-bucket-west-2025", "--region", "us-west-2",
		"--create-bucket-configuration", "LocationConstraint=us-west-2")
	cli.ok(t, "s3api", "put-bucket-versioning", "--bucket", "image-bucket-2025", "--versioning-configuration", "Status=Enabled")
	cli.ok(t, "s3api", "put-bucket-encryption", "--bucket", "image-bucket-2025", "--server-side-encryption-configuration", seedEncryption)
	cli.ok(t, "s3api", "put-public-access-block", "--bucket", "image-bucket-2025", "--public-access-block-configuration", seedBPA)

	// Step 5.
	dir := t.TempDir()
	file := filepath.Join(dir, "word-embedding-apple.png")
	img := seedPNG(t, 1)
	if err := os.WriteFile(file, img, 0o644); err != nil {
		t.Fatal(err)
	}
	out := cli.ok(t, "s3", "sync", dir, "s3://image-bucket-2025/images")
	if !strings.Contains(out, "upload: ") || !strings.Contains(out, "s3://image-bucket-2025/images/word-embedding-apple.png") {
		t.Fatalf("s3 sync printed %q", out)
	}

	// Steps 6.1, 6.2, 7 and 8.
	var oai struct {
		OAI cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &oai, "cloudfront", "create-cloud-front-origin-access-identity",
		"--cloud-front-origin-access-identity-config", seedOAIConfig)
	var created struct{ Distribution cfDistribution }
	cli.json(t, &created, "cloudfront", "create-distribution", "--distribution-config",
		strings.Replace(seedDistributionConfig, "ERTF9F3HTHDQ", oai.OAI.ID, 1))
	cli.ok(t, "s3api", "put-bucket-policy", "--bucket", "image-bucket-2025", "--policy",
		strings.Replace(seedPolicy, seedOAI, oai.OAI.ID, 1))
	table := cli.ok(t, "cloudfront", "list-distributions", "--query",
		"DistributionList.Items[].{Id:Id, DomainName:DomainName}", "--output", "table")
	domain := regexp.MustCompile(`d[a-z0-9]{13}\.cdn\.localhost`).FindString(table)
	if domain == "" || !strings.Contains(table, created.Distribution.ID) {
		t.Fatalf("list-distributions table:\n%s", table)
	}
	waitDeployed(t, cli, created.Distribution.ID)

	// Step 9: curl -I twice.
	ca := filepath.Join(srv.data, "ca", "ca.pem")
	_, httpsPort, _ := strings.Cut(srv.https, ":")
	_, httpPort, _ := strings.Cut(srv.httpAddr, ":")
	url := "https://" + domain + ":" + httpsPort + "/images/word-embedding-apple.png"
	first, _ := curl(t, "-I", "--cacert", ca, url)
	wantSeedHeaders(t, "first", first, img, "Miss")
	if first.Header.Get("Age") != "" {
		t.Errorf("a miss carries age %q", first.Header.Get("Age"))
	}
	time.Sleep(1100 * time.Millisecond)
	second, _ := curl(t, "-I", "--cacert", ca, url)
	wantSeedHeaders(t, "second", second, img, "Hit")
	if age, err := strconv.Atoi(second.Header.Get("Age")); err != nil || age < 1 {
		t.Errorf("second answer age %q, want >= 1", second.Header.Get("Age"))
	}
	if first.Header.Get("X-Amz-Cf-Id") == second.Header.Get("X-Amz-Cf-Id") {
		t.Errorf("x-amz-cf-id repeated: %q", first.Header.Get("X-Amz-Cf-Id"))
	}
	resp, body := curl(t, "--cacert", ca, url)
	if resp.StatusCode != 200 || !bytes.Equal(body, img) || resp.Header.Get("X-Cache") != "Hit from cloudfront" {
		t.Fatalf("GET: %d x-cache %q, %d bytes (want %d identical)", resp.StatusCode, resp.Header.Get("X-Cache"), len(body), len(img))
	}
	if v, err := exec.Command("curl", "-sS", "-o", "/dev/null", "-w", "%{http_version}", "--cacert", ca, url).Output(); err != nil || string(v) != "2" {
		t.Errorf("HTTPS viewers should get HTTP/2: curl says %q (%v)", v, err)
	}

	// http:// redirects to the HTTPS listener.
	plain := "http://" + domain + ":" + httpPort + "/images/word-embedding-apple.png"
	redirect, _ := curl(t, "-I", plain)
	if redirect.StatusCode != http.StatusMovedPermanently || redirect.Header.Get("Location") != url {
		t.Errorf("http://: %d Location %q, want 301 to %q", redirect.StatusCode, redirect.Header.Get("Location"), url)
	}

	// The origin refuses anonymous readers: only the OAI may read.
	direct, _ := curl(t, "-I", srv.endpoint()+"/image-bucket-2025/images/word-embedding-apple.png")
	if direct.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous GET on the origin: %d, want 403", direct.StatusCode)
	}

	// A new upload plus an invalidation: the next request is a Miss with the new bytes.
	img2 := seedPNG(t, 2)
	if err := os.WriteFile(file, img2, 0o644); err != nil {
		t.Fatal(err)
	}
	cli.ok(t, "s3", "cp", file, "s3://image-bucket-2025/images/word-embedding-apple.png")
	var inv struct {
		Invalidation struct {
			ID string `json:"Id"`
		}
	}
	cli.json(t, &inv, "cloudfront", "create-invalidation", "--distribution-id", created.Distribution.ID, "--paths", "/images/*")
	waitInvalidated(t, cli, created.Distribution.ID, inv.Invalidation.ID)
	resp, body = curl(t, "--cacert", ca, url)
	if resp.StatusCode != 200 || !bytes.Equal(body, img2) || resp.Header.Get("X-Cache") != "Miss from cloudfront" {
		t.Fatalf("after invalidation: %d x-cache %q, new bytes %v", resp.StatusCode, resp.Header.Get("X-Cache"), bytes.Equal(body, img2))
	}
}

// wantSeedHeaders checks an answer against the seed's step 9 output.
func wantSeedHeaders(t *testing.T, what string, resp *http.Response, img []byte, xcache string) {
	t.Helper()
	h := resp.Header
	checks := []struct{ name, got, want string }{
		{"status", resp.Status, "200 OK"},
		{"content-type", h.Get("Content-Type"), "image/png"},
		{"content-length", h.Get("Content-Length"), strconv.Itoa(len(img))},
		{"etag", h.Get("ETag"), quotedMD5(img)},
		{"x-amz-server-side-encryption", h.Get("X-Amz-Server-Side-Encryption"), "AES256"},
		{"accept-ranges", h.Get("Accept-Ranges"), "bytes"},
		{"x-cache", h.Get("X-Cache"), xcache + " from cloudfront"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s answer: %s = %q, want %q", what, c.name, c.got, c.want)
		}
	}
	for _, name := range []string{"Last-Modified", "X-Amz-Version-Id", "Server"} {
		if h.Get(name) == "" {
			t.Errorf("%s answer: no %s", what, name)
		}
	}
	if !regexp.MustCompile(`^1\.1 [0-9a-f]{32}\.cdn\.localhost \(imgcdn\)$`).MatchString(h.Get("Via")) {
		t.Errorf("%s answer: via %q", what, h.Get("Via"))
	}
	if h.Get("X-Amz-Cf-Pop") == "" || len(h.Get("X-Amz-Cf-Id")) != 56 {
		t.Errorf("%s answer: x-amz-cf-pop %q x-amz-cf-id %q", what, h.Get("X-Amz-Cf-Pop"), h.Get("X-Amz-Cf-Id"))
	}
}

// seedPNG is a real PNG image of noise (incompressible, like a photo), different per seed.
func seedPNG(t testing.TB, seed uint64) []byte {
	t.Helper()
	noise := randBytes(seed, 96*96*3)
	img := image.NewNRGBA(image.Rect(0, 0, 96, 96))
	for i := 0; i < 96*96; i++ {
		img.Set(i%96, i/96, color.NRGBA{noise[3*i], noise[3*i+1], noise[3*i+2], 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// waitDeployed polls get-distribution until the distribution is Deployed (every edge has
// loaded it), as `aws cloudfront wait distribution-deployed` does, but in well under a minute.
func waitDeployed(t testing.TB, cli *awsCLI, id string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got struct{ Distribution cfDistribution }
		cli.json(t, &got, "cloudfront", "get-distribution", "--id", id)
		if got.Distribution.Status == "Deployed" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("distribution %s still %s after 30 s", id, got.Distribution.Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitInvalidated polls get-invalidation until it is Completed on every edge.
func waitInvalidated(t testing.TB, cli *awsCLI, dist, id string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got struct{ Invalidation struct{ Status string } }
		cli.json(t, &got, "cloudfront", "get-invalidation", "--distribution-id", dist, "--id", id)
		if got.Invalidation.Status == "Completed" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("invalidation %s still %s after 30 s", id, got.Invalidation.Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
