package origin

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// WithEndpoint points an S3 target at a registered S3-compatible endpoint (`imgcdn origins
// add`): its scheme, host and port, its bucket (path-style or virtual-hosted), and its
// credentials, which then sign every fetch. An origin access identity or control on the
// target is kept: the fetch is signed with the endpoint's credentials and still carries the
// delegation header, so that another imgcdn whose edge key is registered here authorizes it
// as the OAI, or as CloudFront for this distribution (aws:SourceArn). An OAC whose signing
// behaviour is never still sends unsigned requests, as CloudFront does.
//
// The edge calls it after TargetFor, for the S3 origins whose DomainName is registered; the
// target stops being a bucket of this installation even if its DomainName has that form.
func (t Target) WithEndpoint(e distrib.OriginEndpoint) (Target, error) {
	if !t.S3 {
		return Target{}, fmt.Errorf("%w: endpoint %s is for S3 origins; %s is a custom origin", ErrInvalidTarget, e.Domain, t.Domain)
	}
	u, err := url.Parse(e.Endpoint)
	if err != nil || (u.Scheme != SchemeHTTP && u.Scheme != SchemeHTTPS) || u.Host == "" {
		return Target{}, fmt.Errorf("%w: endpoint %q of %s is not an http(s):// URL", ErrInvalidTarget, e.Endpoint, e.Domain)
	}
	if e.Bucket == "" {
		return Target{}, fmt.Errorf("%w: endpoint of %s names no bucket", ErrInvalidTarget, e.Domain)
	}
	if !e.PathStyle && net.ParseIP(strings.Trim(u.Hostname(), "[]")) != nil {
		return Target{}, fmt.Errorf("%w: endpoint %s of %s is an IP address: a bucket can only be addressed path-style on it", ErrInvalidTarget, e.Endpoint, e.Domain)
	}
	if e.AccessKeyID == "" || e.SecretAccessKey == "" {
		return Target{}, fmt.Errorf("%w: endpoint of %s has no credentials", ErrInvalidTarget, e.Domain)
	}
	t.Local, t.Scheme, t.Domain = false, u.Scheme, strings.ToLower(u.Host)
	t.Bucket, t.PathStyle = e.Bucket, e.PathStyle
	t.Credentials = &Credentials{AccessKeyID: e.AccessKeyID, SecretAccessKey: e.SecretAccessKey, Region: e.Region}
	return t, nil
}
