// Package edge is the viewer-facing caching proxy: it routes a request by Host to a
// distribution, picks the cache behaviour by path pattern, serves what the cache holds
// (fresh, revalidated or, on a miss, fetched once from the origin while every concurrent
// viewer of the same key streams the same fill), and answers with CloudFront's headers
// (x-cache, age, via, x-amz-cf-pop, x-amz-cf-id) so that tools written for CloudFront work
// unchanged.
//
// The rules themselves live in leaves (internal/ttl for freshness, internal/pathpattern for
// behaviour precedence, internal/cachekey for cache keys and what reaches the origin); the
// bytes live in internal/edgecache and origin requests go through internal/origin. This
// package only composes them per request, so each rule is table-tested where it is defined.
package edge
