package s3api

import (
	"net/http"
	"net/url"
	"testing"
)

// TestClassify maps requests, taken from the "Request Syntax" and examples of each operation
// in the Amazon S3 API Reference, to operations and IAM actions.
func TestClassify(t *testing.T) {
	tests := []struct {
		method, target string // target is "/bucket/key?query" in path style
		header         http.Header
		want           Op
		action         string
	}{
		// Service.
		{"GET", "/", nil, OpListBuckets, "s3:ListAllMyBuckets"},
		{"GET", "/?max-buckets=10&prefix=a&x-id=ListBuckets", nil, OpListBuckets, "s3:ListAllMyBuckets"},
		// Buckets.
		{"PUT", "/examplebucket", nil, OpCreateBucket, "s3:CreateBucket"},
		{"HEAD", "/examplebucket", nil, OpHeadBucket, "s3:ListBucket"},
		{"DELETE", "/examplebucket", nil, OpDeleteBucket, "s3:DeleteBucket"},
		{"GET", "/examplebucket?location", nil, OpGetBucketLocation, "s3:GetBucketLocation"},
		{"GET", "/examplebucket", nil, OpListObjects, "s3:ListBucket"},
		{"GET", "/examplebucket?marker=a&max-keys=2&prefix=p", nil, OpListObjects, "s3:ListBucket"},
		{"GET", "/examplebucket?list-type=2", nil, OpListObjectsV2, "s3:ListBucket"},
		{"GET", "/examplebucket?list-type=2&max-keys=3&prefix=E&start-after=ExampleGuide.pdf", nil, OpListObjectsV2, "s3:ListBucket"},
		{"GET", "/examplebucket/?list-type=2&delimiter=%2F&encoding-type=url", nil, OpListObjectsV2, "s3:ListBucket"},
		{"GET", "/examplebucket?versions", nil, OpListObjectVersions, "s3:ListBucketVersions"},
		{"GET", "/examplebucket?uploads", nil, OpListMultipartUploads, "s3:ListBucketMultipartUploads"},
		{"GET", "/examplebucket?uploads&max-uploads=3", nil, OpListMultipartUploads, "s3:ListBucketMultipartUploads"},
		{"POST", "/examplebucket?delete", nil, OpDeleteObjects, "s3:DeleteObject"},
		{"POST", "/examplebucket", nil, OpPostObject, "s3:PutObject"},
		{"GET", "/examplebucket?versioning", nil, OpGetBucketVersioning, "s3:GetBucketVersioning"},
		{"PUT", "/examplebucket?versioning", nil, OpPutBucketVersioning, "s3:PutBucketVersioning"},
		{"GET", "/examplebucket?acl", nil, OpGetBucketAcl, "s3:GetBucketAcl"},
		{"PUT", "/examplebucket?acl", nil, OpPutBucketAcl, "s3:PutBucketAcl"},
		{"GET", "/examplebucket?policy", nil, OpGetBucketPolicy, "s3:GetBucketPolicy"},
		{"PUT", "/examplebucket?policy", nil, OpPutBucketPolicy, "s3:PutBucketPolicy"},
		{"DELETE", "/examplebucket?policy", nil, OpDeleteBucketPolicy, "s3:DeleteBucketPolicy"},
		{"GET", "/examplebucket?policyStatus", nil, OpGetBucketPolicyStatus, "s3:GetBucketPolicyStatus"},
		{"GET", "/examplebucket?tagging", nil, OpGetBucketTagging, "s3:GetBucketTagging"},
		{"PUT", "/examplebucket?tagging", nil, OpPutBucketTagging, "s3:PutBucketTagging"},
		{"DELETE", "/examplebucket?tagging", nil, OpDeleteBucketTagging, "s3:PutBucketTagging"},
		{"GET", "/examplebucket?encryption", nil, OpGetBucketEncryption, "s3:GetEncryptionConfiguration"},
		{"PUT", "/examplebucket?encryption", nil, OpPutBucketEncryption, "s3:PutEncryptionConfiguration"},
		{"DELETE", "/examplebucket?encryption", nil, OpDeleteBucketEncryption, "s3:PutEncryptionConfiguration"},
		{"GET", "/examplebucket?lifecycle", nil, OpGetBucketLifecycleConfiguration, "s3:GetLifecycleConfiguration"},
		{"PUT", "/examplebucket?lifecycle", nil, OpPutBucketLifecycleConfiguration, "s3:PutLifecycleConfiguration"},
		{"DELETE", "/examplebucket?lifecycle", nil, OpDeleteBucketLifecycle, "s3:PutLifecycleConfiguration"},
		{"GET", "/examplebucket?cors", nil, OpGetBucketCors, "s3:GetBucketCORS"},
		{"PUT", "/examplebucket?cors", nil, OpPutBucketCors, "s3:PutBucketCORS"},
		{"DELETE", "/examplebucket?cors", nil, OpDeleteBucketCors, "s3:PutBucketCORS"},
		{"GET", "/examplebucket?website", nil, OpGetBucketWebsite, "s3:GetBucketWebsite"},
		{"PUT", "/examplebucket?website", nil, OpPutBucketWebsite, "s3:PutBucketWebsite"},
		{"DELETE", "/examplebucket?website", nil, OpDeleteBucketWebsite, "s3:DeleteBucketWebsite"},
		{"GET", "/examplebucket?publicAccessBlock", nil, OpGetPublicAccessBlock, "s3:GetBucketPublicAccessBlock"},
		{"PUT", "/examplebucket?publicAccessBlock", nil, OpPutPublicAccessBlock, "s3:PutBucketPublicAccessBlock"},
		{"DELETE", "/examplebucket?publicAccessBlock", nil, OpDeletePublicAccessBlock, "s3:PutBucketPublicAccessBlock"},
		{"GET", "/examplebucket?ownershipControls", nil, OpGetBucketOwnershipControls, "s3:GetBucketOwnershipControls"},
		{"PUT", "/examplebucket?ownershipControls", nil, OpPutBucketOwnershipControls, "s3:PutBucketOwnershipControls"},
		{"DELETE", "/examplebucket?ownershipControls", nil, OpDeleteBucketOwnershipControls, "s3:PutBucketOwnershipControls"},
		{"GET", "/examplebucket?logging", nil, OpGetBucketLogging, "s3:GetBucketLogging"},
		{"PUT", "/examplebucket?logging", nil, OpPutBucketLogging, "s3:PutBucketLogging"},
		{"GET", "/examplebucket?notification", nil, OpGetBucketNotificationConfiguration, "s3:GetBucketNotification"},
		{"PUT", "/examplebucket?notification", nil, OpPutBucketNotificationConfiguration, "s3:PutBucketNotification"},
		{"GET", "/examplebucket?replication", nil, OpGetBucketReplication, "s3:GetReplicationConfiguration"},
		{"PUT", "/examplebucket?replication", nil, OpPutBucketReplication, "s3:PutReplicationConfiguration"},
		{"DELETE", "/examplebucket?replication", nil, OpDeleteBucketReplication, "s3:PutReplicationConfiguration"},
		{"GET", "/examplebucket?object-lock", nil, OpGetObjectLockConfiguration, "s3:GetBucketObjectLockConfiguration"},
		{"PUT", "/examplebucket?object-lock", nil, OpPutObjectLockConfiguration, "s3:PutBucketObjectLockConfiguration"},
		{"GET", "/examplebucket?accelerate", nil, OpGetBucketAccelerateConfiguration, "s3:GetAccelerateConfiguration"},
		{"GET", "/examplebucket?requestPayment", nil, OpGetBucketRequestPayment, "s3:GetBucketRequestPayment"},
		{"GET", "/examplebucket?analytics&id=list1", nil, OpGetBucketAnalyticsConfiguration, "s3:GetAnalyticsConfiguration"},
		{"GET", "/examplebucket?inventory&id=report1", nil, OpGetBucketInventoryConfiguration, "s3:GetInventoryConfiguration"},
		{"GET", "/examplebucket?metrics&id=Documents", nil, OpGetBucketMetricsConfiguration, "s3:GetMetricsConfiguration"},
		{"GET", "/examplebucket?intelligent-tiering&id=t", nil, OpGetBucketIntelligentTieringConfiguration, "s3:GetIntelligentTieringConfiguration"},
		{"GET", "/examplebucket?session", nil, OpCreateSession, "s3express:CreateSession"},
		// Objects.
		{"GET", "/examplebucket/my-image.jpg", nil, OpGetObject, "s3:GetObject"},
		{"GET", "/examplebucket/my-image.jpg?versionId=3HL4kqCxf3vjVBH40Nrjfkd&x-id=GetObject", nil, OpGetObject, "s3:GetObject"},
		{"GET", "/examplebucket/my-image.jpg?response-content-type=text%2Fplain", nil, OpGetObject, "s3:GetObject"},
		{"GET", "/examplebucket/my-image.jpg?partNumber=2", nil, OpGetObject, "s3:GetObject"},
		{"GET", "/examplebucket/my-image.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=86400", nil, OpGetObject, "s3:GetObject"},
		{"HEAD", "/examplebucket/my-image.jpg", nil, OpHeadObject, "s3:GetObject"},
		{"PUT", "/examplebucket/my-image.jpg", nil, OpPutObject, "s3:PutObject"},
		{"PUT", "/examplebucket/my-image.jpg?x-id=PutObject", nil, OpPutObject, "s3:PutObject"},
		{"PUT", "/examplebucket/my-image.jpg?partNumber=1", nil, OpPutObject, "s3:PutObject"},
		{"PUT", "/examplebucket/my-image.jpg", hdr("X-Amz-Copy-Source", "/bucket/source.jpg"), OpCopyObject, "s3:PutObject"},
		{"DELETE", "/examplebucket/my-image.jpg", nil, OpDeleteObject, "s3:DeleteObject"},
		{"DELETE", "/examplebucket/my-image.jpg?versionId=UIORUnfnd89493jJFJ", nil, OpDeleteObject, "s3:DeleteObject"},
		{"GET", "/examplebucket/my-image.jpg?acl", nil, OpGetObjectAcl, "s3:GetObjectAcl"},
		{"PUT", "/examplebucket/my-image.jpg?acl", nil, OpPutObjectAcl, "s3:PutObjectAcl"},
		{"GET", "/examplebucket/my-image.jpg?tagging", nil, OpGetObjectTagging, "s3:GetObjectTagging"},
		{"PUT", "/examplebucket/my-image.jpg?tagging", nil, OpPutObjectTagging, "s3:PutObjectTagging"},
		{"DELETE", "/examplebucket/my-image.jpg?tagging", nil, OpDeleteObjectTagging, "s3:DeleteObjectTagging"},
		{"GET", "/examplebucket/my-image.jpg?retention", nil, OpGetObjectRetention, "s3:GetObjectRetention"},
		{"PUT", "/examplebucket/my-image.jpg?retention", nil, OpPutObjectRetention, "s3:PutObjectRetention"},
		{"GET", "/examplebucket/my-image.jpg?legal-hold", nil, OpGetObjectLegalHold, "s3:GetObjectLegalHold"},
		{"PUT", "/examplebucket/my-image.jpg?legal-hold", nil, OpPutObjectLegalHold, "s3:PutObjectLegalHold"},
		{"GET", "/examplebucket/my-image.jpg?attributes", nil, OpGetObjectAttributes, "s3:GetObjectAttributes"},
		{"GET", "/examplebucket/my-image.jpg?torrent", nil, OpGetObjectTorrent, "s3:GetObjectTorrent"},
		{"POST", "/examplebucket/my-image.jpg?restore&versionId=1", nil, OpRestoreObject, "s3:RestoreObject"},
		{"POST", "/examplebucket/my-image.jpg?select&select-type=2", nil, OpSelectObjectContent, "s3:GetObject"},
		{"PUT", "/examplebucket/my-image.jpg?renameObject", nil, OpRenameObject, "s3express:RenameObject"},
		// Multipart uploads.
		{"POST", "/examplebucket/example-object?uploads", nil, OpCreateMultipartUpload, "s3:PutObject"},
		{"PUT", "/examplebucket/example-object?partNumber=1&uploadId=VCVsb2FkIElEIGZvciBlbZZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZR", nil, OpUploadPart, "s3:PutObject"},
		{"PUT", "/examplebucket/example-object?partNumber=1&uploadId=VCVs", hdr("X-Amz-Copy-Source", "/bucket/source", "X-Amz-Copy-Source-Range", "bytes=0-9"), OpUploadPartCopy, "s3:PutObject"},
		{"POST", "/examplebucket/example-object?uploadId=AAAsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIRRwbG9hZA", nil, OpCompleteMultipartUpload, "s3:PutObject"},
		{"DELETE", "/examplebucket/example-object?uploadId=VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZ", nil, OpAbortMultipartUpload, "s3:AbortMultipartUpload"},
		{"GET", "/examplebucket/example-object?uploadId=XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA&max-parts=2&part-number-marker=1", nil, OpListParts, "s3:ListMultipartUploadParts"},
		// Keys that look like sub-resources are still keys.
		{"GET", "/examplebucket/acl", nil, OpGetObject, "s3:GetObject"},
		{"PUT", "/examplebucket/uploads/", nil, OpPutObject, "s3:PutObject"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			u, err := url.Parse(tc.target)
			if err != nil {
				t.Fatal(err)
			}
			bucket, key := splitPath(u.Path)
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			got, err := Classify(tc.method, bucket, key, u.Query(), h)
			if err != nil {
				t.Fatalf("Classify: %v", err)
			}
			if got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if got.Action() != tc.action {
				t.Errorf("action %q, want %q", got.Action(), tc.action)
			}
		})
	}
}

func TestClassifyErrors(t *testing.T) {
	tests := []struct {
		method, target string
		code           string
	}{
		{"PUT", "/", "MethodNotAllowed"},
		{"DELETE", "/", "MethodNotAllowed"},
		{"PATCH", "/examplebucket", "MethodNotAllowed"},
		{"PATCH", "/examplebucket/key", "MethodNotAllowed"},
		{"POST", "/examplebucket/key", "MethodNotAllowed"},
		{"OPTIONS", "/examplebucket/key", "NotImplemented"},
		{"GET", "/examplebucket?list-type=3", "InvalidArgument"},
	}
	for _, tc := range tests {
		u, _ := url.Parse(tc.target)
		bucket, key := splitPath(u.Path)
		op, err := Classify(tc.method, bucket, key, u.Query(), http.Header{})
		e, ok := err.(*Error)
		if !ok || e.Code != tc.code {
			t.Errorf("%s %s: got %v, %v; want %s", tc.method, tc.target, op, err, tc.code)
		}
	}
}

// TestEveryOpHasNameAndAction guards the op table against a missing row.
func TestEveryOpHasNameAndAction(t *testing.T) {
	seen := map[string]Op{}
	for op := OpUnknown + 1; op < numOps; op++ {
		if op.String() == "" || op.String() == "Unknown" {
			t.Errorf("op %d has no name", op)
		}
		if op.Action() == "" {
			t.Errorf("%v has no IAM action", op)
		}
		if prev, dup := seen[op.String()]; dup {
			t.Errorf("ops %d and %d share the name %q", prev, op, op.String())
		}
		seen[op.String()] = op
	}
}

func splitPath(p string) (bucket, key string) {
	rest := p
	if len(rest) > 0 && rest[0] == '/' {
		rest = rest[1:]
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] == '/' {
			return rest[:i], rest[i+1:]
		}
	}
	return rest, ""
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// TestImplementedOperations lists what this server answers; everything else is 501.
func TestImplementedOperations(t *testing.T) {
	want := map[Op]bool{
		OpListBuckets: true, OpCreateBucket: true, OpHeadBucket: true, OpDeleteBucket: true, OpGetBucketLocation: true,
		OpGetBucketVersioning: true, OpGetBucketAcl: true, OpGetObjectAcl: true, OpListObjects: true, OpListObjectsV2: true,
		OpListObjectVersions: true, OpGetObject: true, OpHeadObject: true, OpPutObject: true, OpCopyObject: true,
		OpDeleteObject: true, OpDeleteObjects: true, OpCreateMultipartUpload: true, OpUploadPart: true,
		OpUploadPartCopy: true, OpCompleteMultipartUpload: true, OpAbortMultipartUpload: true, OpListParts: true,
		OpListMultipartUploads: true, OpPutBucketVersioning: true, OpPutBucketAcl: true, OpPutObjectAcl: true,
		OpGetBucketPolicy: true, OpPutBucketPolicy: true, OpDeleteBucketPolicy: true, OpGetBucketPolicyStatus: true,
		OpGetBucketEncryption: true, OpPutBucketEncryption: true, OpDeleteBucketEncryption: true,
		OpGetPublicAccessBlock: true, OpPutPublicAccessBlock: true, OpDeletePublicAccessBlock: true,
		OpGetBucketOwnershipControls: true, OpPutBucketOwnershipControls: true, OpDeleteBucketOwnershipControls: true,
	}
	for op := OpUnknown; op < numOps; op++ {
		if op.Implemented() != want[op] {
			t.Errorf("%v: Implemented() = %v", op, op.Implemented())
		}
	}
}
