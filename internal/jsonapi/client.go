package jsonapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// ClientConfig configures a Client.
type ClientConfig struct {
	// URL is the control plane's API address, e.g. "http://127.0.0.1:9000". Required.
	URL string
	// AccessKey and Secret are the key pair the requests are signed with. Required.
	AccessKey, Secret string
	// Region is the credential scope's region, the control plane's; "" means us-east-1.
	Region string
	// HTTP sends the requests; nil means a client with a 30 s timeout.
	HTTP *http.Client
}

// Client sends requests to one API, signed with SigV4 for its service by the SDK's signer,
// the one AWS clients use, so the API verifies them exactly as it would any AWS client.
type Client struct {
	service, base, accessKey, secret, region string
	http                                     *http.Client
	signer                                   *v4.Signer
}

// NewClient returns a Client for the API signed as service.
func NewClient(service string, cfg ClientConfig) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if cfg.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s: control plane URL %q must be http(s)://host:port (imgcdn serve --api)", service, cfg.URL)
	}
	if cfg.AccessKey == "" || cfg.Secret == "" {
		return nil, fmt.Errorf("%s: an access key and its secret are required", service)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{service: service, base: strings.TrimSuffix(cfg.URL, "/"), accessKey: cfg.AccessKey,
		secret: cfg.Secret, region: cfg.Region, http: cfg.HTTP, signer: v4.NewSigner()}, nil
}

// Error is an error answer of the API.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("control plane answered %d %s: %s", e.Status, e.Code, e.Message)
}

// Do signs and sends one request and decodes a want answer into out (nil: no body expected);
// any other status is an *Error.
func (c *Client) Do(ctx context.Context, method, path string, body []byte, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w", c.service, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: c.accessKey, SecretAccessKey: c.secret}
	if err := c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), c.service, c.region, time.Now()); err != nil {
		return fmt.Errorf("%s: signing: %w", c.service, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", c.service, err)
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
		return fmt.Errorf("%s: the control plane's answer is not valid JSON: %w", c.service, err)
	}
	return nil
}
