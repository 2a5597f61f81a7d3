package app

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeHealthAndShutdown starts the whole process on free ports and checks the contract
// other tools rely on: /healthz is 200 on every listener (HTTPS with the local CA), the banner
// names the endpoint and credentials, and cancelling drains and returns cleanly.
func TestServeHealthAndShutdown(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.APIAddr, cfg.HTTPAddr, cfg.HTTPSAddr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	var banner bytes.Buffer
	cfg.Out = &banner
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: a.ca.Pool(), ServerName: "localhost"},
	}}
	for _, u := range []string{
		"http://" + a.Addr("api") + "/healthz",
		"http://" + a.Addr("http") + "/healthz",
		"https://" + a.Addr("https") + "/healthz",
	} {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
			t.Errorf("%s: %d %q", u, resp.StatusCode, body)
		}
	}
	// An unsigned S3 request is refused, not served.
	resp, err := client.Get("http://" + a.Addr("api") + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous ListBuckets: %d, want 403", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v after shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	out := banner.String()
	for _, want := range []string{"http://" + a.Addr("api"), "export AWS_ACCESS_KEY_ID=AKIA", "export AWS_SECRET_ACCESS_KEY=", "aws --endpoint-url"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.DataDir, cfg.APIAddr, cfg.CDNDomain, cfg.Region = "", "nope", "a/b", "US EAST"
	cfg.RootAccessKey = "only-half"
	err := cfg.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"--data", "--api", "--cdn-domain", "--region", "IMGCDN_ROOT_SECRET_KEY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

// TestPortInUseIsAnError checks that a failed start reports the conflict and releases what it
// had opened (the store), instead of crashing in its cleanup.
func TestPortInUseIsAnError(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg := NewDefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.APIAddr, cfg.HTTPAddr, cfg.HTTPSAddr = "127.0.0.1:0", busy.Addr().String(), "127.0.0.1:0"
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "--http") {
		t.Fatalf("New with a busy --http port: %v", err)
	}
	// The store was closed: a second start on the same data dir succeeds.
	cfg.HTTPAddr = "127.0.0.1:0"
	a, err := New(cfg)
	if err != nil {
		t.Fatalf("restart after failed start: %v", err)
	}
	a.Close()
}
