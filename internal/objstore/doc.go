// Package objstore defines imgcdn's object-storage domain: buckets, objects, multipart uploads,
// the sentinel errors every implementation returns, and the small interfaces the S3 API layer
// is written against.
//
// The package knows nothing of HTTP, XML or S3 error codes: the API layer maps the sentinel
// errors below to wire codes in exactly one place (internal/s3api). Implementations live in
// sub-packages (disk is the embedded default) and must all pass the shared conformance suite in
// objstore/storetest.
package objstore
