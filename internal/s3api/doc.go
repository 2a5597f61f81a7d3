// Package s3api serves the Amazon S3 REST API (2006-03-01) over an objstore.Store.
//
// Every request goes through the same steps, in this order (see Server.ServeHTTP):
//
//  1. a request id is assigned and echoed as x-amz-request-id / x-amz-id-2 on every answer;
//  2. the bucket and key are taken from the Host (virtual-hosted style) or the path (path
//     style); the path is decoded exactly once, because keys are data;
//  3. the SigV4 signature is verified (internal/sigv4) and the access key resolved to the
//     principal it acts for (Config.Principals: the root, a user, an OAI, a service);
//  4. Classify, one pure function, maps method + bucket + key + query + headers to a typed
//     Op, which carries its IAM action name (ActionFor adds the version-specific ones);
//  5. Server.authorize asks the Authorizer, before anything is read or written on the
//     request's behalf. The default one (authorizer.go) applies the bucket policy, Block
//     Public Access, Object Ownership and canned ACLs as S3 does;
//  6. the Op's handler runs and returns a response or an error; one function writes XML and
//     one function (toAPIError, errors.go) maps every domain, signature and checksum error to
//     an S3 error code and HTTP status.
//
// Bucket settings (policy, default encryption, Block Public Access, ACL, Object Ownership)
// are kept in the store's per-bucket configurations in formats this package owns, and their
// parsed forms are cached next to the stored bytes (bucketconfig.go).
//
// Operations this package does not implement are still classified, authorized and answered
// with 501 NotImplemented in S3's XML error format: never a crash, never a wrong 200.
//
// References: Amazon S3 API Reference (https://docs.aws.amazon.com/AmazonS3/latest/API/),
// and botocore's service model (botocore/data/s3/2006-03-01/service-2.json), which pins the
// exact XML element names and header names clients parse.
package s3api
