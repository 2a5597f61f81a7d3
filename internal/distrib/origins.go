package distrib

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// OriginEndpoint says how the edge reaches an S3-compatible endpoint that is not this
// installation (another imgcdn, MinIO, Ceph, SeaweedFS, AWS) and which credentials it signs
// with (issue 5, "Origin fetches"). A distribution's S3 origin whose DomainName equals Domain
// is fetched from Endpoint's Bucket, SigV4-signed with the key pair; an origin access
// identity or control on that origin still adds its delegation header, so a foreign imgcdn
// whose edge key is registered here sees the OAI or the distribution's ARN.
//
// The credentials live in the control plane, never in a DistributionConfig: CloudFront's API
// has no field for them, and a GetDistributionConfig must not reveal them. The secret is
// sealed at rest with the installation's master key and reaches edges only over the
// authenticated sync channel (EdgeState).
type OriginEndpoint struct {
	// Domain is the S3 origin DomainName that selects this endpoint, in lower case without a
	// trailing dot ("photos.minio.local"). It wins over the <bucket>.s3.amazonaws.com rule
	// that names this installation's buckets, so an AWS bucket can be registered too.
	Domain string `json:"domain"`
	// Endpoint is the S3 API's base URL, http(s)://host[:port] without a path.
	Endpoint string `json:"endpoint"`
	// Bucket is the bucket fetched from.
	Bucket string `json:"bucket"`
	// PathStyle addresses the bucket as the first path segment (http://host/bucket/key), for
	// endpoints without a DNS name per bucket (MinIO or imgcdn on an IP address). Otherwise
	// requests go to <bucket>.<endpoint host> (virtual-hosted style).
	PathStyle bool `json:"pathStyle"`
	// Region is the SigV4 signing region; default DefaultOriginRegion.
	Region string `json:"region"`
	// AccessKeyID and SecretAccessKey sign the fetches. The secret is never returned by
	// ListOriginEndpoints; EdgeState carries it to edges.
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey,omitempty"`
	// LastModifiedTime is when the endpoint was last put.
	LastModifiedTime time.Time `json:"lastModifiedTime"`
}

// Limits of OriginEndpoint.
const (
	// DefaultOriginRegion is OriginEndpoint.Region when none is given.
	DefaultOriginRegion = "us-east-1"
	// MaxOriginEndpoints bounds how many endpoints may be registered.
	MaxOriginEndpoints = 100
	// maxKeyLen bounds access key ids and secrets (AWS's are 20 and 40 characters; other
	// stores use longer ones).
	maxKeyLen = 256
)

// Errors of origin endpoints.
var (
	// ErrNoSuchOriginEndpoint: no endpoint is registered for the domain (404).
	ErrNoSuchOriginEndpoint = errors.New("distrib: no origin endpoint is registered for this domain; see `imgcdn origins list`")
	// ErrOriginEndpointInUse: a distribution's S3 origin names the domain (409).
	ErrOriginEndpointInUse = errors.New("distrib: a distribution's S3 origin uses this endpoint; change or delete the distribution first")
	// ErrTooManyOriginEndpoints: MaxOriginEndpoints are registered (400).
	ErrTooManyOriginEndpoints = errors.New("distrib: the maximum number of origin endpoints is reached; delete unused ones")
	// ErrNoSecretKey: the Service has no Config.SecretKey to seal credentials with (500).
	ErrNoSecretKey = errors.New("distrib: the control plane has no master key to seal origin credentials with")
)

// Normalize returns e with Domain in lower case, Endpoint as scheme://host[:port] and the
// default Region filled in.
func (e OriginEndpoint) Normalize() OriginEndpoint {
	e.Domain = normalizeOriginDomain(e.Domain)
	e.Endpoint = strings.TrimSuffix(strings.TrimSpace(e.Endpoint), "/")
	if u, err := url.Parse(e.Endpoint); err == nil && u.Host != "" && u.User == nil && u.Path == "" && u.RawQuery == "" && u.Fragment == "" {
		e.Endpoint = strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
	}
	if e.Region == "" {
		e.Region = DefaultOriginRegion
	}
	return e
}

// normalizeOriginDomain is the form both registrations and S3 origins are compared in.
func normalizeOriginDomain(d string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
}

// Validate reports the first field of a normalized endpoint that cannot work, as an
// *InvalidArgumentError naming the `imgcdn origins add` flag.
func (e OriginEndpoint) Validate() error {
	if !validHostname(e.Domain) || strings.Contains(e.Domain, "_") {
		return InvalidArgument("domain", fmt.Sprintf("%q is not a DNS name; give the S3 origin's DomainName", e.Domain))
	}
	u, err := url.Parse(e.Endpoint)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return InvalidArgument("endpoint", fmt.Sprintf("%q must be http://host[:port] or https://host[:port]", e.Endpoint))
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/"):
		return InvalidArgument("endpoint", fmt.Sprintf("%q must have no user, path, query or fragment", e.Endpoint))
	case !validOriginHost(u.Hostname()):
		return InvalidArgument("endpoint", fmt.Sprintf("%q does not name a host", e.Endpoint))
	case !validBucketName(e.Bucket):
		return InvalidArgument("bucket", fmt.Sprintf("%q is not an S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-')", e.Bucket))
	case !e.PathStyle && strings.Contains(e.Bucket, ".") && u.Scheme == "https":
		// A dotted bucket's virtual host name does not match the endpoint's wildcard
		// certificate (AWS's "Virtual hosting of buckets", VirtualHosting.html).
		return InvalidArgument("bucket", fmt.Sprintf("%q holds dots: use --path-style with an https endpoint", e.Bucket))
	case !validRegionName(e.Region):
		return InvalidArgument("region", fmt.Sprintf("%q is not a region name such as us-east-1", e.Region))
	case !validKeyText(e.AccessKeyID) || strings.ContainsAny(e.AccessKeyID, "/,="):
		// '/', ',' and '=' would end the id inside the SigV4 Credential field.
		return InvalidArgument("access-key", "must be 1 to 256 printable ASCII characters without spaces, '/', ',' or '='")
	case !validKeyText(e.SecretAccessKey):
		return InvalidArgument("secret-key", "must be 1 to 256 printable ASCII characters without spaces")
	}
	return nil
}

// validBucketName checks S3's bucket naming rules that matter for addressing
// (bucketnamingrules.html): 3 to 63 characters, lower-case letters, digits, dots and
// hyphens, starting and ending with a letter or digit.
func validBucketName(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (c != '.' && c != '-' || i == 0 || i == len(b)-1) {
			return false
		}
	}
	return !strings.Contains(b, "..")
}

// validRegionName accepts names shaped like AWS regions.
func validRegionName(r string) bool {
	if r == "" || len(r) > 32 {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validKeyText accepts visible ASCII: what fits in a SigV4 Credential and an HMAC key.
func validKeyText(s string) bool {
	if s == "" || len(s) > maxKeyLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
