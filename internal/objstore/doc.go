// Package objstore defines imgcdn's object-storage domain: buckets, objects and their
// versions, multipart uploads, per-bucket configuration documents, the sentinel errors every
// implementation returns, and the small interfaces the S3 API layer is written against.
//
// Versioning follows the S3 user guide ("Working with objects in a versioning-enabled
// bucket", "... versioning-suspended bucket", "Deleting object versions"); server-side
// encryption is SSE-S3 ("Using server-side encryption with Amazon S3 managed keys"), with the
// primitives of internal/crypt. Configuration documents (bucket policy, default encryption,
// Block Public Access, ACLs, ...) are kept as opaque bytes whose format the API layer owns.
//
// The package knows nothing of HTTP, XML or S3 error codes: the API layer maps the sentinel
// errors below to wire codes in exactly one place (internal/s3api). Implementations live in
// sub-packages (disk is the embedded default) and must all pass the shared conformance suite in
// objstore/storetest.
package objstore
