package origin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imgcdn/imgcdn/internal/auth"
)

// userAgent is what CloudFront sends as User-Agent when it does not forward the viewer's
// ("User-Agent", RequestAndResponseBehaviorCustomOrigin.html).
const userAgent = "Amazon CloudFront"

// Fetcher sends origin requests. It is safe for concurrent use; Close releases its pooled
// connections.
type Fetcher struct {
	cfg        Config
	mu         sync.Mutex
	transports map[transportKey]*http.Transport
	h1         map[transportKey]*h1Transport
}

// New validates cfg and returns a Fetcher.
func New(cfg Config) (*Fetcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Fetcher{cfg: cfg.withDefaults(), transports: map[transportKey]*http.Transport{},
		h1: map[transportKey]*h1Transport{}}, nil
}

// Fetch sends method path?rawQuery to t and returns the origin's response as it arrives:
// the caller reads and closes the body, which is never buffered. path is the decoded request
// path ("/images/a b.jpg"); t.PathPrefix is put before it, and for a local bucket "/<bucket>".
// h is what the edge forwards (the viewer headers its policies let through, x-amz-cf-id...);
// hop-by-hop fields, Host and delegation headers in it are dropped, t.CustomHeaders are set
// over it. body, if not nil, is the request body (its length from h's Content-Length).
// Redirects are returned, not followed. Errors wrap ErrInvalidTarget, ErrConnect,
// ErrTimeout or ErrBadResponse, or the ctx error when ctx ended first.
func (f *Fetcher) Fetch(ctx context.Context, t Target, method, path, rawQuery string, h http.Header, body io.Reader) (*http.Response, error) {
	p, err := f.plan(t, method, path, rawQuery, h)
	if err != nil {
		return nil, err
	}
	tr := f.roundTripper(p.key, method, body)
	attempts := max(t.ConnectionAttempts, 1)
	for attempt := 1; ; attempt++ {
		req := p.request(ctx, body, f.cfg.Now())
		reqCtx, cancel := context.WithCancel(req.Context())
		var connected atomic.Bool
		trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }}
		resp, err := tr.RoundTrip(req.WithContext(httptrace.WithClientTrace(reqCtx, trace)))
		if err == nil {
			removeHopByHop(resp.Header)
			resp.Body = newIdleBody(resp.Body, p.key.read, cancel)
			return resp, nil
		}
		cancel()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("origin: %s %s: %w", method, p.key.host, ctx.Err())
		}
		var ne net.Error
		switch {
		case !connected.Load() && attempt < attempts && body == nil:
			f.cfg.Logger.Warn("origin: connection attempt failed; retrying", "origin", p.key.host, "attempt", attempt, "err", err)
			continue
		case !connected.Load():
			return nil, fmt.Errorf("%w %s after %d attempts: %w", ErrConnect, p.key.host, attempt, err)
		case errors.As(err, &ne) && ne.Timeout():
			return nil, fmt.Errorf("%w (%v): %s: %w", ErrTimeout, p.key.read, p.key.host, err)
		}
		return nil, fmt.Errorf("%w: %s: %w", ErrBadResponse, p.key.host, err)
	}
}

// plan is everything about a fetch that does not change between connection attempts.
type plan struct {
	key    transportKey
	method string
	url    url.URL
	host   string // the Host header
	header http.Header
	length int64
	signer *Credentials // nil: sent unsigned
}

func (f *Fetcher) plan(t Target, method, path, rawQuery string, h http.Header) (*plan, error) {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	p := &plan{method: method, header: requestHeader(h), length: -1,
		key: transportKey{connect: t.ConnectTimeout, read: t.ReadTimeout, keepAlive: t.KeepAlive, minTLS: t.MinTLSVersion}}
	if p.key.connect <= 0 {
		p.key.connect = DefaultConnectTimeout
	}
	if p.key.read <= 0 {
		p.key.read = DefaultReadTimeout
	}
	if p.key.keepAlive <= 0 {
		p.key.keepAlive = DefaultKeepAlive
	}
	full := t.PathPrefix + path
	switch {
	case t.Local:
		if f.cfg.LocalS3 == nil || t.Bucket == "" {
			return nil, fmt.Errorf("%w: bucket %q of this installation, but no local S3 endpoint is configured", ErrInvalidTarget, t.Bucket)
		}
		p.key.scheme, p.key.host = f.cfg.LocalS3.Scheme, f.cfg.LocalS3.Host
		full = "/" + t.Bucket + full
	case t.Scheme == SchemeHTTP || t.Scheme == SchemeHTTPS:
		if t.Domain == "" {
			return nil, fmt.Errorf("%w: no origin domain", ErrInvalidTarget)
		}
		p.key.scheme, p.key.host = t.Scheme, t.hostPort()
		if t.S3 && t.Bucket != "" {
			if t.PathStyle {
				full = "/" + t.Bucket + full
			} else {
				p.key.host = t.Bucket + "." + p.key.host
			}
		}
	default:
		return nil, fmt.Errorf("%w: protocol %q (resolve match-viewer with Target.ForViewer)", ErrInvalidTarget, t.Scheme)
	}
	if p.key.scheme == SchemeHTTP {
		p.key.minTLS = 0
	}
	p.url = url.URL{Scheme: p.key.scheme, Host: p.key.host, Path: full}
	p.host = p.key.host
	if !t.S3 {
		p.url.RawQuery = rawQuery
		if v := h.Get("Host"); v != "" { // the origin request policy forwards the viewer's Host
			p.host = v
		}
	} else {
		// S3 keys are exact: send the path and query in SigV4's canonical encoding, so that
		// what is signed is byte for byte what is sent.
		p.url.RawPath = uriEncode(full, true)
		p.url.RawQuery = canonicalQuery(rawQuery)
	}
	for k, vs := range t.CustomHeaders {
		p.header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if p.header.Get("User-Agent") == "" {
		p.header.Set("User-Agent", userAgent)
	}
	if v := p.header.Get("Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			p.length = n
		}
		p.header.Del("Content-Length")
	}
	if t.S3 {
		if err := f.planSigning(p, &t); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// planSigning decides whether and as whom an S3 fetch is signed. With an OAI the edge always
// signs as the identity; with an OAC it follows the signing behaviour
// (API_OriginAccessControlConfig.html): always signs (replacing a forwarded viewer
// Authorization), never does not, no-override signs unless the viewer's Authorization is
// forwarded. Without either, a local bucket is fetched anonymously and the bucket policy
// decides; another endpoint is signed with its Credentials when it has some.
func (f *Fetcher) planSigning(p *plan, t *Target) error {
	sign := false
	switch {
	case t.OAI != "":
		sign = true
		p.header.Set(auth.HeaderEdgeOAI, t.OAI)
	case t.OAC != nil:
		switch t.OAC.SigningBehavior {
		case SignAlways:
			sign = true
		case SignNoOverride:
			sign = p.header.Get("Authorization") == ""
		}
		if sign {
			p.header.Set(auth.HeaderSourceARN, t.OAC.DistributionARN)
		}
	default:
		sign = !t.Local && t.Credentials != nil
	}
	if !sign {
		return nil
	}
	creds := t.Credentials
	if t.Local {
		if f.cfg.EdgeKey.AccessKeyID == "" {
			return fmt.Errorf("%w: bucket %s is fetched as an OAI or OAC, but the fetcher has no edge key", ErrInvalidTarget, t.Bucket)
		}
		creds = &Credentials{AccessKeyID: f.cfg.EdgeKey.AccessKeyID, SecretAccessKey: f.cfg.EdgeKey.SecretAccessKey, Region: f.cfg.Region}
	}
	if creds == nil {
		return fmt.Errorf("%w: S3 endpoint %s needs credentials to be fetched as an OAI or OAC", ErrInvalidTarget, t.Domain)
	}
	if creds.Region == "" {
		c := *creds
		c.Region = DefaultRegion
		creds = &c
	}
	for _, k := range signingHeaders {
		p.header.Del(k)
	}
	// Delegation headers stay on the plan (requestHeader dropped the viewer's copies).
	p.signer = creds
	return nil
}

// request builds one attempt's request: a fresh header (a signature is per attempt, as its
// date is) on the planned URL.
func (p *plan) request(ctx context.Context, body io.Reader, now time.Time) *http.Request {
	u := p.url
	r := &http.Request{
		Method: p.method, URL: &u, Host: p.host, Header: p.header.Clone(),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}
	if body != nil {
		r.Body = io.NopCloser(body)
		r.ContentLength = p.length
		if p.length == 0 {
			r.Body = http.NoBody
		}
	}
	if p.signer != nil {
		sign(r, *p.signer, now)
	}
	return r.WithContext(ctx)
}
