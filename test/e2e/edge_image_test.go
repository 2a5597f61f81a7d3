package e2e

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// imageOptimizerConfig is the --distribution-config of the one `aws cloudfront
// update-distribution --id <id> --if-match <ETag of get-distribution-config>` that turns image
// optimization on for the seed's distribution (README): the seed's step 6.2 configuration with
// the built-in imgcdn-image-optimizer function associated with the default behaviour for
// viewer requests. ACCOUNT (the account in the distribution's ARN) and the seed's OAI id
// ERTF9F3HTHDQ are the placeholders.
const imageOptimizerConfig = `{
      "CallerReference": "aws-cli-example-caller-2025",
      "Aliases": { "Quantity": 0, "Items": [] },
      "DefaultRootObject": "",
      "Origins": { "Quantity": 1, "Items": [{
          "Id": "S3-image-bucket-2025",
          "DomainName": "image-bucket-2025.s3.amazonaws.com",
          "OriginPath": "",
          "CustomHeaders": { "Quantity": 0 },
          "S3OriginConfig": { "OriginAccessIdentity": "origin-access-identity/cloudfront/ERTF9F3HTHDQ" } }] },
      "DefaultCacheBehavior": {
        "TargetOriginId": "S3-image-bucket-2025",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": { "Quantity": 2, "Items": ["GET", "HEAD"],
                            "CachedMethods": { "Quantity": 2, "Items": ["GET", "HEAD"] } },
        "TrustedSigners": { "Enabled": false, "Quantity": 0 },
        "ForwardedValues": { "QueryString": false, "Cookies": { "Forward": "none" },
                             "Headers": { "Quantity": 0 }, "QueryStringCacheKeys": { "Quantity": 0 } },
        "FunctionAssociations": { "Quantity": 1, "Items": [{ "EventType": "viewer-request",
            "FunctionARN": "arn:aws:cloudfront::ACCOUNT:function/imgcdn-image-optimizer" }] },
        "MinTTL": 0, "DefaultTTL": 86400, "MaxTTL": 31536000, "Compress": true },
      "Comment": "CloudFront distribution for image hosting",
      "Enabled": true,
      "PriceClass": "PriceClass_100",
      "ViewerCertificate": { "CloudFrontDefaultCertificate": true },
      "Restrictions": { "GeoRestriction": { "RestrictionType": "none", "Quantity": 0 } } }`

// TestEdgeImageOptimization runs the seed's recipe, then turns image optimization on with the
// one update-distribution above and checks, with the real aws CLI and curl over HTTPS: exact
// output sizes per fit mode, the format by magic bytes per Accept, Miss then Hit, variants
// gone after invalidating /images/*, 400 naming a bad option, 4xx for a bomb and a corrupt
// file, and the server healthy after them.
func TestEdgeImageOptimization(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	cli.ok(t, "s3api", "create-bucket", "--bucket", "image-bucket-2025", "--region", "us-east-1")
	cli.ok(t, "s3api", "put-bucket-versioning", "--bucket", "image-bucket-2025", "--versioning-configuration", "Status=Enabled")
	cli.ok(t, "s3api", "put-bucket-encryption", "--bucket", "image-bucket-2025", "--server-side-encryption-configuration", seedEncryption)
	cli.ok(t, "s3api", "put-public-access-block", "--bucket", "image-bucket-2025", "--public-access-block-configuration", seedBPA)
	dir := t.TempDir()
	photo := gradientJPEG(t, 400, 300)
	files := map[string][]byte{
		"photo.jpg":   photo,
		"logo.png":    alphaPNG(t, 120, 80),
		"corrupt.jpg": photo[:len(photo)/2],
		"bomb.png":    declaredPNG(60000, 60000),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cli.ok(t, "s3", "sync", dir, "s3://image-bucket-2025/images")
	var oai struct {
		OAI cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &oai, "cloudfront", "create-cloud-front-origin-access-identity", "--cloud-front-origin-access-identity-config", seedOAIConfig)
	var created struct{ Distribution cfDistribution }
	cli.json(t, &created, "cloudfront", "create-distribution", "--distribution-config",
		strings.Replace(seedDistributionConfig, "ERTF9F3HTHDQ", oai.OAI.ID, 1))
	cli.ok(t, "s3api", "put-bucket-policy", "--bucket", "image-bucket-2025", "--policy", strings.Replace(seedPolicy, seedOAI, oai.OAI.ID, 1))
	id, domain := created.Distribution.ID, created.Distribution.DomainName
	waitDeployed(t, cli, id)

	ca := filepath.Join(srv.data, "ca", "ca.pem")
	_, httpsPort, _ := strings.Cut(srv.https, ":")
	base := "https://" + domain + ":" + httpsPort
	get := func(path string, headers ...string) (int, string, map[string]string, []byte) {
		t.Helper()
		args := []string{"--cacert", ca}
		for _, h := range headers {
			args = append(args, "-H", h)
		}
		resp, body := curl(t, append(args, base+path)...)
		h := map[string]string{}
		for k := range resp.Header {
			h[k] = resp.Header.Get(k)
		}
		return resp.StatusCode, resp.Header.Get("X-Cache"), h, body
	}

	// Off: the transform URL is an ordinary (missing) path.
	if status, _, _, body := get("/cdn-cgi/image/width=100/images/photo.jpg"); status == 200 || isImage(body) {
		t.Fatalf("before the update: %d, %d bytes", status, len(body))
	}

	// The one update-distribution.
	etag := strings.TrimSpace(cli.ok(t, "cloudfront", "get-distribution-config", "--id", id, "--query", "ETag", "--output", "text"))
	account := regexp.MustCompile(`^arn:aws:cloudfront::(\d{12}):distribution/`).FindStringSubmatch(created.Distribution.ARN)
	if account == nil {
		t.Fatalf("distribution ARN %q", created.Distribution.ARN)
	}
	config := strings.NewReplacer("ERTF9F3HTHDQ", oai.OAI.ID, "ACCOUNT", account[1]).Replace(imageOptimizerConfig)
	cli.ok(t, "cloudfront", "update-distribution", "--id", id, "--if-match", etag, "--distribution-config", config)
	waitDeployed(t, cli, id)

	for _, tt := range []struct {
		options string
		w, h    int
	}{
		{"width=200,height=200,fit=scale-down", 200, 150},
		{"width=200,height=200,fit=contain", 200, 150},
		{"width=200,height=200,fit=cover", 200, 200},
		{"width=200,height=200,fit=crop", 200, 200},
		{"width=200,height=200,fit=pad", 200, 200},
		{"width=800,height=800,fit=scale-down", 400, 300},
		{"width=800,height=800,fit=crop", 400, 300},
		{"width=100,dpr=2", 200, 150},
	} {
		status, _, h, body := get("/cdn-cgi/image/" + tt.options + ",format=png/images/photo.jpg")
		cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
		if status != 200 || err != nil || format != "png" || cfg.Width != tt.w || cfg.Height != tt.h || h["Content-Type"] != "image/png" {
			t.Errorf("%s: %d %s, %dx%d %s (%v); want %dx%d png", tt.options, status, h["Content-Type"], cfg.Width, cfg.Height, format, err, tt.w, tt.h)
		}
	}

	for _, tt := range []struct{ src, accept, magic string }{
		{"photo.jpg", "Accept: image/avif,image/webp,*/*", "avif"},
		{"photo.jpg", "Accept: image/webp,*/*", "webp"},
		{"photo.jpg", "Accept: */*", "jpeg"},
		{"logo.png", "Accept: text/html,*/*", "png"},
	} {
		status, _, h, body := get("/cdn-cgi/image/width=64,format=auto/images/"+tt.src, tt.accept)
		if status != 200 || magicOf(body) != tt.magic || h["Vary"] != "Accept" {
			t.Errorf("%s with %s: %d, %s by magic, Vary %q; want %s", tt.src, tt.accept, status, magicOf(body), h["Vary"], tt.magic)
		}
	}

	variant := "/cdn-cgi/image/width=120,format=webp/images/photo.jpg"
	_, first, h1, b1 := get(variant)
	_, second, h2, b2 := get(variant)
	if first != "Miss from cloudfront" || second != "Hit from cloudfront" || !bytes.Equal(b1, b2) || h1["Etag"] != h2["Etag"] || magicOf(b2) != "webp" {
		t.Errorf("twice: %q then %q, same bytes %v, ETags %q %q", first, second, bytes.Equal(b1, b2), h1["Etag"], h2["Etag"])
	}

	var inv struct {
		Invalidation struct {
			ID string `json:"Id"`
		}
	}
	cli.json(t, &inv, "cloudfront", "create-invalidation", "--distribution-id", id, "--paths", "/images/*")
	waitInvalidated(t, cli, id, inv.Invalidation.ID)
	if _, x, _, body := get(variant); x != "Miss from cloudfront" || !bytes.Equal(body, b1) {
		t.Errorf("after invalidating /images/*: %q, same bytes %v", x, bytes.Equal(body, b1))
	}

	for _, tt := range []struct{ options, says string }{
		{"width=abc", `transform option "width"="abc"`},
		{"fit=stretch", `transform option "fit"="stretch"`},
		{"colour=red", `transform option "colour"`},
	} {
		status, x, _, body := get("/cdn-cgi/image/" + tt.options + "/images/photo.jpg")
		if status != 400 || x != "Error from cloudfront" || !strings.Contains(html.UnescapeString(string(body)), tt.says) {
			t.Errorf("%s: %d %q, body lacks %q:\n%s", tt.options, status, x, tt.says, body)
		}
	}
	for _, tt := range []struct {
		src    string
		status int
	}{{"bomb.png", 413}, {"corrupt.jpg", 422}} {
		if status, _, _, body := get("/cdn-cgi/image/width=50/images/" + tt.src); status != tt.status {
			t.Errorf("%s: %d, want %d\n%s", tt.src, status, tt.status, body)
		}
	}
	_, httpPort, _ := strings.Cut(srv.httpAddr, ":")
	if resp, _ := curl(t, "http://127.0.0.1:"+httpPort+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("edge /healthz after hostile inputs: %d", resp.StatusCode)
	}
	if status, _, _, body := get("/cdn-cgi/image/width=50,format=jpeg/images/logo.png"); status != 200 || magicOf(body) != "jpeg" {
		t.Errorf("a transform after hostile inputs: %d %s", status, magicOf(body))
	}
}

// gradientJPEG is an opaque w x h photo-like JPEG.
func gradientJPEG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// alphaPNG is a w x h PNG with a transparent half, so format=auto falls back to PNG.
func alphaPNG(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255)
			if x < w/2 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{200, 30, 30, a})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// declaredPNG is a decompression bomb as far as its header goes: w x h over a tiny IDAT.
func declaredPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// magicOf names an image format by its first bytes.
func magicOf(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	case len(b) >= 12 && string(b[4:8]) == "ftyp" && bytes.Contains(b[8:min(len(b), 64)], []byte("avif")):
		return "avif"
	}
	return "not an image"
}

func isImage(b []byte) bool { return magicOf(b) != "not an image" }
