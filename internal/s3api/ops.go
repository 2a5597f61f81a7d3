package s3api

// Op is one S3 operation, as named in the Amazon S3 API Reference. Classify maps every
// request to exactly one Op; the Op decides the handler and the IAM action the request is
// authorized against.
type Op uint8

// The operations. Those without a handler (see handlerFor) are answered 501 NotImplemented.
const (
	OpUnknown Op = iota
	// Service.
	OpListBuckets
	// Buckets.
	OpCreateBucket
	OpHeadBucket
	OpDeleteBucket
	OpGetBucketLocation
	OpListObjects
	OpListObjectsV2
	OpListObjectVersions
	OpListMultipartUploads
	OpDeleteObjects
	OpPostObject
	OpGetBucketVersioning
	OpPutBucketVersioning
	OpGetBucketAcl
	OpPutBucketAcl
	OpGetBucketPolicy
	OpPutBucketPolicy
	OpDeleteBucketPolicy
	OpGetBucketPolicyStatus
	OpGetBucketTagging
	OpPutBucketTagging
	OpDeleteBucketTagging
	OpGetBucketEncryption
	OpPutBucketEncryption
	OpDeleteBucketEncryption
	OpGetBucketLifecycleConfiguration
	OpPutBucketLifecycleConfiguration
	OpDeleteBucketLifecycle
	OpGetBucketCors
	OpPutBucketCors
	OpDeleteBucketCors
	OpGetBucketWebsite
	OpPutBucketWebsite
	OpDeleteBucketWebsite
	OpGetPublicAccessBlock
	OpPutPublicAccessBlock
	OpDeletePublicAccessBlock
	OpGetBucketOwnershipControls
	OpPutBucketOwnershipControls
	OpDeleteBucketOwnershipControls
	OpGetBucketLogging
	OpPutBucketLogging
	OpGetBucketNotificationConfiguration
	OpPutBucketNotificationConfiguration
	OpGetBucketReplication
	OpPutBucketReplication
	OpDeleteBucketReplication
	OpGetObjectLockConfiguration
	OpPutObjectLockConfiguration
	OpGetBucketAccelerateConfiguration
	OpPutBucketAccelerateConfiguration
	OpGetBucketRequestPayment
	OpPutBucketRequestPayment
	OpGetBucketAnalyticsConfiguration
	OpPutBucketAnalyticsConfiguration
	OpDeleteBucketAnalyticsConfiguration
	OpGetBucketInventoryConfiguration
	OpPutBucketInventoryConfiguration
	OpDeleteBucketInventoryConfiguration
	OpGetBucketMetricsConfiguration
	OpPutBucketMetricsConfiguration
	OpDeleteBucketMetricsConfiguration
	OpGetBucketIntelligentTieringConfiguration
	OpPutBucketIntelligentTieringConfiguration
	OpDeleteBucketIntelligentTieringConfiguration
	OpGetBucketMetadataConfiguration
	OpCreateBucketMetadataConfiguration
	OpDeleteBucketMetadataConfiguration
	OpUpdateBucketMetadataConfiguration
	OpGetBucketAbac
	OpPutBucketAbac
	OpCreateSession
	// Objects.
	OpGetObject
	OpHeadObject
	OpPutObject
	OpCopyObject
	OpDeleteObject
	OpGetObjectAcl
	OpPutObjectAcl
	OpGetObjectTagging
	OpPutObjectTagging
	OpDeleteObjectTagging
	OpGetObjectRetention
	OpPutObjectRetention
	OpGetObjectLegalHold
	OpPutObjectLegalHold
	OpGetObjectAttributes
	OpGetObjectTorrent
	OpRestoreObject
	OpSelectObjectContent
	OpRenameObject
	OpUpdateObjectEncryption
	// Multipart uploads.
	OpCreateMultipartUpload
	OpUploadPart
	OpUploadPartCopy
	OpCompleteMultipartUpload
	OpAbortMultipartUpload
	OpListParts
	numOps
)

// opInfo is an operation's public name and the IAM action that authorizes it, from
// "Required permissions for Amazon S3 API operations"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
type opInfo struct {
	name, action string
}

var opTable = [numOps]opInfo{
	OpUnknown:                                     {"Unknown", ""},
	OpListBuckets:                                 {"ListBuckets", "s3:ListAllMyBuckets"},
	OpCreateBucket:                                {"CreateBucket", "s3:CreateBucket"},
	OpHeadBucket:                                  {"HeadBucket", "s3:ListBucket"},
	OpDeleteBucket:                                {"DeleteBucket", "s3:DeleteBucket"},
	OpGetBucketLocation:                           {"GetBucketLocation", "s3:GetBucketLocation"},
	OpListObjects:                                 {"ListObjects", "s3:ListBucket"},
	OpListObjectsV2:                               {"ListObjectsV2", "s3:ListBucket"},
	OpListObjectVersions:                          {"ListObjectVersions", "s3:ListBucketVersions"},
	OpListMultipartUploads:                        {"ListMultipartUploads", "s3:ListBucketMultipartUploads"},
	OpDeleteObjects:                               {"DeleteObjects", "s3:DeleteObject"},
	OpPostObject:                                  {"PostObject", "s3:PutObject"},
	OpGetBucketVersioning:                         {"GetBucketVersioning", "s3:GetBucketVersioning"},
	OpPutBucketVersioning:                         {"PutBucketVersioning", "s3:PutBucketVersioning"},
	OpGetBucketAcl:                                {"GetBucketAcl", "s3:GetBucketAcl"},
	OpPutBucketAcl:                                {"PutBucketAcl", "s3:PutBucketAcl"},
	OpGetBucketPolicy:                             {"GetBucketPolicy", "s3:GetBucketPolicy"},
	OpPutBucketPolicy:                             {"PutBucketPolicy", "s3:PutBucketPolicy"},
	OpDeleteBucketPolicy:                          {"DeleteBucketPolicy", "s3:DeleteBucketPolicy"},
	OpGetBucketPolicyStatus:                       {"GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"},
	OpGetBucketTagging:                            {"GetBucketTagging", "s3:GetBucketTagging"},
	OpPutBucketTagging:                            {"PutBucketTagging", "s3:PutBucketTagging"},
	OpDeleteBucketTagging:                         {"DeleteBucketTagging", "s3:PutBucketTagging"},
	OpGetBucketEncryption:                         {"GetBucketEncryption", "s3:GetEncryptionConfiguration"},
	OpPutBucketEncryption:                         {"PutBucketEncryption", "s3:PutEncryptionConfiguration"},
	OpDeleteBucketEncryption:                      {"DeleteBucketEncryption", "s3:PutEncryptionConfiguration"},
	OpGetBucketLifecycleConfiguration:             {"GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"},
	OpPutBucketLifecycleConfiguration:             {"PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"},
	OpDeleteBucketLifecycle:                       {"DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"},
	OpGetBucketCors:                               {"GetBucketCors", "s3:GetBucketCORS"},
	OpPutBucketCors:                               {"PutBucketCors", "s3:PutBucketCORS"},
	OpDeleteBucketCors:                            {"DeleteBucketCors", "s3:PutBucketCORS"},
	OpGetBucketWebsite:                            {"GetBucketWebsite", "s3:GetBucketWebsite"},
	OpPutBucketWebsite:                            {"PutBucketWebsite", "s3:PutBucketWebsite"},
	OpDeleteBucketWebsite:                         {"DeleteBucketWebsite", "s3:DeleteBucketWebsite"},
	OpGetPublicAccessBlock:                        {"GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"},
	OpPutPublicAccessBlock:                        {"PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
	OpDeletePublicAccessBlock:                     {"DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
	OpGetBucketOwnershipControls:                  {"GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"},
	OpPutBucketOwnershipControls:                  {"PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"},
	OpDeleteBucketOwnershipControls:               {"DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls"},
	OpGetBucketLogging:                            {"GetBucketLogging", "s3:GetBucketLogging"},
	OpPutBucketLogging:                            {"PutBucketLogging", "s3:PutBucketLogging"},
	OpGetBucketNotificationConfiguration:          {"GetBucketNotificationConfiguration", "s3:GetBucketNotification"},
	OpPutBucketNotificationConfiguration:          {"PutBucketNotificationConfiguration", "s3:PutBucketNotification"},
	OpGetBucketReplication:                        {"GetBucketReplication", "s3:GetReplicationConfiguration"},
	OpPutBucketReplication:                        {"PutBucketReplication", "s3:PutReplicationConfiguration"},
	OpDeleteBucketReplication:                     {"DeleteBucketReplication", "s3:PutReplicationConfiguration"},
	OpGetObjectLockConfiguration:                  {"GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"},
	OpPutObjectLockConfiguration:                  {"PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"},
	OpGetBucketAccelerateConfiguration:            {"GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration"},
	OpPutBucketAccelerateConfiguration:            {"PutBucketAccelerateConfiguration", "s3:PutAccelerateConfiguration"},
	OpGetBucketRequestPayment:                     {"GetBucketRequestPayment", "s3:GetBucketRequestPayment"},
	OpPutBucketRequestPayment:                     {"PutBucketRequestPayment", "s3:PutBucketRequestPayment"},
	OpGetBucketAnalyticsConfiguration:             {"GetBucketAnalyticsConfiguration", "s3:GetAnalyticsConfiguration"},
	OpPutBucketAnalyticsConfiguration:             {"PutBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"},
	OpDeleteBucketAnalyticsConfiguration:          {"DeleteBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"},
	OpGetBucketInventoryConfiguration:             {"GetBucketInventoryConfiguration", "s3:GetInventoryConfiguration"},
	OpPutBucketInventoryConfiguration:             {"PutBucketInventoryConfiguration", "s3:PutInventoryConfiguration"},
	OpDeleteBucketInventoryConfiguration:          {"DeleteBucketInventoryConfiguration", "s3:PutInventoryConfiguration"},
	OpGetBucketMetricsConfiguration:               {"GetBucketMetricsConfiguration", "s3:GetMetricsConfiguration"},
	OpPutBucketMetricsConfiguration:               {"PutBucketMetricsConfiguration", "s3:PutMetricsConfiguration"},
	OpDeleteBucketMetricsConfiguration:            {"DeleteBucketMetricsConfiguration", "s3:PutMetricsConfiguration"},
	OpGetBucketIntelligentTieringConfiguration:    {"GetBucketIntelligentTieringConfiguration", "s3:GetIntelligentTieringConfiguration"},
	OpPutBucketIntelligentTieringConfiguration:    {"PutBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"},
	OpDeleteBucketIntelligentTieringConfiguration: {"DeleteBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"},
	OpGetBucketMetadataConfiguration:              {"GetBucketMetadataConfiguration", "s3:GetBucketMetadataTableConfiguration"},
	OpCreateBucketMetadataConfiguration:           {"CreateBucketMetadataConfiguration", "s3:CreateBucketMetadataTableConfiguration"},
	OpDeleteBucketMetadataConfiguration:           {"DeleteBucketMetadataConfiguration", "s3:DeleteBucketMetadataTableConfiguration"},
	OpUpdateBucketMetadataConfiguration:           {"UpdateBucketMetadataConfiguration", "s3:UpdateBucketMetadataJournalTableConfiguration"},
	OpGetBucketAbac:                               {"GetBucketAbac", "s3:GetBucketABAC"},
	OpPutBucketAbac:                               {"PutBucketAbac", "s3:PutBucketABAC"},
	OpCreateSession:                               {"CreateSession", "s3express:CreateSession"},
	OpGetObject:                                   {"GetObject", "s3:GetObject"},
	OpHeadObject:                                  {"HeadObject", "s3:GetObject"},
	OpPutObject:                                   {"PutObject", "s3:PutObject"},
	OpCopyObject:                                  {"CopyObject", "s3:PutObject"},
	OpDeleteObject:                                {"DeleteObject", "s3:DeleteObject"},
	OpGetObjectAcl:                                {"GetObjectAcl", "s3:GetObjectAcl"},
	OpPutObjectAcl:                                {"PutObjectAcl", "s3:PutObjectAcl"},
	OpGetObjectTagging:                            {"GetObjectTagging", "s3:GetObjectTagging"},
	OpPutObjectTagging:                            {"PutObjectTagging", "s3:PutObjectTagging"},
	OpDeleteObjectTagging:                         {"DeleteObjectTagging", "s3:DeleteObjectTagging"},
	OpGetObjectRetention:                          {"GetObjectRetention", "s3:GetObjectRetention"},
	OpPutObjectRetention:                          {"PutObjectRetention", "s3:PutObjectRetention"},
	OpGetObjectLegalHold:                          {"GetObjectLegalHold", "s3:GetObjectLegalHold"},
	OpPutObjectLegalHold:                          {"PutObjectLegalHold", "s3:PutObjectLegalHold"},
	OpGetObjectAttributes:                         {"GetObjectAttributes", "s3:GetObjectAttributes"},
	OpGetObjectTorrent:                            {"GetObjectTorrent", "s3:GetObjectTorrent"},
	OpRestoreObject:                               {"RestoreObject", "s3:RestoreObject"},
	OpSelectObjectContent:                         {"SelectObjectContent", "s3:GetObject"},
	OpRenameObject:                                {"RenameObject", "s3express:RenameObject"},
	OpUpdateObjectEncryption:                      {"UpdateObjectEncryption", "s3:PutObject"},
	OpCreateMultipartUpload:                       {"CreateMultipartUpload", "s3:PutObject"},
	OpUploadPart:                                  {"UploadPart", "s3:PutObject"},
	OpUploadPartCopy:                              {"UploadPartCopy", "s3:PutObject"},
	OpCompleteMultipartUpload:                     {"CompleteMultipartUpload", "s3:PutObject"},
	OpAbortMultipartUpload:                        {"AbortMultipartUpload", "s3:AbortMultipartUpload"},
	OpListParts:                                   {"ListParts", "s3:ListMultipartUploadParts"},
}

// String returns the operation's name in the S3 API Reference, e.g. "PutObject".
func (o Op) String() string {
	if o >= numOps {
		return "Unknown"
	}
	return opTable[o].name
}

// Action returns the IAM action that authorizes the operation, e.g. "s3:GetObject". Requests
// naming a specific version (versionId) are authorized with the *Version actions instead
// (s3:GetObjectVersion...; see ActionFor). CopyObject and UploadPartCopy also need
// s3:GetObject on AuthzRequest.CopySource.
func (o Op) Action() string {
	if o >= numOps {
		return ""
	}
	return opTable[o].action
}

// Implemented reports whether the Server has a handler for the operation; the others are
// answered 501 NotImplemented.
func (o Op) Implemented() bool { return handlerFor(o) != nil }

// IsObjectOp reports whether the operation addresses an object (its ARN is
// arn:aws:s3:::bucket/key) rather than a bucket or the service.
func (o Op) IsObjectOp() bool {
	return o >= OpGetObject && o < numOps
}
