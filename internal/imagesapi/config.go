package imagesapi

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
	SigningService = "imgcdn-images"
	// SettingsPath lists settings; SettingsPath + "/<distribution id>" is one distribution's.
	SettingsPath = "/imgcdn/images/v1/settings"
	// MaxBodySize bounds a request body. The Verifier's MaxHashedBody must be at least this.
	MaxBodySize = 16 << 10
)

// Store is what the handler needs from the control plane (*distrib.Service).
type Store interface {
	PutImageSettings(s distrib.ImageSettings, rotate bool) (distrib.ImageSettings, error)
	GetImageSettings(id string) (distrib.ImageSettings, error)
	ListImageSettings() ([]distrib.ImageSettings, error)
	ImageSigningSecret(id string) (string, error)
}

var _ Store = (*distrib.Service)(nil)

// Principals resolves the access key of a verified request to who it acts as.
type Principals interface {
	Principal(accessKeyID string) (auth.Principal, bool)
}

// Config configures the handler.
type Config struct {
	// Store holds the settings. Required.
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
		return errors.New("imagesapi: Config.Store is required")
	case c.Verifier == nil:
		return errors.New("imagesapi: Config.Verifier is required")
	case c.Principals == nil:
		return errors.New("imagesapi: Config.Principals is required")
	}
	return c.Verifier.Validate()
}

// SettingsBody is the JSON body of a PUT: the settings that can be set.
type SettingsBody struct {
	RequireSigned bool  `json:"requireSigned"`
	AllowedWidths []int `json:"allowedWidths"`
}

// listBody is the JSON answer of GET SettingsPath.
type listBody struct {
	Settings []distrib.ImageSettings `json:"settings"`
}

// secretBody is the answer of GET .../secret.
type secretBody struct {
	Secret string `json:"secret"`
}

// urlBody is the request and the answer of POST .../sign.
type urlBody struct {
	URL string `json:"url"`
}
