package distrib

// OAIConfig is a CloudFrontOriginAccessIdentityConfig (API_CloudFrontOriginAccessIdentityConfig.html).
type OAIConfig struct {
	// CallerReference makes Create idempotent; it cannot change afterwards.
	CallerReference string `json:"callerReference"`
	Comment         string `json:"comment"`
}

// OAI is a CloudFront origin access identity: the principal an S3 origin's bucket policy
// grants ("CloudFront Origin Access Identity <Id>").
type OAI struct {
	ID string `json:"id"`
	// S3CanonicalUserID is auth.OAICanonicalID(ID), the grantee id S3 ACLs use.
	S3CanonicalUserID string    `json:"s3CanonicalUserId"`
	Config            OAIConfig `json:"config"`
	// ETag is the version If-Match names; it changes on every update.
	ETag string `json:"etag"`
}

// Signing protocols, behaviours and origin types of an origin access control
// (API_OriginAccessControlConfig.html).
const (
	SigningProtocolSigV4 = "sigv4"

	SigningAlways     = "always"
	SigningNever      = "never"
	SigningNoOverride = "no-override"

	// OriginTypeS3 is the only origin type imgcdn serves: its edge signs origin fetches to S3
	// (its own store or a remote one). mediastore, mediapackagev2 and lambda are AWS services
	// imgcdn has no counterpart for, so they are refused as InvalidArgument rather than stored
	// and silently never used.
	OriginTypeS3 = "s3"
)

// OACConfig is an OriginAccessControlConfig.
type OACConfig struct {
	Name            string `json:"name"`
	Description     string `json:"description"`
	SigningProtocol string `json:"signingProtocol"`
	SigningBehavior string `json:"signingBehavior"`
	OriginType      string `json:"originType"`
}

// OAC is an origin access control: how the edge signs its requests to an origin.
type OAC struct {
	ID     string    `json:"id"`
	Config OACConfig `json:"config"`
	ETag   string    `json:"etag"`
}

// Page asks for one page of a list: the items after Marker (an id; "" for the first page),
// at most MaxItems of them.
type Page struct {
	Marker   string
	MaxItems int
}

// List is one page of a list. NextMarker is the Marker of the next page when IsTruncated.
type List[T any] struct {
	Items       []T
	IsTruncated bool
	NextMarker  string
}
