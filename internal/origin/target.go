package origin

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// Schemes of Target.Scheme. MatchViewer is resolved per request by ForViewer.
const (
	SchemeHTTP  = "http"
	SchemeHTTPS = "https"
	MatchViewer = "match-viewer"
)

// OAC signing behaviours (API_OriginAccessControlConfig.html, SigningBehavior).
const (
	SignAlways     = "always"
	SignNever      = "never"
	SignNoOverride = "no-override"
)

// Target is one origin as Fetch needs it. TargetFor builds it from a distribution's origin;
// tests and the edge may also fill it directly.
type Target struct {
	// S3 marks an S3 origin: fetches may be SigV4-signed (OAI, OAC, Credentials).
	S3 bool
	// Bucket is an S3 origin's bucket when its domain names one (<bucket>.s3...): Local
	// buckets are addressed path-style on Config.LocalS3. On a registered endpoint
	// (WithEndpoint) it is the endpoint's bucket, addressed as PathStyle says.
	Bucket string
	// PathStyle puts a non-local Bucket in the path (/<bucket>/<key> on Domain) rather than
	// in the host name (<bucket>.<Domain>, virtual-hosted style).
	PathStyle bool
	// Local marks a bucket of this installation (DomainName <bucket>.s3.amazonaws.com or
	// <bucket>.s3.<region>.amazonaws.com): Scheme, Domain and the ports are ignored.
	Local bool
	// Scheme is SchemeHTTP, SchemeHTTPS or MatchViewer (OriginProtocolPolicy http-only,
	// https-only, match-viewer); a MatchViewer target must go through ForViewer first.
	Scheme string
	// Domain is the origin's host name (or IP address), which is also the Host header sent.
	// It may carry a port, which then wins over HTTPPort and HTTPSPort.
	Domain string
	// HTTPPort and HTTPSPort are the ports per scheme (default 80 and 443).
	HTTPPort, HTTPSPort int
	// PathPrefix is the OriginPath, "" or "/dir" (no trailing slash), put before every path.
	PathPrefix string
	// CustomHeaders are set on every request, replacing viewer headers of the same name.
	CustomHeaders http.Header
	// ConnectTimeout bounds each connection attempt (ConnectionTimeout, default 10 s);
	// ConnectionAttempts is how many are made (default 3).
	ConnectTimeout     time.Duration
	ConnectionAttempts int
	// ReadTimeout bounds the wait for the response headers and for each read of the body
	// (OriginReadTimeout, default 30 s).
	ReadTimeout time.Duration
	// KeepAlive is how long an idle connection is kept for reuse (OriginKeepaliveTimeout,
	// default 5 s).
	KeepAlive time.Duration
	// MinTLSVersion is the oldest TLS version offered to an HTTPS origin, from
	// OriginSSLProtocols (default TLS 1.2).
	MinTLSVersion uint16
	// OAI is the origin access identity id fetches are signed as (S3 origins).
	OAI string
	// OAC is the origin access control fetches are signed with (S3 origins).
	OAC *OAC
	// Credentials sign fetches from an S3-compatible endpoint that is not this
	// installation (another imgcdn, MinIO, AWS...).
	Credentials *Credentials
}

// OAC is an origin access control as applied to one distribution.
type OAC struct {
	// DistributionARN is the distribution fetched for: aws:SourceArn at the S3 API.
	DistributionARN string
	// SigningBehavior is SignAlways, SignNever or SignNoOverride.
	SigningBehavior string
}

// Credentials are an access key pair for an S3-compatible endpoint and the region to sign for.
type Credentials struct {
	AccessKeyID, SecretAccessKey, Region string
}

// localS3Domain matches the S3 origin domain names of the seed and the CloudFront docs,
// <bucket>.s3.amazonaws.com and <bucket>.s3.<region>.amazonaws.com (also the legacy
// s3-<region> and the dualstack forms); the bucket may hold dots.
var localS3Domain = regexp.MustCompile(`^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.s3(?:\.dualstack)?(?:[.-][a-z0-9-]+)?\.amazonaws\.com$`)

// S3Bucket returns the bucket an S3 origin domain name of this installation names.
func S3Bucket(domain string) (string, bool) {
	m := localS3Domain.FindStringSubmatch(strings.ToLower(strings.TrimSuffix(domain, ".")))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// TargetFor builds the Target of origin o of the distribution with ARN distARN. oac is the
// origin access control o.OriginAccessControlID names, looked up by the caller (nil when it
// names none). The result is fixed for the distribution's version: build it once per load.
func TargetFor(o distrib.Origin, distARN string, oac *distrib.OAC) (Target, error) {
	t := Target{
		Domain: strings.ToLower(o.DomainName), PathPrefix: strings.TrimSuffix(o.OriginPath, "/"),
		HTTPPort: 80, HTTPSPort: 443,
		ConnectTimeout:     seconds(o.ConnectionTimeout, DefaultConnectTimeout),
		ConnectionAttempts: o.ConnectionAttempts,
		ReadTimeout:        DefaultReadTimeout, KeepAlive: DefaultKeepAlive, MinTLSVersion: tls.VersionTLS12,
	}
	if t.ConnectionAttempts <= 0 {
		t.ConnectionAttempts = DefaultConnectionAttempts
	}
	if t.Domain == "" {
		return Target{}, fmt.Errorf("%w: origin %s has no domain name", ErrInvalidTarget, o.ID)
	}
	if t.PathPrefix != "" && !strings.HasPrefix(t.PathPrefix, "/") {
		return Target{}, fmt.Errorf("%w: origin %s: OriginPath %q must start with /", ErrInvalidTarget, o.ID, o.OriginPath)
	}
	if len(o.CustomHeaders) > 0 {
		t.CustomHeaders = make(http.Header, len(o.CustomHeaders))
		for _, h := range o.CustomHeaders {
			t.CustomHeaders.Set(h.Name, h.Value)
		}
	}
	switch {
	case o.S3 != nil && o.Custom == nil:
		return s3Target(t, o, distARN, oac)
	case o.Custom != nil && o.S3 == nil:
		if oac != nil || o.OriginAccessControlID != "" {
			return Target{}, fmt.Errorf("%w: origin %s: an origin access control needs an S3 origin", ErrInvalidTarget, o.ID)
		}
		return customTarget(t, o.Custom)
	}
	return Target{}, fmt.Errorf("%w: origin %s must be either an S3 or a custom origin", ErrInvalidTarget, o.ID)
}

func s3Target(t Target, o distrib.Origin, distARN string, oac *distrib.OAC) (Target, error) {
	t.S3, t.Scheme = true, SchemeHTTPS // CloudFront reaches S3 REST endpoints over HTTPS
	t.Bucket, t.Local = S3Bucket(t.Domain)
	if id, ok := strings.CutPrefix(o.S3.OriginAccessIdentity, distrib.OAIPathPrefix); ok && id != "" {
		t.OAI = id
	} else if o.S3.OriginAccessIdentity != "" {
		return Target{}, fmt.Errorf("%w: origin %s: OriginAccessIdentity %q must be %s<id>", ErrInvalidTarget, o.ID, o.S3.OriginAccessIdentity, distrib.OAIPathPrefix)
	}
	if (o.OriginAccessControlID == "") != (oac == nil) {
		return Target{}, fmt.Errorf("%w: origin %s: origin access control %q was not resolved", ErrInvalidTarget, o.ID, o.OriginAccessControlID)
	}
	if oac != nil {
		if t.OAI != "" {
			return Target{}, fmt.Errorf("%w: origin %s has both an origin access identity and an origin access control", ErrInvalidTarget, o.ID)
		}
		if distARN == "" {
			return Target{}, fmt.Errorf("%w: origin %s: an origin access control needs the distribution ARN", ErrInvalidTarget, o.ID)
		}
		switch b := oac.Config.SigningBehavior; b {
		case SignAlways, SignNever, SignNoOverride:
			t.OAC = &OAC{DistributionARN: distARN, SigningBehavior: b}
		default:
			return Target{}, fmt.Errorf("%w: origin access control %s: signing behavior %q", ErrInvalidTarget, oac.ID, b)
		}
	}
	return t, nil
}

func customTarget(t Target, c *distrib.CustomOrigin) (Target, error) {
	switch c.OriginProtocolPolicy {
	case "http-only":
		t.Scheme = SchemeHTTP
	case "https-only":
		t.Scheme = SchemeHTTPS
	case "match-viewer":
		t.Scheme = MatchViewer
	default:
		return Target{}, fmt.Errorf("%w: OriginProtocolPolicy %q", ErrInvalidTarget, c.OriginProtocolPolicy)
	}
	if c.HTTPPort != 0 {
		t.HTTPPort = c.HTTPPort
	}
	if c.HTTPSPort != 0 {
		t.HTTPSPort = c.HTTPSPort
	}
	t.ReadTimeout = seconds(c.OriginReadTimeout, DefaultReadTimeout)
	t.KeepAlive = seconds(c.OriginKeepaliveTimeout, DefaultKeepAlive)
	t.MinTLSVersion = minTLS(c.OriginSSLProtocols)
	return t, nil
}

// minTLS is the oldest version of OriginSSLProtocols that Go speaks (SSLv3 is not spoken at
// all, so a list of only SSLv3 still gets TLS 1.0).
func minTLS(protocols []string) uint16 {
	v := uint16(0)
	for _, p := range protocols {
		var n uint16
		switch p {
		case "SSLv3", "TLSv1":
			n = tls.VersionTLS10
		case "TLSv1.1":
			n = tls.VersionTLS11
		case "TLSv1.2":
			n = tls.VersionTLS12
		default:
			continue
		}
		if v == 0 || n < v {
			v = n
		}
	}
	if v == 0 {
		return tls.VersionTLS12
	}
	return v
}

func seconds(n int, def time.Duration) time.Duration {
	if n <= 0 {
		return def
	}
	return time.Duration(n) * time.Second
}

// ForViewer resolves a match-viewer target for a viewer that came over HTTPS or not; other
// targets are returned unchanged.
func (t Target) ForViewer(viewerHTTPS bool) Target {
	if t.Scheme == MatchViewer {
		t.Scheme = SchemeHTTP
		if viewerHTTPS {
			t.Scheme = SchemeHTTPS
		}
	}
	return t
}

// hostPort is the address to connect to and the Host header: Domain with the scheme's port
// unless it is the default one, or Domain's own port.
func (t Target) hostPort() string {
	if _, _, err := net.SplitHostPort(t.Domain); err == nil {
		return t.Domain
	}
	port, def := t.HTTPSPort, 443
	if t.Scheme == SchemeHTTP {
		port, def = t.HTTPPort, 80
	}
	if port == 0 || port == def {
		return t.Domain
	}
	return net.JoinHostPort(strings.Trim(t.Domain, "[]"), strconv.Itoa(port))
}
