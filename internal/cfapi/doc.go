// Package cfapi serves the CloudFront control API (REST/XML, version 2020-05-31) on imgcdn's
// API port, for the aws CLI and SDKs pointed there with --endpoint-url. So far it covers
// origin access identities, origin access controls, distributions and invalidations; every
// other CloudFront operation answers 501 NotImplemented in CloudFront's error shape.
//
// A request is verified as SigV4 (service "cloudfront"), allowed for the account root only,
// classified into an operation by one pure function (route), handled into a response or an
// error, and written by one function; errors map to CloudFront's codes in errorFor.
//
// Shapes follow botocore's model of the API (botocore/data/cloudfront/2020-05-31/service-2.json)
// and the CloudFront API reference (API_Operations_Amazon_CloudFront.html).
package cfapi
