// Package origin makes the edge's requests to origins, as CloudFront does
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorS3Origin.html
// and RequestAndResponseBehaviorCustomOrigin.html).
//
// TargetFor turns a distribution's origin into a Target once, when the edge loads the
// distribution; Fetcher.Fetch sends one request to a Target:
//
//   - S3 origins named <bucket>.s3.amazonaws.com or <bucket>.s3.<region>.amazonaws.com are
//     buckets of this installation: they are fetched path-style from Config.LocalS3 and, with
//     an origin access identity or an origin access control, SigV4-signed with the edge key
//     plus a delegation header the S3 API honours for edge keys only (auth.HeaderEdgeOAI,
//     auth.HeaderSourceARN). Other S3 endpoints are signed with Target.Credentials: the
//     edge points an S3 origin whose DomainName is registered (`imgcdn origins add`) at its
//     endpoint with Target.WithEndpoint, keeping any delegation header.
//   - Custom origins get the protocol policy, ports, OriginPath, custom headers, connection
//     and read timeouts and keep-alive of their CustomOriginConfig.
//
// Bodies are returned as the origin sends them, never buffered; redirects are returned, never
// followed; hop-by-hop headers are dropped both ways. One http.Transport per origin host and
// timeout settings keeps connections pooled per origin.
package origin
