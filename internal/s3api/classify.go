package s3api

import (
	"net/http"
	"net/url"
)

// subresource pairs a query parameter with the operation it selects. The lists below are in
// the order they are tried; they follow the request syntax of each operation in the Amazon S3
// API Reference (and botocore's service model, whose requestUri names the sub-resource).
type subresource struct {
	param string
	op    Op
}

var (
	bucketGet = []subresource{
		{"uploads", OpListMultipartUploads},
		{"location", OpGetBucketLocation},
		{"versioning", OpGetBucketVersioning},
		{"versions", OpListObjectVersions},
		{"acl", OpGetBucketAcl},
		{"policy", OpGetBucketPolicy},
		{"policyStatus", OpGetBucketPolicyStatus},
		{"tagging", OpGetBucketTagging},
		{"encryption", OpGetBucketEncryption},
		{"lifecycle", OpGetBucketLifecycleConfiguration},
		{"cors", OpGetBucketCors},
		{"website", OpGetBucketWebsite},
		{"publicAccessBlock", OpGetPublicAccessBlock},
		{"ownershipControls", OpGetBucketOwnershipControls},
		{"logging", OpGetBucketLogging},
		{"notification", OpGetBucketNotificationConfiguration},
		{"replication", OpGetBucketReplication},
		{"object-lock", OpGetObjectLockConfiguration},
		{"accelerate", OpGetBucketAccelerateConfiguration},
		{"requestPayment", OpGetBucketRequestPayment},
		{"analytics", OpGetBucketAnalyticsConfiguration},
		{"inventory", OpGetBucketInventoryConfiguration},
		{"metrics", OpGetBucketMetricsConfiguration},
		{"intelligent-tiering", OpGetBucketIntelligentTieringConfiguration},
		{"metadataConfiguration", OpGetBucketMetadataConfiguration},
		{"metadataTable", OpGetBucketMetadataConfiguration},
		{"abac", OpGetBucketAbac},
		{"session", OpCreateSession},
	}
	bucketPut = []subresource{
		{"versioning", OpPutBucketVersioning},
		{"acl", OpPutBucketAcl},
		{"policy", OpPutBucketPolicy},
		{"tagging", OpPutBucketTagging},
		{"encryption", OpPutBucketEncryption},
		{"lifecycle", OpPutBucketLifecycleConfiguration},
		{"cors", OpPutBucketCors},
		{"website", OpPutBucketWebsite},
		{"publicAccessBlock", OpPutPublicAccessBlock},
		{"ownershipControls", OpPutBucketOwnershipControls},
		{"logging", OpPutBucketLogging},
		{"notification", OpPutBucketNotificationConfiguration},
		{"replication", OpPutBucketReplication},
		{"object-lock", OpPutObjectLockConfiguration},
		{"accelerate", OpPutBucketAccelerateConfiguration},
		{"requestPayment", OpPutBucketRequestPayment},
		{"analytics", OpPutBucketAnalyticsConfiguration},
		{"inventory", OpPutBucketInventoryConfiguration},
		{"metrics", OpPutBucketMetricsConfiguration},
		{"intelligent-tiering", OpPutBucketIntelligentTieringConfiguration},
		{"metadataInventoryTable", OpUpdateBucketMetadataConfiguration},
		{"metadataJournalTable", OpUpdateBucketMetadataConfiguration},
		{"abac", OpPutBucketAbac},
	}
	bucketDelete = []subresource{
		{"policy", OpDeleteBucketPolicy},
		{"tagging", OpDeleteBucketTagging},
		{"encryption", OpDeleteBucketEncryption},
		{"lifecycle", OpDeleteBucketLifecycle},
		{"cors", OpDeleteBucketCors},
		{"website", OpDeleteBucketWebsite},
		{"publicAccessBlock", OpDeletePublicAccessBlock},
		{"ownershipControls", OpDeleteBucketOwnershipControls},
		{"replication", OpDeleteBucketReplication},
		{"analytics", OpDeleteBucketAnalyticsConfiguration},
		{"inventory", OpDeleteBucketInventoryConfiguration},
		{"metrics", OpDeleteBucketMetricsConfiguration},
		{"intelligent-tiering", OpDeleteBucketIntelligentTieringConfiguration},
		{"metadataConfiguration", OpDeleteBucketMetadataConfiguration},
		{"metadataTable", OpDeleteBucketMetadataConfiguration},
	}
	bucketPost = []subresource{
		{"delete", OpDeleteObjects},
		{"metadataConfiguration", OpCreateBucketMetadataConfiguration},
		{"metadataTable", OpCreateBucketMetadataConfiguration},
	}
	objectGet = []subresource{
		{"uploadId", OpListParts},
		{"acl", OpGetObjectAcl},
		{"tagging", OpGetObjectTagging},
		{"retention", OpGetObjectRetention},
		{"legal-hold", OpGetObjectLegalHold},
		{"attributes", OpGetObjectAttributes},
		{"torrent", OpGetObjectTorrent},
	}
	objectPut = []subresource{
		{"acl", OpPutObjectAcl},
		{"tagging", OpPutObjectTagging},
		{"retention", OpPutObjectRetention},
		{"legal-hold", OpPutObjectLegalHold},
		{"renameObject", OpRenameObject},
		{"encryption", OpUpdateObjectEncryption},
	}
	objectDelete = []subresource{
		{"uploadId", OpAbortMultipartUpload},
		{"tagging", OpDeleteObjectTagging},
	}
	objectPost = []subresource{
		{"uploads", OpCreateMultipartUpload},
		{"uploadId", OpCompleteMultipartUpload},
		{"restore", OpRestoreObject},
		{"select", OpSelectObjectContent},
	}
)

func pick(list []subresource, q url.Values) (Op, bool) {
	for _, s := range list {
		if _, ok := q[s.param]; ok {
			return s.op, true
		}
	}
	return OpUnknown, false
}

// Classify maps a request to its operation. It is pure: it looks only at its arguments (the
// method, the bucket and key parsed from the host and path, the query and the headers), so
// the whole S3 routing table is tested without a server.
//
// Query parameters that are not sub-resources (x-id, which the AWS SDKs add, presigning
// parameters, list options) do not change the operation. Requests no operation matches are
// answered MethodNotAllowed.
func Classify(method, bucket, key string, query url.Values, header http.Header) (Op, error) {
	if bucket == "" {
		if method == http.MethodGet {
			return OpListBuckets, nil
		}
		return OpUnknown, newError(codeMethodNotAllowed)
	}
	if key == "" {
		return classifyBucket(method, query)
	}
	return classifyObject(method, query, header)
}

func classifyBucket(method string, q url.Values) (Op, error) {
	switch method {
	case http.MethodGet:
		if op, ok := pick(bucketGet, q); ok {
			return op, nil
		}
		if _, ok := q["list-type"]; ok {
			if q.Get("list-type") != "2" {
				return OpUnknown, invalidArgument("Invalid List Type specified in Request", "list-type", q.Get("list-type"))
			}
			return OpListObjectsV2, nil
		}
		return OpListObjects, nil
	case http.MethodHead:
		return OpHeadBucket, nil
	case http.MethodPut:
		if op, ok := pick(bucketPut, q); ok {
			return op, nil
		}
		return OpCreateBucket, nil
	case http.MethodDelete:
		if op, ok := pick(bucketDelete, q); ok {
			return op, nil
		}
		return OpDeleteBucket, nil
	case http.MethodPost:
		if op, ok := pick(bucketPost, q); ok {
			return op, nil
		}
		// A POST to the bucket itself is a browser-based upload (HTML form).
		return OpPostObject, nil
	case http.MethodOptions:
		return OpUnknown, notImplemented("CORS preflight (OPTIONS)")
	}
	return OpUnknown, newError(codeMethodNotAllowed)
}

func classifyObject(method string, q url.Values, h http.Header) (Op, error) {
	switch method {
	case http.MethodGet:
		if op, ok := pick(objectGet, q); ok {
			return op, nil
		}
		return OpGetObject, nil
	case http.MethodHead:
		return OpHeadObject, nil
	case http.MethodPut:
		_, copying := h["X-Amz-Copy-Source"]
		if _, ok := q["uploadId"]; ok {
			if copying {
				return OpUploadPartCopy, nil
			}
			return OpUploadPart, nil
		}
		if op, ok := pick(objectPut, q); ok {
			return op, nil
		}
		if copying {
			return OpCopyObject, nil
		}
		return OpPutObject, nil
	case http.MethodDelete:
		if op, ok := pick(objectDelete, q); ok {
			return op, nil
		}
		return OpDeleteObject, nil
	case http.MethodPost:
		if op, ok := pick(objectPost, q); ok {
			return op, nil
		}
	case http.MethodOptions:
		return OpUnknown, notImplemented("CORS preflight (OPTIONS)")
	}
	return OpUnknown, newError(codeMethodNotAllowed)
}
