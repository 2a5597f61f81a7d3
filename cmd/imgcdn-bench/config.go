package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Payload signing modes (--payload).
const (
	// payloadSigned is what aws-sdk-go-v2 does by default over plain HTTP: the SigV4
	// x-amz-content-sha256 header carries the hex SHA-256 of the body, which the client computes
	// and the server must verify. (Over HTTPS the SDK streams an aws-chunked body with a
	// trailing checksum instead; the bench talks plain HTTP to a loopback server.)
	payloadSigned = "signed"
	// payloadUnsigned sends x-amz-content-sha256: UNSIGNED-PAYLOAD.
	payloadUnsigned = "unsigned"
)

// Request checksum modes (--checksum), aws-sdk-go-v2's RequestChecksumCalculation.
const (
	// checksumWhenSupported is the SDK default: a CRC32 x-amz-checksum-crc32 header on every
	// PutObject/UploadPart, and response checksums validated on GetObject.
	checksumWhenSupported = "when_supported"
	// checksumWhenRequired sends checksums only for operations that require one (none here).
	checksumWhenRequired = "when_required"
)

// Config is one bench run. Every field is a command-line flag.
type Config struct {
	Endpoint  string
	AccessKey string
	SecretKey string
	// Label names the server under test in the report: imgcdn, minio, gofsync.
	Label string
	// Duration of each PUT and each GET phase of every size x concurrency cell.
	Duration    time.Duration
	Sizes       []int64
	Concurrency []int
	// ListKeys is the number of keys the listing bucket is filled with; 0 skips listing.
	ListKeys        int
	FillConcurrency int
	ListPasses      int
	// ListRaw also walks the listing bucket with raw signed GETs that skip XML decoding.
	ListRaw bool
	// SSESizes x SSEConcurrency are also run in a bucket with SSE-S3 default encryption.
	SSESizes       []int64
	SSEConcurrency []int
	// Big is the size of the multipart upload during which RSS is sampled; 0 skips it.
	Big            int64
	BigPartSize    int64
	BigConcurrency int
	// PID of the server, for RSS sampling from /proc/<pid>/status; 0 disables sampling.
	PID      int
	Out      string
	JSONOut  string
	Payload  string
	Checksum string
	Quick    bool
	// GOGC is the generator's own garbage-collection target (debug.SetGCPercent): the client
	// shares the CPUs with the server, and at Go's default of 100 the SDK's garbage took a
	// third of the client's CPU. It changes nothing that is sent.
	GOGC int
}

// parseFlags parses the bench flags. --quick shrinks every phase for a smoke test; flags given
// explicitly still win over it. --label gofsync defaults to UNSIGNED-PAYLOAD without checksums,
// because the bare file server neither verifies signatures nor decodes checksums.
func parseFlags(args []string, stderr io.Writer) (Config, error) {
	var c Config
	var sizes, concs, big, bigPart, sseSizes, sseConcs string
	fs := flag.NewFlagSet("imgcdn-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Endpoint, "endpoint", "http://127.0.0.1:9000", "S3 endpoint URL")
	fs.StringVar(&c.AccessKey, "access-key", os.Getenv("AWS_ACCESS_KEY_ID"), "access key (default $AWS_ACCESS_KEY_ID)")
	fs.StringVar(&c.SecretKey, "secret-key", os.Getenv("AWS_SECRET_ACCESS_KEY"), "secret key (default $AWS_SECRET_ACCESS_KEY)")
	fs.StringVar(&c.Label, "label", "imgcdn", "name of the server under test (imgcdn, minio, gofsync)")
	fs.DurationVar(&c.Duration, "duration", 10*time.Second, "duration of each PUT and GET phase per cell")
	fs.StringVar(&sizes, "sizes", "4KiB,32KiB,1MiB", "object sizes, comma-separated")
	fs.StringVar(&concs, "concurrency", "16,64", "concurrency levels, comma-separated")
	fs.IntVar(&c.ListKeys, "list-keys", 100000, "keys in the listing bucket (0 skips listing)")
	fs.IntVar(&c.FillConcurrency, "fill-concurrency", 64, "concurrency used to fill the listing bucket")
	fs.IntVar(&c.ListPasses, "list-passes", 3, "full listings of the listing bucket to time")
	fs.BoolVar(&c.ListRaw, "list-raw", true, "also time raw signed ListObjectsV2 GETs without XML decoding (the server's capacity)")
	fs.StringVar(&sseSizes, "sse-sizes", "32KiB,1MiB", "object sizes also run in an SSE-S3 (AES256 default encryption) bucket; \"\" for none (default none for --label gofsync)")
	fs.StringVar(&sseConcs, "sse-concurrency", "16", "concurrency levels of the SSE-S3 cells")
	fs.StringVar(&big, "big", "1GiB", "size of the multipart upload sampled for RSS (0 skips it)")
	fs.StringVar(&bigPart, "big-part-size", "16MiB", "part size of the big upload")
	fs.IntVar(&c.BigConcurrency, "big-concurrency", 4, "parts of the big upload in flight")
	fs.IntVar(&c.PID, "pid", 0, "server pid to sample RSS from /proc/<pid>/status (0: none)")
	fs.StringVar(&c.Out, "out", "", "write the markdown report here (e.g. bench/results/<name>.md)")
	fs.StringVar(&c.JSONOut, "json", "", "also write the results as JSON here (for imgcdn-bench compare)")
	fs.StringVar(&c.Payload, "payload", "", "payload signing: signed (SDK default over http) or unsigned (default for --label gofsync)")
	fs.StringVar(&c.Checksum, "checksum", "", "request checksums: when_supported (SDK default) or when_required (default for --label gofsync)")
	fs.IntVar(&c.GOGC, "gogc", 400, "GOGC of the generator itself (its garbage collection; nothing sent changes)")
	fs.BoolVar(&c.Quick, "quick", false, "smoke test: 1s phases, concurrency 16, 5000 list keys, 64MiB big object")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if c.Quick {
		quick := map[string]func(){
			"duration":    func() { c.Duration = time.Second },
			"concurrency": func() { concs = "16" },
			"list-keys":   func() { c.ListKeys = 5000 },
			"list-passes": func() { c.ListPasses = 1 },
			"big":         func() { big = "64MiB" },
			"sse-sizes":   func() { sseSizes = "32KiB" },
		}
		for name, apply := range quick {
			if !set[name] {
				apply()
			}
		}
	}
	if c.Payload == "" {
		c.Payload = payloadSigned
		if c.Label == "gofsync" {
			c.Payload = payloadUnsigned
		}
	}
	if c.Checksum == "" {
		c.Checksum = checksumWhenSupported
		if c.Label == "gofsync" {
			c.Checksum = checksumWhenRequired
		}
	}
	if c.Label == "gofsync" && !set["sse-sizes"] {
		sseSizes = "" // the bare file server has no bucket encryption
	}
	var err error
	if c.Sizes, err = parseSizes(sizes); err != nil {
		return Config{}, fmt.Errorf("--sizes: %w", err)
	}
	if c.Concurrency, err = parseInts(concs); err != nil {
		return Config{}, fmt.Errorf("--concurrency: %w", err)
	}
	if strings.TrimSpace(sseSizes) != "" {
		if c.SSESizes, err = parseSizes(sseSizes); err != nil {
			return Config{}, fmt.Errorf("--sse-sizes: %w", err)
		}
		if c.SSEConcurrency, err = parseInts(sseConcs); err != nil {
			return Config{}, fmt.Errorf("--sse-concurrency: %w", err)
		}
	}
	if c.Big, err = parseSize(big); err != nil {
		return Config{}, fmt.Errorf("--big: %w", err)
	}
	if c.BigPartSize, err = parseSize(bigPart); err != nil {
		return Config{}, fmt.Errorf("--big-part-size: %w", err)
	}
	return c, c.Validate()
}

// Validate reports the first inconsistent setting, with what to change.
func (c Config) Validate() error {
	switch {
	case c.Endpoint == "":
		return errors.New("--endpoint is required")
	case c.AccessKey == "" || c.SecretKey == "":
		return errors.New("credentials missing: pass --access-key/--secret-key or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
	case c.Duration <= 0:
		return errors.New("--duration must be positive")
	case c.GOGC < 25:
		return errors.New("--gogc must be at least 25")
	case c.ListKeys < 0:
		return errors.New("--list-keys must not be negative")
	case c.FillConcurrency < 1 || c.BigConcurrency < 1 || c.ListPasses < 1:
		return errors.New("--fill-concurrency, --big-concurrency and --list-passes must be at least 1")
	case c.Payload != payloadSigned && c.Payload != payloadUnsigned:
		return fmt.Errorf("--payload %q: want %s or %s", c.Payload, payloadSigned, payloadUnsigned)
	case c.Checksum != checksumWhenSupported && c.Checksum != checksumWhenRequired:
		return fmt.Errorf("--checksum %q: want %s or %s", c.Checksum, checksumWhenSupported, checksumWhenRequired)
	case c.Payload == payloadUnsigned && c.Checksum == checksumWhenSupported:
		// Over plain HTTP the SDK signs the payload's SHA-256 whenever it computes a request
		// checksum, whatever the payload middleware says, so this pair would be misreported.
		return errors.New("--payload unsigned needs --checksum when_required (aws-sdk-go-v2 signs the SHA-256 of every checksummed upload over http)")
	case c.Big > 0 && c.BigPartSize < 5<<20:
		return errors.New("--big-part-size must be at least 5MiB (S3's minimum part size)")
	case c.Big > 0 && (c.Big+c.BigPartSize-1)/c.BigPartSize > 10000:
		return errors.New("--big needs more than 10,000 parts: raise --big-part-size")
	}
	for _, s := range append(c.Sizes[:len(c.Sizes):len(c.Sizes)], c.SSESizes...) {
		if s < 1 {
			return errors.New("--sizes and --sse-sizes must all be at least 1 byte")
		}
	}
	for _, n := range append(c.Concurrency[:len(c.Concurrency):len(c.Concurrency)], c.SSEConcurrency...) {
		if n < 1 {
			return errors.New("--concurrency and --sse-concurrency levels must be at least 1")
		}
	}
	return nil
}

var units = []struct {
	suffix string
	mult   int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1},
}

// parseSize parses "4KiB", "1MiB", "1GiB", "1000B" or a bare number of bytes.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(num), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid size %q (use e.g. 4KiB, 1MiB, 1GiB)", s)
	}
	if n > 0 && mult > (1<<62)/n {
		return 0, fmt.Errorf("size %q too large", s)
	}
	return n * mult, nil
}

func parseSizes(s string) ([]int64, error) {
	var out []int64
	for f := range strings.SplitSeq(s, ",") {
		n, err := parseSize(f)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("invalid number %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// formatSize renders a byte count the way --sizes takes it.
func formatSize(n int64) string {
	for _, u := range units[:3] {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}
