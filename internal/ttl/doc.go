// Package ttl decides how long the edge keeps a response, following CloudFront's rules, and
// computes the ages and freshness the edge reports.
//
// Sources, cited where each rule is implemented:
//   - CloudFront Developer Guide, "Manage how long content stays in the cache (expiration)",
//     section "Specifying the amount of time that CloudFront caches objects" (the table of
//     Minimum TTL = 0 / Minimum TTL > 0 against max-age, s-maxage, Expires, no-cache, no-store
//     and private), for Decide;
//   - "Values that you specify when you create or update a distribution" (Minimum, Maximum and
//     Default TTL, with their defaults), for Defaults;
//   - "How CloudFront processes HTTP 3xx status codes from your origin" and "How CloudFront
//     processes HTTP 4xx and 5xx status codes from your origin" (which statuses are cached, the
//     error caching minimum TTL with its 10-second default), for Decide, DecideError, ErrorTTL;
//   - RFC 9111 (HTTP Caching): 1.2.2 delta-seconds, 4.2.1 freshness lifetime, 4.2.3 age
//     calculation, 5.2 Cache-Control, 5.3 Expires; RFC 5861 stale-while-revalidate and
//     stale-if-error, which CloudFront honours since May 2023.
//
// Everything here is a pure function of its arguments: no clock is read, so callers pass now.
package ttl
