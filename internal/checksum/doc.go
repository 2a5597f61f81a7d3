// Package checksum implements S3's additional checksums ("Checking object integrity" in the
// Amazon S3 User Guide): the x-amz-checksum-* request headers and trailers, a reader that
// verifies a body while it streams, and the checksums of multipart objects, COMPOSITE
// (a checksum of the part checksums, "-N" suffixed) and FULL_OBJECT (the CRC of the whole
// object, combined from the part CRCs and lengths).
//
// Values travel base64-encoded (standard alphabet, padded) as S3 sends them. It is a
// stdlib-only leaf: the S3 layer maps its sentinel errors to wire codes.
package checksum
