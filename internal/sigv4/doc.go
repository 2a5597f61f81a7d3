// Package sigv4 verifies AWS Signature Version 4 on incoming HTTP requests, the way Amazon S3
// does: the Authorization header, presigned query strings, and the aws-chunked streaming
// payloads (signed chunks, signed and unsigned trailing headers). It also verifies S3's legacy
// Signature Version 2, because the aws CLI v1 presigns URLs with it.
//
// It is a stdlib-only leaf: it knows nothing of buckets or XML. The S3 layer maps the sentinel
// errors of this package to wire codes in one place.
//
// References (AWS S3 API reference, "Authenticating Requests (AWS Signature Version 4)"):
//   - sig-v4-header-based-auth.html: Signature Calculations for the Authorization Header
//   - sigv4-query-string-auth.html: Authenticating Requests: Using Query Parameters
//   - sigv4-streaming.html: Transfer Payload in Multiple Chunks (Chunked Upload)
//   - sigv4-streaming-trailers.html: Including Trailing Headers (Chunked Upload)
//   - IAM user guide, create-signed-request.html: the canonical request
//   - RESTAuthentication.html: Signature Version 2
package sigv4
