// Package distrib holds the CloudFront control plane's domain objects and the Service that
// creates, reads, updates and deletes them durably: origin access identities (OAI) and origin
// access controls (OAC) and distributions; invalidations join through the same Store. A
// distribution's Status follows the edge nodes registered with RegisterEdge (edges.go).
//
// It knows nothing of HTTP or XML: internal/cfapi decodes requests into the Config types here
// and maps this package's sentinel errors to CloudFront's wire codes in one function.
//
// Semantics follow the CloudFront API reference (2020-05-31):
//   - API_CreateCloudFrontOriginAccessIdentity.html: CallerReference idempotency
//   - API_UpdateCloudFrontOriginAccessIdentity.html: If-Match with the ETag of the last Get
//   - API_CreateOriginAccessControl.html: names are unique per account
//   - API_CreateDistribution.html, API_UpdateDistribution.html: full config replace, If-Match,
//     CallerReference immutable; API_DeleteDistribution.html: disabled and deployed first
//   - cloudfront-limits.html: 100 OAIs and 100 OACs per account by default
package distrib
