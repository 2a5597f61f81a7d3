package distrib

import "errors"

// Sentinel errors of distributions. Each names the CloudFront error code cfapi answers with
// (botocore's model, the errors of CreateDistribution, UpdateDistribution and
// DeleteDistribution).
var (
	// ErrNoSuchDistribution: 404 NoSuchDistribution.
	ErrNoSuchDistribution = errors.New("distrib: the specified distribution does not exist")
	// ErrDistributionAlreadyExists: a CallerReference reused with another config
	// (409 DistributionAlreadyExists).
	ErrDistributionAlreadyExists = errors.New("distrib: the caller reference is already used by a distribution with a different configuration")
	// ErrTooManyDistributions: 400 TooManyDistributions.
	ErrTooManyDistributions = errors.New("distrib: the maximum number of distributions is reached; delete unused ones")
	// ErrDistributionNotDisabled: delete of an enabled, or not yet deployed, distribution
	// (409 DistributionNotDisabled).
	ErrDistributionNotDisabled = errors.New("distrib: the distribution must be disabled and deployed before it can be deleted; update it with Enabled=false and wait for Deployed")
	// ErrNoSuchOrigin: a cache behavior's TargetOriginId names no origin (404 NoSuchOrigin).
	ErrNoSuchOrigin = errors.New("distrib: a cache behavior's TargetOriginId names no origin or origin group of the distribution")
	// ErrInvalidOAIRef: S3OriginConfig.OriginAccessIdentity is malformed or names no identity
	// (400 InvalidOriginAccessIdentity).
	ErrInvalidOAIRef = errors.New("distrib: S3OriginConfig.OriginAccessIdentity must be empty or origin-access-identity/cloudfront/<id> of an existing origin access identity")
	// ErrInvalidOACRef: OriginAccessControlId names no control (400 InvalidOriginAccessControl).
	ErrInvalidOACRef = errors.New("distrib: OriginAccessControlId names no origin access control")
	// ErrTooManyOrigins: more than MaxOrigins origins (400 TooManyOrigins).
	ErrTooManyOrigins = errors.New("distrib: a distribution has at most 25 origins")
	// ErrCNAMEAlreadyExists: an alias belongs to another distribution (409 CNAMEAlreadyExists).
	ErrCNAMEAlreadyExists = errors.New("distrib: one of the aliases (CNAMEs) already belongs to another distribution")
	// ErrInvalidViewerCertificate: 400 InvalidViewerCertificate.
	ErrInvalidViewerCertificate = errors.New("distrib: ViewerCertificate must set CloudFrontDefaultCertificate=true, or one of ACMCertificateArn and IAMCertificateId with SSLSupportMethod")
	// ErrInvalidDefaultRootObject: 400 InvalidDefaultRootObject.
	ErrInvalidDefaultRootObject = errors.New("distrib: DefaultRootObject must be an object name without a leading slash, at most 255 characters")
	// ErrNoSuchEdge: MarkApplied by a node that is not registered.
	ErrNoSuchEdge = errors.New("distrib: the edge node is not registered")
)
