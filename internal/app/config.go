// Package app is imgcdn's one composition root: it builds every component from its package's
// Config, wires them together, owns the listeners and shuts everything down in order.
package app

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"
)

// Config is the root configuration of one imgcdn process. Every field has a flag and an
// IMGCDN_* environment variable in cmd/imgcdn.
type Config struct {
	// DataDir holds everything imgcdn persists: the object store, identity and keys, the local
	// CA. It is created with mode 0700 when missing.
	DataDir string
	// APIAddr serves the AWS-compatible API: S3, and CloudFront's API told apart by the SigV4
	// credential scope.
	APIAddr string
	// HTTPAddr and HTTPSAddr are the edge's viewer-facing listeners.
	HTTPAddr  string
	HTTPSAddr string
	// CDNDomain is the parent domain of distribution domain names (d123....cdn.localhost).
	// Names under .localhost resolve to the loopback address in curl and browsers.
	CDNDomain string
	// Region is the default region: where a bucket created without a LocationConstraint lives.
	Region string
	// RootAccessKey and RootSecretKey set the account owner's key pair; when both are empty a
	// pair is generated on first start and kept in DataDir.
	RootAccessKey string
	RootSecretKey string
	// MasterKeyFile is the SSE-S3 master key (32 bytes, mode 0600) that wraps every object's
	// data key. Empty means <DataDir>/master.key, created on first start. Keep a copy apart
	// from the data: without it encrypted objects cannot be read.
	MasterKeyFile string
	// MasterKey, base64 (IMGCDN_MASTER_KEY), is the master key itself and wins over the file;
	// for deployments that keep secrets in the environment.
	MasterKey string
	// Edge configures the embedded edge (cache sizes, node name, POP).
	Edge EdgeConfig
	// ShutdownTimeout bounds how long in-flight requests may take to drain on SIGINT/SIGTERM.
	ShutdownTimeout time.Duration
	// Logger receives operational logs; nil means text logs on stderr.
	Logger *slog.Logger
	// Out receives the start-up banner (endpoints, credentials hint); nil means stdout.
	Out io.Writer
}

// NewDefaultConfig returns the defaults documented in the README.
func NewDefaultConfig() Config {
	return Config{
		DataDir:         "./data",
		APIAddr:         "127.0.0.1:9000",
		HTTPAddr:        "127.0.0.1:8080",
		HTTPSAddr:       "127.0.0.1:8443",
		CDNDomain:       "cdn.localhost",
		Region:          "us-east-1",
		Edge:            defaultEdgeConfig(),
		ShutdownTimeout: 30 * time.Second,
	}
}

// Validate reports every problem at once, each with what to change.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data must name a directory"))
	}
	for name, addr := range map[string]string{"--api": c.APIAddr, "--http": c.HTTPAddr, "--https": c.HTTPSAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: want host:port (e.g. 127.0.0.1:9000): %v", name, addr, err))
		}
	}
	if c.CDNDomain == "" || strings.ContainsAny(c.CDNDomain, "/: ") {
		errs = append(errs, fmt.Errorf("--cdn-domain %q: want a DNS name such as cdn.localhost", c.CDNDomain))
	}
	if !validRegion(c.Region) {
		errs = append(errs, fmt.Errorf("--region %q: want an AWS-style region name such as us-east-1", c.Region))
	}
	if (c.RootAccessKey == "") != (c.RootSecretKey == "") {
		errs = append(errs, errors.New("set both IMGCDN_ROOT_ACCESS_KEY and IMGCDN_ROOT_SECRET_KEY, or neither"))
	}
	if err := validEdgeServer(c.Edge.Server); err != nil {
		errs = append(errs, err)
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("shutdown timeout must be positive"))
	}
	return errors.Join(errs...)
}

// validRegion accepts names shaped like AWS regions (lower-case letters, digits and dashes).
func validRegion(r string) bool {
	if r == "" || len(r) > 32 {
		return false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func (c *Config) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

func (c *Config) out() io.Writer {
	if c.Out != nil {
		return c.Out
	}
	return os.Stdout
}
