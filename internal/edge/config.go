package edge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/origin"
)

// Fetcher makes origin requests; *origin.Fetcher is the real one.
type Fetcher interface {
	Fetch(ctx context.Context, t origin.Target, method, path, rawQuery string, h http.Header, body io.Reader) (*http.Response, error)
}

var _ Fetcher = (*origin.Fetcher)(nil)

// Config configures a Handler.
type Config struct {
	// Cache stores responses. Required.
	Cache *edgecache.Cache
	// Fetcher makes the origin requests. Required.
	Fetcher Fetcher
	// Node names this edge node; the via header carries a digest of it, as CloudFront's does.
	Node string
	// POP is the x-amz-cf-pop value, e.g. "LOC1-C1".
	POP string
	// CDNDomain is the parent of distribution domain names (d123....cdn.localhost).
	CDNDomain string
	// HTTPSPort is the port of the HTTPS listener viewers are redirected to by
	// redirect-to-https; 443 is left out of the Location.
	HTTPSPort int
	// OriginTimeout bounds a whole fill (headers and body) from an origin that keeps sending;
	// each read is bounded by the origin's own read timeout. 0 means 10 minutes.
	OriginTimeout time.Duration
	// MaxCacheableBytes is the largest response that is stored; larger ones are streamed
	// through. 0 means 30 GB (CloudFront's maximum cacheable file size).
	MaxCacheableBytes int64
	// RangeDirectFrom: a Range request starting this many bytes or more into an object that
	// is not cached yet (or still filling) is served by fetching just that range from the
	// origin, while the whole object fills in the background; nearer ranges follow the fill.
	// 0 disables it (every range waits for the fill to reach it).
	RangeDirectFrom int64
	// KeepStale is how long an expired entry is kept for revalidation (a 304 costs the
	// origin no body) unless evicted sooner. 0 means expired entries are dropped at once.
	KeepStale time.Duration
	// Images transforms images for the behaviours that associate the built-in
	// imgcdn-image-optimizer function (image.go); its zero value leaves the feature off, and
	// /cdn-cgi/image/ paths are then ordinary paths everywhere.
	Images ImageConfig
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// NewDefaultConfig returns a Config with the defaults filled in; Cache and Fetcher are still
// required.
func NewDefaultConfig() Config {
	return Config{Node: "edge", POP: "LOC1-C1", CDNDomain: "cdn.localhost", HTTPSPort: 443,
		OriginTimeout: 10 * time.Minute, MaxCacheableBytes: 30 << 30, KeepStale: 24 * time.Hour,
		RangeDirectFrom: 1 << 20}
}

// Validate reports a Config that cannot work.
func (c Config) Validate() error {
	if c.Cache == nil || c.Fetcher == nil {
		return errors.New("edge: Config.Cache and Config.Fetcher are required")
	}
	if c.HTTPSPort <= 0 || c.HTTPSPort > 65535 {
		return errors.New("edge: Config.HTTPSPort must be a port number")
	}
	if c.Images.Engine != nil {
		if err := c.Images.Limits.Validate(); err != nil {
			return fmt.Errorf("edge: Config.Images.Limits: %w", err)
		}
	}
	return nil
}
