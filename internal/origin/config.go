package origin

import (
	"crypto/x509"
	"errors"
	"log/slog"
	"net/url"
	"time"

	"github.com/imgcdn/imgcdn/internal/auth"
)

// Defaults of Config and Target.
const (
	// DefaultRegion is the SigV4 region of local bucket fetches when Config.Region is empty.
	DefaultRegion = "us-east-1"
	// DefaultMaxIdleConnsPerHost bounds the idle keep-alive connections kept per origin.
	DefaultMaxIdleConnsPerHost = 64
	// DefaultMaxResponseHeaderBytes bounds an origin's response header block; a larger one
	// is ErrBadResponse rather than memory the origin controls.
	DefaultMaxResponseHeaderBytes = 64 << 10
	// DefaultConnectTimeout, DefaultReadTimeout and DefaultKeepAlive are CloudFront's
	// defaults for ConnectionTimeout (10 s), OriginReadTimeout (30 s) and
	// OriginKeepaliveTimeout (5 s) (DownloadDistValuesOrigin.html).
	DefaultConnectTimeout = 10 * time.Second
	DefaultReadTimeout    = 30 * time.Second
	DefaultKeepAlive      = 5 * time.Second
	// DefaultConnectionAttempts is CloudFront's default ConnectionAttempts.
	DefaultConnectionAttempts = 3
)

// Config configures a Fetcher.
type Config struct {
	// EdgeKey is the edge key (auth.Key.Edge) that signs fetches from this installation's
	// buckets: auth.LoadOrCreateEdgeKey for the embedded edge, the --key/--secret pair for a
	// separate edge node. Without it, local buckets are fetched anonymously and targets with
	// an OAI or OAC fail with ErrInvalidTarget.
	EdgeKey auth.Key
	// Region is the SigV4 region of local bucket fetches: the control plane's region.
	// Default DefaultRegion.
	Region string
	// LocalS3 is the control plane's S3 API URL (http://127.0.0.1:9000). S3 origins named
	// <bucket>.s3.amazonaws.com or <bucket>.s3.<region>.amazonaws.com are buckets of this
	// installation and are fetched from here, path-style. nil: such origins fail with
	// ErrInvalidTarget.
	LocalS3 *url.URL
	// RootCAs verifies HTTPS origins; nil means the system pool.
	RootCAs *x509.CertPool
	// MaxIdleConnsPerHost bounds the idle keep-alive connections per origin. Default
	// DefaultMaxIdleConnsPerHost.
	MaxIdleConnsPerHost int
	// MaxResponseHeaderBytes bounds an origin's response headers. Default
	// DefaultMaxResponseHeaderBytes.
	MaxResponseHeaderBytes int64
	// Logger receives connection retries; nil discards them.
	Logger *slog.Logger
	// Now is the signing clock; nil means time.Now.
	Now func() time.Time
}

// NewDefaultConfig returns a Config with every default filled in.
func NewDefaultConfig() Config {
	return Config{Region: DefaultRegion, MaxIdleConnsPerHost: DefaultMaxIdleConnsPerHost,
		MaxResponseHeaderBytes: DefaultMaxResponseHeaderBytes}
}

func (c Config) withDefaults() Config {
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.MaxIdleConnsPerHost <= 0 {
		c.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	}
	if c.MaxResponseHeaderBytes <= 0 {
		c.MaxResponseHeaderBytes = DefaultMaxResponseHeaderBytes
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate reports a Config that cannot work.
func (c Config) Validate() error {
	if (c.EdgeKey.AccessKeyID == "") != (c.EdgeKey.SecretAccessKey == "") {
		return errors.New("origin: Config.EdgeKey needs both an access key id and a secret")
	}
	if u := c.LocalS3; u != nil && ((u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/")) {
		return errors.New("origin: Config.LocalS3 must be an http:// or https:// URL with a host and no path")
	}
	return nil
}
