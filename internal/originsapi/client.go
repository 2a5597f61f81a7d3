package originsapi

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
	base      string
	accessKey string
	secret    string
	region    string
	http      *http.Client
	signer    *v4.Signer
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
		return nil, fmt.Errorf("originsapi: control plane URL %q must be http(s)://host:port (imgcdn serve --api)", cfg.URL)
	}
	if cfg.AccessKey == "" || cfg.Secret == "" {
		return nil, errors.New("originsapi: the account root's access key and secret are required")
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

// Put registers (or replaces) e and returns it as stored, without its secret.
func (c *Client) Put(ctx context.Context, e distrib.OriginEndpoint) (distrib.OriginEndpoint, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return distrib.OriginEndpoint{}, err
	}
	var got distrib.OriginEndpoint
	err = c.do(ctx, http.MethodPut, EndpointsPath+"/"+url.PathEscape(e.Domain), body, http.StatusOK, &got)
	return got, err
}

// List returns every registered endpoint, without secrets.
func (c *Client) List(ctx context.Context) ([]distrib.OriginEndpoint, error) {
	var l listBody
	err := c.do(ctx, http.MethodGet, EndpointsPath, nil, http.StatusOK, &l)
	return l.Endpoints, err
}

// Delete removes the endpoint of domain.
func (c *Client) Delete(ctx context.Context, domain string) error {
	return c.do(ctx, http.MethodDelete, EndpointsPath+"/"+url.PathEscape(domain), nil, http.StatusNoContent, nil)
}

// do signs and sends one request with the SDK's signer, the one AWS clients use, and decodes
// a want answer into out (nil: no body expected).
func (c *Client) do(ctx context.Context, method, path string, body []byte, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("originsapi: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: c.accessKey, SecretAccessKey: c.secret}
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), SigningService, c.region, time.Now()); err != nil {
		return fmt.Errorf("originsapi: signing: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("originsapi: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
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
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(out); err != nil {
		return fmt.Errorf("originsapi: the control plane's answer is not valid JSON: %w", err)
	}
	return nil
}
