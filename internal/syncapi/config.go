package syncapi

import (
	"errors"
	"log/slog"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/follow"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// SigningService is the SigV4 service name of requests to this endpoint; the API port
// routes on it.
const SigningService = follow.SigningService

// Limits of the protocol.
const (
	// MaxWait is the longest a GET state waits for a change (follow.MaxWait).
	MaxWait = follow.MaxWait
	// MaxBodySize bounds a POST applied body: the node name and one id and version per
	// distribution (500 by default) take a few tens of kilobytes. The Verifier's
	// MaxHashedBody must be at least this: edges send no X-Amz-Content-Sha256, so the
	// verifier buffers the body to hash it.
	MaxBodySize = 1 << 20
)

// Principals resolves the access key of a verified request to who it acts as.
type Principals interface {
	Principal(accessKeyID string) (auth.Principal, bool)
}

// Config configures the handler.
type Config struct {
	// Service holds the control plane's state. Required.
	Service *distrib.Service
	// Verifier checks the SigV4 signature of every request. Required.
	Verifier *sigv4.Verifier
	// Principals maps access keys to principals; only edge principals are served. Required.
	Principals Principals
	// Logger receives server-side failures; nil discards them.
	Logger *slog.Logger
}

// Validate reports a Config that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Service == nil:
		return errors.New("syncapi: Config.Service is required")
	case c.Verifier == nil:
		return errors.New("syncapi: Config.Verifier is required")
	case c.Principals == nil:
		return errors.New("syncapi: Config.Principals is required")
	}
	return c.Verifier.Validate()
}
