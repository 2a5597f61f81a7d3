package main

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	for _, tc := range []struct {
		line string
		want time.Duration
		ok   bool
	}{
		// proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
		// cmajflt utime stime ...
		{"1234 (imgcdn) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 100 0 0", 3 * time.Second, true},
		{"7 (a) b (c) R 1 1 1 0 -1 0 0 0 0 0 1 2 0 0", 30 * time.Millisecond, true},
		{"7 (x) R 1 1", 0, false},
		{"7 x R", 0, false},
		{"7 (x) R 1 1 1 0 -1 0 0 0 0 0 -1 2", 0, false},
	} {
		got, err := parseStatCPU(tc.line)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseStatCPU(%q) = %v, %v; want %v, ok %v", tc.line, got, err, tc.want, tc.ok)
		}
	}
	// The real file of this process parses, and CPU time only grows.
	a, err := processCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if b, err := processCPU(os.Getpid()); err != nil || b < a {
		t.Errorf("processCPU went from %v to %v (%v)", a, b, err)
	}
	if selfCPU() <= 0 {
		t.Error("selfCPU is zero")
	}
}

func TestPerOp(t *testing.T) {
	v := 25.0
	for _, tc := range []struct {
		ms   *float64
		n    uint64
		want string
	}{{&v, 1000, "25"}, {nil, 1000, "n/a"}, {&v, 0, "n/a"}} {
		if got := perOp(tc.ms, tc.n); got != tc.want {
			t.Errorf("perOp(%v, %d) = %q, want %q", tc.ms, tc.n, got, tc.want)
		}
	}
	if got := perPage(&v, 10); got != "2.50" {
		t.Errorf("perPage = %q", got)
	}
}

func TestParseRawPage(t *testing.T) {
	for _, tc := range []struct {
		body string
		want rawPage
		ok   bool
	}{
		{`<?xml version="1.0"?><ListBucketResult xmlns="x"><IsTruncated>true</IsTruncated><Contents><Key>a</Key></Contents><Contents><Key>b&amp;c</Key></Contents><NextContinuationToken>b&amp;c</NextContinuationToken></ListBucketResult>`,
			rawPage{keys: 2, truncated: true, next: "b&c"}, true},
		{`<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a</Key></Contents></ListBucketResult>`,
			rawPage{keys: 1}, true},
		{`<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>`, rawPage{truncated: true}, false},
		{`<Error><Code>AccessDenied</Code></Error>`, rawPage{}, false},
	} {
		got, err := parseRawPage([]byte(tc.body))
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("parseRawPage(%.60q) = %+v, %v; want %+v, ok %v", tc.body, got, err, tc.want, tc.ok)
		}
	}
}

// TestRawListerSigns walks the fake S3 with the raw lister and checks it reads every page and
// sends SigV4 headers.
func TestRawListerSigns(t *testing.T) {
	fake := newFakeS3()
	for i := range 2345 {
		fake.objects["b/"+listKey(i)] = 1
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	l := newRawLister(Config{Endpoint: srv.URL + "/", AccessKey: "AK", SecretKey: "s"}, 2)
	var h histogram
	var w ListWalk
	n, err := l.walk(context.Background(), "b", &h, &w)
	if err != nil || n != 2345 || w.Pages != 3 || w.KeysListed != 2345 {
		t.Fatalf("walk: %d keys, %+v, %v", n, w, err)
	}
	req := fake.lastAuth
	if !strings.HasPrefix(req, "AWS4-HMAC-SHA256 Credential=AK/") || !strings.Contains(req, "x-amz-content-sha256") {
		t.Errorf("Authorization %q", req)
	}
}

// TestSSECellNeedsEncryption: a server that accepts PUTs into an SSE-S3 bucket without saying
// it encrypted them gets errors, not a rate.
func TestSSECellNeedsEncryption(t *testing.T) {
	fake := newFakeS3() // no PutBucketEncryption was made, so no AES256 header comes back
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg := Config{Endpoint: srv.URL, AccessKey: "a", SecretKey: "s", Payload: payloadSigned, Checksum: checksumWhenSupported}
	cell := &loadCell{cli: newClient(cfg, 2), bucket: "b", prefix: "p", size: 100, conc: 1,
		duration: 20 * time.Millisecond, pattern: newPattern(), encrypted: true}
	put, _ := cell.run(context.Background())
	if put.Ops != 0 || put.Errors == 0 || !strings.Contains(put.FirstError, "want AES256") {
		t.Errorf("%+v", put)
	}
}
