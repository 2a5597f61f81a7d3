package imagesapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/jsonapi"
)

// Client calls the API of a running control plane, signed with the account root's key.
type Client struct{ api *jsonapi.Client }

// ClientConfig configures a Client: the control plane's URL and the account root's key pair.
type ClientConfig = jsonapi.ClientConfig

// Error is an error answer of the control plane.
type Error = jsonapi.Error

// NewClient returns a Client for cfg.
func NewClient(cfg ClientConfig) (*Client, error) {
	c, err := jsonapi.NewClient(SigningService, cfg)
	if err != nil {
		return nil, err
	}
	return &Client{api: c}, nil
}

// Put replaces the settings of distribution id (rotate: with a new signing secret).
func (c *Client) Put(ctx context.Context, id string, s SettingsBody, rotate bool) (distrib.ImageSettings, error) {
	body, err := json.Marshal(s)
	if err != nil {
		return distrib.ImageSettings{}, err
	}
	path := SettingsPath + "/" + url.PathEscape(id)
	if rotate {
		path += "?rotateSecret=true"
	}
	var got distrib.ImageSettings
	err = c.api.Do(ctx, http.MethodPut, path, body, http.StatusOK, &got)
	return got, err
}

// Get returns the settings of distribution id, without the secret.
func (c *Client) Get(ctx context.Context, id string) (distrib.ImageSettings, error) {
	var got distrib.ImageSettings
	err := c.api.Do(ctx, http.MethodGet, SettingsPath+"/"+url.PathEscape(id), nil, http.StatusOK, &got)
	return got, err
}

// List returns every distribution's settings, without secrets.
func (c *Client) List(ctx context.Context) ([]distrib.ImageSettings, error) {
	var l listBody
	err := c.api.Do(ctx, http.MethodGet, SettingsPath, nil, http.StatusOK, &l)
	return l.Settings, err
}

// Secret returns the signing secret of distribution id.
func (c *Client) Secret(ctx context.Context, id string) (string, error) {
	var s secretBody
	err := c.api.Do(ctx, http.MethodGet, SettingsPath+"/"+url.PathEscape(id)+"/secret", nil, http.StatusOK, &s)
	return s.Secret, err
}

// Sign returns rawURL signed by the control plane with distribution id's secret.
func (c *Client) Sign(ctx context.Context, id, rawURL string) (string, error) {
	body, err := json.Marshal(urlBody{URL: rawURL})
	if err != nil {
		return "", err
	}
	var got urlBody
	err = c.api.Do(ctx, http.MethodPost, SettingsPath+"/"+url.PathEscape(id)+"/sign", body, http.StatusOK, &got)
	return got.URL, err
}
