package follow

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
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// Limits of Remote.
const (
	// MaxUpdateSize bounds the body of one Update read from the control plane: 500
	// distributions of CloudFront's largest configs, plus MaxInvalidationBytes, fit well
	// below it.
	MaxUpdateSize = 256 << 20
	// requestSlack is how long after the poll's wait Remote gives up on an answer: time for
	// the control plane to build and send the state.
	requestSlack = 30 * time.Second
	// reportTimeout bounds a POST applied.
	reportTimeout = 30 * time.Second
)

// RemoteConfig configures a Remote.
type RemoteConfig struct {
	// URL is the control plane's API port, e.g. "http://127.0.0.1:9000". Required.
	URL string
	// AccessKey and Secret are an edge key (`imgcdn keys create --edge`). Required.
	AccessKey, Secret string
	// Node names this edge node: 1 to 128 letters, digits, '-', '_' or '.'. Required.
	Node string
	// Region is the credential scope's region, the control plane's; "" means us-east-1.
	Region string
	// Wait is how long each poll may wait on the control plane; 0 means MaxWait, the most it
	// honours.
	Wait time.Duration
	// Client sends the requests; nil means a client of its own. It must not have a Timeout
	// shorter than Wait: each request carries its own deadline instead.
	Client *http.Client
}

// Validate reports a RemoteConfig that cannot work.
func (c RemoteConfig) Validate() error {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("follow: RemoteConfig.URL %q must be the control plane's http(s)://host:port", c.URL)
	case c.AccessKey == "" || c.Secret == "":
		return errors.New("follow: RemoteConfig.AccessKey and Secret (an edge key) are required")
	case !distrib.ValidNode(c.Node):
		return fmt.Errorf("follow: RemoteConfig.Node %q must be 1 to 128 letters, digits, '-', '_' or '.'", c.Node)
	case c.Wait < 0 || c.Wait > MaxWait:
		return fmt.Errorf("follow: RemoteConfig.Wait must be between 0 and %s", MaxWait)
	}
	return nil
}

// Remote is a Source over HTTP: it long-polls internal/syncapi, signing each request with
// SigV4 (service SigningService) as the edge key.
type Remote struct {
	cfg    RemoteConfig
	base   string
	client *http.Client
	signer *v4.Signer
}

var _ Source = (*Remote)(nil)

// NewRemote returns a Remote for cfg.
func NewRemote(cfg RemoteConfig) (*Remote, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Wait == 0 {
		cfg.Wait = MaxWait
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{}
	}
	return &Remote{cfg: cfg, base: strings.TrimSuffix(cfg.URL, "/"), client: client, signer: v4.NewSigner()}, nil
}

// RemoteError is an error answer of the control plane.
type RemoteError struct {
	Status  int
	Code    string
	Message string
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("follow: control plane answered %d %s: %s", e.Status, e.Code, e.Message)
}

// Wait implements Source: it polls until the control plane answers with a state (a poll
// that ends without a change, 204, is simply repeated).
func (r *Remote) Wait(ctx context.Context, after, since int64) (Update, error) {
	for {
		u, ok, err := r.poll(ctx, after, since)
		if err != nil || ok {
			return u, err
		}
	}
}

// poll sends one GET state; ok is false when the wait ended without a change.
func (r *Remote) poll(ctx context.Context, after, since int64) (_ Update, ok bool, _ error) {
	q := url.Values{}
	q.Set("node", r.cfg.Node)
	q.Set("after", strconv.FormatInt(after, 10))
	q.Set("since", strconv.FormatInt(since, 10))
	q.Set("wait", strconv.Itoa(int(r.cfg.Wait/time.Second)))
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Wait+requestSlack)
	defer cancel()
	resp, err := r.do(ctx, http.MethodGet, StatePath+"?"+q.Encode(), nil)
	if err != nil {
		return Update{}, false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNoContent:
		return Update{}, false, nil
	case http.StatusOK:
		b, err := io.ReadAll(io.LimitReader(resp.Body, MaxUpdateSize+1))
		if err != nil {
			return Update{}, false, fmt.Errorf("follow: reading the control plane's state: %w", err)
		}
		if len(b) > MaxUpdateSize {
			return Update{}, false, fmt.Errorf("follow: the control plane's state is larger than %d bytes", MaxUpdateSize)
		}
		var u Update
		if err := json.Unmarshal(b, &u); err != nil {
			return Update{}, false, fmt.Errorf("follow: the control plane's state is not valid JSON: %w", err)
		}
		return u, true, nil
	}
	return Update{}, false, remoteError(resp)
}

// Report implements Source.
func (r *Remote) Report(ctx context.Context, a Applied) error {
	body, err := json.Marshal(Report{Node: r.cfg.Node, Applied: a})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, reportTimeout)
	defer cancel()
	resp, err := r.do(ctx, http.MethodPost, AppliedPath, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK {
		return remoteError(resp)
	}
	return nil
}

// Leave removes this node from the control plane's fleet: distributions and invalidations
// stop waiting for it. A node that reports again later joins again.
func (r *Remote) Leave(ctx context.Context) error {
	body, err := json.Marshal(Report{Node: r.cfg.Node})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, reportTimeout)
	defer cancel()
	resp, err := r.do(ctx, http.MethodPost, LeavePath, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK {
		return remoteError(resp)
	}
	return nil
}

// do signs and sends one request. The SDK's signer is the one AWS clients use, so that
// syncapi verifies edges exactly as it would any AWS client (sig-v4-header-based-auth.html).
func (r *Remote) do(ctx context.Context, method, pathQuery string, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, r.base+pathQuery, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("follow: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: r.cfg.AccessKey, SecretAccessKey: r.cfg.Secret}
	if err := r.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), SigningService, r.cfg.Region, time.Now()); err != nil {
		return nil, fmt.Errorf("follow: signing: %w", err)
	}
	return r.client.Do(req)
}

// remoteError reads the JSON error body of resp, or makes do with its status.
func remoteError(resp *http.Response) error {
	e := &RemoteError{Status: resp.StatusCode}
	var body struct{ Code, Message string }
	if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body) == nil {
		e.Code, e.Message = body.Code, body.Message
	}
	if e.Code == "" {
		e.Code, e.Message = http.StatusText(resp.StatusCode), "no error document"
	}
	return e
}
