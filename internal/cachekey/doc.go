// Package cachekey builds the edge's cache key from a viewer request and decides what of that
// request reaches the origin, following CloudFront's cache key and forwarding rules.
//
// Sources, cited where each rule is implemented:
//   - CloudFront Developer Guide, "Controlling the cache key" (cache key settings: query strings,
//     headers and cookies with None / Whitelist / All-Except / All, and "Cache compressed
//     objects", the Accept-Encoding normalisation), for Policy, Key and NormalizeAcceptEncoding;
//   - "Caching content based on query string parameters", "Caching content based on request
//     headers" and "Caching content based on cookies" (names are case-sensitive for query
//     strings and cookies; cookie whitelists take the * and ? wildcards), for the selectors;
//   - "Request and response behavior for custom origins", table "HTTP request headers and
//     CloudFront behavior", for the headers that are never keyed or forwarded;
//   - "Serving compressed files" (content types, 1,000 to 10,000,000 bytes), for Compressible;
//   - RFC 9110 7.6.1 (hop-by-hop fields, Connection) and 12.5.3 (Accept-Encoding, q=0).
//
// What is not in the key is not sent to the origin either (with legacy ForwardedValues the
// forward policy is the key policy), so a request header the key ignores can never change the
// object stored under that key: unkeyed headers cannot poison the cache.
package cachekey
