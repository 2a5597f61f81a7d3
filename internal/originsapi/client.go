package originsapi

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

// Put registers (or replaces) e and returns it as stored, without its secret.
func (c *Client) Put(ctx context.Context, e distrib.OriginEndpoint) (distrib.OriginEndpoint, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return distrib.OriginEndpoint{}, err
	}
	var got distrib.OriginEndpoint
	err = c.api.Do(ctx, http.MethodPut, EndpointsPath+"/"+url.PathEscape(e.Domain), body, http.StatusOK, &got)
	return got, err
}

// List returns every registered endpoint, without secrets.
func (c *Client) List(ctx context.Context) ([]distrib.OriginEndpoint, error) {
	var l listBody
	err := c.api.Do(ctx, http.MethodGet, EndpointsPath, nil, http.StatusOK, &l)
	return l.Endpoints, err
}

// Delete removes the endpoint of domain.
func (c *Client) Delete(ctx context.Context, domain string) error {
	return c.api.Do(ctx, http.MethodDelete, EndpointsPath+"/"+url.PathEscape(domain), nil, http.StatusNoContent, nil)
}
