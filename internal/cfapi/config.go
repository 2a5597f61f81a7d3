package cfapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// MaxBodySize bounds a request body. CloudFront's largest config documents (distributions)
// stay well below it; OAI and OAC configs are a few hundred bytes.
const MaxBodySize = 64 << 10

// Principals resolves the access key of a verified request to who it acts as.
type Principals interface {
	Principal(accessKeyID string) (auth.Principal, bool)
}

// Config configures the handler.
type Config struct {
	// Service holds the control plane's state. Required.
	Service *distrib.Service
	// Verifier checks the SigV4 signature of every request. Required. Its MaxHashedBody
	// should be MaxBodySize: CloudFront clients send no X-Amz-Content-Sha256, so the verifier
	// buffers the body to hash it.
	Verifier *sigv4.Verifier
	// Principals maps access keys to principals; only the account root may call the API.
	// Required.
	Principals Principals
	// AccountID is the 12-digit account the API belongs to, for ARNs.
	AccountID string
	// CDNDomain is the parent domain of distribution domain names: a distribution's
	// DomainName is d<13 lower-case alphanumerics>.CDNDomain. Empty means "cdn.localhost".
	CDNDomain string
	// Endpoint returns the scheme and host clients reach the API at, for Location headers
	// (e.g. "http://127.0.0.1:9000"). Nil means http(s):// plus the request's Host.
	Endpoint func(r *http.Request) string
	// Logger receives server-side failures; nil discards them.
	Logger *slog.Logger
}

// Validate reports a Config that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Service == nil:
		return errors.New("cfapi: Config.Service is required")
	case c.Verifier == nil:
		return errors.New("cfapi: Config.Verifier is required")
	case c.Principals == nil:
		return errors.New("cfapi: Config.Principals is required")
	}
	return c.Verifier.Validate()
}

func (c Config) endpoint(r *http.Request) string {
	if c.Endpoint != nil {
		return c.Endpoint(r)
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func (c Config) cdnDomain() string {
	if c.CDNDomain == "" {
		return "cdn.localhost"
	}
	return c.CDNDomain
}
