package s3api

// handlerFor returns the handler of an operation, or nil for the operations imgcdn does not
// implement (answered 501 NotImplemented).
func handlerFor(op Op) handlerFunc {
	switch op {
	case OpListBuckets:
		return (*Server).listBuckets
	case OpCreateBucket:
		return (*Server).createBucket
	case OpHeadBucket:
		return (*Server).headBucket
	case OpDeleteBucket:
		return (*Server).deleteBucket
	case OpGetBucketLocation:
		return (*Server).getBucketLocation
	case OpGetBucketVersioning:
		return (*Server).getBucketVersioning
	case OpPutBucketVersioning:
		return (*Server).putBucketVersioning
	case OpGetBucketAcl:
		return (*Server).getBucketACL
	case OpPutBucketAcl:
		return (*Server).putBucketACL
	case OpGetObjectAcl:
		return (*Server).getObjectACL
	case OpPutObjectAcl:
		return (*Server).putObjectACL
	case OpGetBucketPolicy:
		return (*Server).getBucketPolicy
	case OpPutBucketPolicy:
		return (*Server).putBucketPolicy
	case OpDeleteBucketPolicy:
		return (*Server).deleteBucketPolicy
	case OpGetBucketPolicyStatus:
		return (*Server).getBucketPolicyStatus
	case OpGetBucketEncryption:
		return (*Server).getBucketEncryption
	case OpPutBucketEncryption:
		return (*Server).putBucketEncryption
	case OpDeleteBucketEncryption:
		return (*Server).deleteBucketEncryption
	case OpGetPublicAccessBlock:
		return (*Server).getPublicAccessBlock
	case OpPutPublicAccessBlock:
		return (*Server).putPublicAccessBlock
	case OpDeletePublicAccessBlock:
		return (*Server).deletePublicAccessBlock
	case OpGetBucketOwnershipControls:
		return (*Server).getBucketOwnershipControls
	case OpPutBucketOwnershipControls:
		return (*Server).putBucketOwnershipControls
	case OpDeleteBucketOwnershipControls:
		return (*Server).deleteBucketOwnershipControls
	case OpListObjects:
		return (*Server).listObjects
	case OpListObjectsV2:
		return (*Server).listObjectsV2
	case OpListObjectVersions:
		return (*Server).listObjectVersions
	case OpGetObject, OpHeadObject:
		return (*Server).getObject
	case OpPutObject:
		return (*Server).putObject
	case OpCopyObject:
		return (*Server).copyObject
	case OpDeleteObjects:
		return (*Server).deleteObjects
	case OpUploadPart:
		return (*Server).uploadPart
	case OpUploadPartCopy:
		return (*Server).uploadPartCopy
	case OpCompleteMultipartUpload:
		return (*Server).completeMultipartUpload
	case OpDeleteObject:
		return (*Server).deleteObject
	case OpCreateMultipartUpload:
		return (*Server).createMultipartUpload
	case OpListParts:
		return (*Server).listParts
	case OpListMultipartUploads:
		return (*Server).listMultipartUploads
	case OpAbortMultipartUpload:
		return (*Server).abortMultipartUpload
	}
	return nil
}
