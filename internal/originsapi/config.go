package originsapi

import (
	"errors"
	"log/slog"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// The protocol between Client and Handler.
const (
	// SigningService is the SigV4 service name of requests; the API port routes on it.
	SigningService = "imgcdn-origins"
	// EndpointsPath lists endpoints; EndpointsPath + "/<domain>" is one endpoint.
	EndpointsPath = "/imgcdn/origins/v1/endpoints"
	// MaxBodySize bounds a PUT body: one endpoint is well under a kilobyte. The Verifier's
	// MaxHashedBody must be at least this (the verifier hashes the body itself).
	MaxBodySize = 64 << 10
)

// Store is what the handler needs from the control plane (*distrib.Service).
type Store interface {
	PutOriginEndpoint(distrib.OriginEndpoint) (distrib.OriginEndpoint, error)
	ListOriginEndpoints() ([]distrib.OriginEndpoint, error)
	DeleteOriginEndpoint(domain string) error
}

var _ Store = (*distrib.Service)(nil)

// Principals resolves the access key of a verified request to who it acts as.
type Principals interface {
	Principal(accessKeyID string) (auth.Principal, bool)
}

// Config configures the handler.
type Config struct {
	// Store holds the registrations. Required.
	Store Store
	// Verifier checks the SigV4 signature of every request. Required.
	Verifier *sigv4.Verifier
	// Principals maps access keys to principals; only the account root is served. Required.
	Principals Principals
	// Logger receives server-side failures; nil discards them.
	Logger *slog.Logger
}

// Validate reports a Config that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Store == nil:
		return errors.New("originsapi: Config.Store is required")
	case c.Verifier == nil:
		return errors.New("originsapi: Config.Verifier is required")
	case c.Principals == nil:
		return errors.New("originsapi: Config.Principals is required")
	}
	return c.Verifier.Validate()
}

// listBody is the JSON answer of GET EndpointsPath.
type listBody struct {
	Endpoints []distrib.OriginEndpoint `json:"endpoints"`
}
