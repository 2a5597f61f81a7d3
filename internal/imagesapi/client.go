package imagesapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// Client calls the API of a running control plane, signed with the account root's key.
type Client struct {
	base, accessKey, secret, region string
	http                            *http.Client
	signer                          *v4.Signer
}

// ClientConfig configures a Client.
type ClientConfig struct {
	// URL is the control plane's API address, e.g. "http://127.0.0.1:9000". Required.
	URL string
	// AccessKey and Secret are the account root's key pair. Required.
	AccessKey, Secret string
	// Region is the credential scope's region, the control plane's; "" means us-east-1.
	Region string
	// HTTP sends the requests; nil means a client with a 30 s timeout.
	HTTP *http.Client
}

// NewClient returns a Client for cfg.
func NewClient(cfg ClientConfig) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if cfg.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("imagesapi: control plane URL %q must be http(s)://host:port (imgcdn serve --api)", cfg.URL)
	}
	if cfg.AccessKey == "" || cfg.Secret == "" {
		return nil, errors.New("imagesapi: the account root's access key and secret are required")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{base: strings.TrimSuffix(cfg.URL, "/"), accessKey: cfg.AccessKey, secret: cfg.Secret,
		region: cfg.Region, http: cfg.HTTP, signer: v4.NewSigner()}, nil
}

// Error is an error answer of the control plane.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("control plane answered %d %s: %s", e.Status, e.Code, e.Message)
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
	err = c.do(ctx, http.MethodPut, path, body, &got)
	return got, err
}

// Get returns the settings of distribution id, without the secret.
func (c *Client) Get(ctx context.Context, id string) (distrib.ImageSettings, error) {
	var got distrib.ImageSettings
	err := c.do(ctx, http.MethodGet, SettingsPath+"/"+url.PathEscape(id), nil, &got)
	return got, err
}

// List returns every distribution's settings, without secrets.
func (c *Client) List(ctx context.Context) ([]distrib.ImageSettings, error) {
	var l listBody
	err := c.do(ctx, http.MethodGet, SettingsPath, nil, &l)
	return l.Settings, err
}

// Secret returns the signing secret of distribution id.
func (c *Client) Secret(ctx context.Context, id string) (string, error) {
	var s secretBody
	err := c.do(ctx, http.MethodGet, SettingsPath+"/"+url.PathEscape(id)+"/secret", nil, &s)
	return s.Secret, err
}

// Sign returns rawURL signed by the control plane with distribution id's secret.
func (c *Client) Sign(ctx context.Context, id, rawURL string) (string, error) {
	body, err := json.Marshal(urlBody{URL: rawURL})
	if err != nil {
		return "", err
	}
	var got urlBody
	err = c.do(ctx, http.MethodPost, SettingsPath+"/"+url.PathEscape(id)+"/sign", body, &got)
	return got.URL, err
}

// do signs and sends one request with the SDK's signer and decodes a 200 answer into out.
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("imagesapi: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: c.accessKey, SecretAccessKey: c.secret}
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), SigningService, c.region, time.Now()); err != nil {
		return fmt.Errorf("imagesapi: signing: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("imagesapi: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e := &Error{Status: resp.StatusCode}
		var b ErrorBody
		if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&b) == nil {
			e.Code, e.Message = b.Code, b.Message
		}
		if e.Code == "" {
			e.Code, e.Message = http.StatusText(resp.StatusCode), "no error document (is this the API address of imgcdn serve?)"
		}
		return e
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(out); err != nil {
		return fmt.Errorf("imagesapi: the control plane's answer is not valid JSON: %w", err)
	}
	return nil
}
