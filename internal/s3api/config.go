package s3api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/imgcdn/imgcdn/internal/objstore"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Defaults for the Config limits. They are AWS's documented limits unless said otherwise.
const (
	// DefaultMaxObjectSize is the largest single PUT, UploadPart and copy source: 5 GiB
	// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html).
	DefaultMaxObjectSize = objstore.MaxPartSize
	// DefaultMaxXMLBodySize bounds the XML request bodies we parse (CreateBucketConfiguration,
	// Delete, CompleteMultipartUpload). AWS does not publish a figure; 4 MiB holds a complete
	// request for 10,000 parts with SHA-256 checksums (about 2 MiB) and a Delete of 1,000
	// maximal keys, and keeps the memory a hostile client can pin per request small.
	DefaultMaxXMLBodySize = 4 << 20
	// DefaultMaxDeleteObjects is the most keys one DeleteObjects request may name.
	DefaultMaxDeleteObjects = 1000
)

// Owner is the installation's single AWS-style account. It is reported wherever S3 reports an
// owner or initiator (ListBuckets, ListObjects with fetch-owner, ListParts, ACLs).
type Owner struct {
	// AccountID is the 12-digit account number (as in ARNs and x-amz-expected-bucket-owner).
	AccountID string
	// CanonicalID is the 64-hex-digit canonical user id S3 puts in <Owner><ID>.
	CanonicalID string
	// DisplayName is shown next to the canonical id.
	DisplayName string
}

// Validate reports whether the ids have S3's shapes.
func (o Owner) Validate() error {
	if len(o.AccountID) != 12 || strings.Trim(o.AccountID, "0123456789") != "" {
		return fmt.Errorf("s3api: Owner.AccountID %q must be 12 decimal digits", o.AccountID)
	}
	if len(o.CanonicalID) != 64 || strings.Trim(o.CanonicalID, "0123456789abcdef") != "" {
		return fmt.Errorf("s3api: Owner.CanonicalID %q must be 64 lower-case hex digits", o.CanonicalID)
	}
	if o.DisplayName == "" {
		return errors.New("s3api: Owner.DisplayName is empty")
	}
	return nil
}

// Config configures a Server. Zero values of optional fields mean the documented default.
type Config struct {
	// Store holds buckets, objects and multipart uploads. Required. The Server does not close
	// it: whoever opened it does.
	Store objstore.Store

	// Verifier checks SigV4 header and query (presigned) signatures and tells anonymous
	// requests apart. Required.
	Verifier *sigv4.Verifier

	// Owner is the account reported as owner and initiator. Required; internal/auth's Account has the
	// values.
	Owner Owner

	// Region is the installation's default region: buckets created without a
	// LocationConstraint live there, and it plays the part of AWS's us-east-1 "global
	// endpoint" in CreateBucket's LocationConstraint rules. Default "us-east-1".
	Region string

	// VirtualHostSuffixes are the host names under which virtual-hosted-style requests
	// arrive: with "s3.localhost", Host "photos.s3.localhost:9000" addresses bucket "photos".
	// Any other Host (including a suffix itself, or an IP address) is path style. Compared
	// case-insensitively, without port.
	VirtualHostSuffixes []string

	// Principals tells who an access key acts for: the account root, a user of the account,
	// a CloudFront origin access identity or a service principal (internal/auth's Keyring
	// implements it). Default: every key the Verifier accepts acts as the account root, which
	// is right for an installation with the root pair only.
	Principals Principals

	// Authorizer decides whether a request may perform its operation; every request goes
	// through it before its handler runs (see Server.authorize). Default: the policy-aware
	// authorizer, which applies the bucket policy, Block Public Access, Object Ownership and
	// the canned ACLs of buckets and objects as S3 does (see authorizer.go). A custom
	// Authorizer replaces all of that.
	Authorizer Authorizer

	// TrustedProxies are the networks of reverse proxies allowed to name the client in
	// X-Forwarded-For. A request arriving from one of them has, as its aws:SourceIp in bucket
	// policies, the nearest X-Forwarded-For address that is not itself a trusted proxy; any
	// other request has its connection's remote address, and X-Forwarded-For is ignored,
	// because a client can send anything there. Default: none.
	TrustedProxies []netip.Prefix

	// Logger receives one record per failed request at Debug (client errors) or Error (server
	// errors) level, tagged with the request id. Secrets are never logged. Default: discard.
	Logger *slog.Logger

	// Now is the clock, for tests. Default time.Now.
	Now func() time.Time

	// MaxObjectSize is the largest single PutObject, UploadPart or copy source, in bytes.
	// Default DefaultMaxObjectSize (5 GiB).
	MaxObjectSize int64

	// MaxXMLBodySize is the largest XML request body accepted, in bytes. Default
	// DefaultMaxXMLBodySize.
	MaxXMLBodySize int64

	// MaxDeleteObjects is the most keys a DeleteObjects request may name. Default 1000.
	MaxDeleteObjects int
}

// withDefaults returns a copy of c with every unset optional field set to its default.
func (c Config) withDefaults() Config {
	if c.Region == "" {
		c.Region = objstore.DefaultRegion
	}
	if c.Principals == nil {
		c.Principals = newRootPrincipals(c.Owner)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.MaxObjectSize == 0 {
		c.MaxObjectSize = DefaultMaxObjectSize
	}
	if c.MaxXMLBodySize == 0 {
		c.MaxXMLBodySize = DefaultMaxXMLBodySize
	}
	if c.MaxDeleteObjects == 0 {
		c.MaxDeleteObjects = DefaultMaxDeleteObjects
	}
	return c
}

// Validate reports the first configuration mistake. Unset optional fields are fine.
func (c Config) Validate() error {
	if c.Store == nil {
		return errors.New("s3api: Config.Store is required")
	}
	if c.Verifier == nil {
		return errors.New("s3api: Config.Verifier is required")
	}
	if err := c.Owner.Validate(); err != nil {
		return err
	}
	if c.Region != "" && !validRegion(c.Region) {
		return fmt.Errorf("s3api: Config.Region %q is not a region name like us-east-1", c.Region)
	}
	for _, s := range c.VirtualHostSuffixes {
		if s == "" || strings.HasPrefix(s, ".") || strings.ContainsAny(s, ":/ ") {
			return fmt.Errorf("s3api: Config.VirtualHostSuffixes entry %q must be a bare host name like s3.localhost", s)
		}
	}
	for _, p := range c.TrustedProxies {
		if !p.IsValid() {
			return fmt.Errorf("s3api: Config.TrustedProxies entry %v is not a network like 10.0.0.0/8", p)
		}
	}
	if c.MaxObjectSize < 0 || c.MaxObjectSize > objstore.MaxObjectSize {
		return fmt.Errorf("s3api: Config.MaxObjectSize %d out of range", c.MaxObjectSize)
	}
	if c.MaxXMLBodySize < 0 {
		return fmt.Errorf("s3api: Config.MaxXMLBodySize %d is negative", c.MaxXMLBodySize)
	}
	if c.MaxDeleteObjects < 0 {
		return fmt.Errorf("s3api: Config.MaxDeleteObjects %d is negative", c.MaxDeleteObjects)
	}
	return nil
}

// validRegion accepts AWS-shaped region names (us-east-1, eu-central-2, us-gov-west-1) and
// any other lower-case name of letters, digits and hyphens, for private installations.
func validRegion(r string) bool {
	if len(r) == 0 || len(r) > 32 || r[0] == '-' || r[len(r)-1] == '-' {
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
