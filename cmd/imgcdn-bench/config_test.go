package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"4KiB", 4 << 10, true},
		{"32KiB", 32 << 10, true},
		{"1MiB", 1 << 20, true},
		{"1GiB", 1 << 30, true},
		{"16 MiB", 16 << 20, true},
		{"1000", 1000, true},
		{"1000B", 1000, true},
		{"2MB", 2e6, true},
		{"0", 0, true},
		{"", 0, false},
		{"-1KiB", 0, false},
		{"1.5MiB", 0, false},
		{"4kib", 0, false},
		{"99999999999GiB", 0, false},
	}
	for _, c := range cases {
		got, err := parseSize(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{4 << 10: "4KiB", 1 << 20: "1MiB", 1 << 30: "1GiB", 1536: "1536B", 0: "0B", 3 << 20: "3MiB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseFlagsDefaults(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AK")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "SK")
	c, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKey != "AK" || c.SecretKey != "SK" {
		t.Errorf("credentials not taken from the environment: %q %q", c.AccessKey, c.SecretKey)
	}
	if !slices.Equal(c.Sizes, []int64{4 << 10, 32 << 10, 1 << 20}) || !slices.Equal(c.Concurrency, []int{16, 64}) {
		t.Errorf("sizes %v concurrency %v", c.Sizes, c.Concurrency)
	}
	if c.Duration != 10*time.Second || c.ListKeys != 100000 || c.Big != 1<<30 {
		t.Errorf("duration %v list-keys %d big %d", c.Duration, c.ListKeys, c.Big)
	}
	if c.Payload != payloadSigned || c.Checksum != checksumWhenSupported {
		t.Errorf("imgcdn mode = %s/%s, want the SDK defaults", c.Payload, c.Checksum)
	}
	if !slices.Equal(c.SSESizes, []int64{32 << 10, 1 << 20}) || !slices.Equal(c.SSEConcurrency, []int{16}) || !c.ListRaw || c.GOGC != 400 {
		t.Errorf("sse %v x %v, list-raw %v, gogc %d", c.SSESizes, c.SSEConcurrency, c.ListRaw, c.GOGC)
	}
	if !strings.Contains(modeDescription(c), "generator GOGC=400") {
		t.Errorf("mode %q does not state the generator's GOGC", modeDescription(c))
	}
}

func TestParseFlagsLabelAndQuick(t *testing.T) {
	c, err := parseFlags([]string{"--access-key", "a", "--secret-key", "s", "--label", "gofsync", "--quick", "--list-keys", "7"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Payload != payloadUnsigned || c.Checksum != checksumWhenRequired {
		t.Errorf("gofsync mode = %s/%s, want unsigned/when_required", c.Payload, c.Checksum)
	}
	if c.Duration != time.Second || !slices.Equal(c.Concurrency, []int{16}) || c.Big != 64<<20 || c.ListPasses != 1 {
		t.Errorf("quick settings not applied: %+v", c)
	}
	if c.ListKeys != 7 {
		t.Errorf("explicit --list-keys lost to --quick: %d", c.ListKeys)
	}
	if c.SSESizes != nil {
		t.Errorf("gofsync gets SSE-S3 cells %v; it has no bucket encryption", c.SSESizes)
	}

	c, err = parseFlags([]string{"--access-key", "a", "--secret-key", "s", "--label", "gofsync", "--payload", "signed"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Payload != payloadSigned {
		t.Errorf("explicit --payload lost to the label default: %s", c.Payload)
	}
}

func TestParseFlagsErrors(t *testing.T) {
	base := []string{"--access-key", "a", "--secret-key", "s"}
	cases := map[string][]string{
		"bad size":        {"--sizes", "4KiB,x"},
		"bad concurrency": {"--concurrency", "16,0"},
		"zero duration":   {"--duration", "0s"},
		"bad payload":     {"--payload", "streaming"},
		"bad checksum":    {"--checksum", "always"},
		"unsigned crc":    {"--payload", "unsigned", "--checksum", "when_supported"},
		"small parts":     {"--big-part-size", "1MiB"},
		"too many parts":  {"--big", "1000GiB", "--big-part-size", "5MiB"},
		"stray argument":  {"extra"},
		"negative keys":   {"--list-keys", "-1"},
		"bad sse size":    {"--sse-sizes", "0"},
		"bad sse conc":    {"--sse-concurrency", "x"},
		"tiny gogc":       {"--gogc", "5"},
	}
	for name, extra := range cases {
		if _, err := parseFlags(append(slices.Clone(base), extra...), io.Discard); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	if _, err := parseFlags(nil, io.Discard); err == nil || !strings.Contains(err.Error(), "credentials") {
		t.Errorf("missing credentials: %v", err)
	}
}
